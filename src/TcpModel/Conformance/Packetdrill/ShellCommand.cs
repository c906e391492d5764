namespace TcpModel.Conformance.Packetdrill;

/// <summary>A backtick shell command, interpreted when it is one of the forms the runner understands.</summary>
/// <param name="Text">The command as written.</param>
public abstract record ShellCommand(string Text)
{
    /// <summary>
    /// Interprets <paramref name="text"/>: <c>sysctl -w NAME=VALUE</c>,
    /// <c>sockstat -4|-6 -P tcp -s [-p PORT] | [grep NAME |] grep -c STATE | grep N</c> (options in any order),
    /// <c>tcpdrop -s STATE</c>; anything else is <see cref="UnsupportedShellCommand"/>. Never throws for any string.
    /// </summary>
    public static ShellCommand Parse(string text) => ShellCommandParser.Parse(text);
}

/// <summary><c>sysctl -w Name=Value</c>.</summary>
/// <param name="Text">The command as written.</param>
/// <param name="Name">The variable, e.g. <c>net.inet.tcp.insecure_rst</c>.</param>
/// <param name="Value">The value as written, e.g. <c>1</c>.</param>
public sealed record SysctlCommand(string Text, string Name, string Value) : ShellCommand(Text);

/// <summary>
/// <c>sockstat -4 -P tcp -s [-p Port] | [grep ProcessFilter |] grep -c State | grep Count</c>:
/// asserts that exactly <see cref="Count"/> TCP connections are in <see cref="State"/>.
/// </summary>
/// <param name="Text">The command as written.</param>
/// <param name="IpVersion">4 or 6.</param>
/// <param name="Port">The <c>-p</c> port filter, or null.</param>
/// <param name="State">The sockstat state name, e.g. <c>SYN_RCVD</c>, <c>TIME_WAIT</c>.</param>
/// <param name="Count">The expected number of matching lines.</param>
/// <param name="ProcessFilter">The word of a <c>grep WORD</c> stage before the count (e.g. <c>packetdril</c>), or null.</param>
public sealed record SockstatCountCommand(
    string Text, int IpVersion, int? Port, string State, int Count, string? ProcessFilter) : ShellCommand(Text);

/// <summary><c>tcpdrop -s State</c>: drop every connection in <see cref="State"/>.</summary>
/// <param name="Text">The command as written.</param>
/// <param name="State">The state name, e.g. <c>TIME_WAIT</c>.</param>
public sealed record TcpdropCommand(string Text, string State) : ShellCommand(Text);

/// <summary>A command the runner does not understand.</summary>
/// <param name="Text">The command as written.</param>
public sealed record UnsupportedShellCommand(string Text) : ShellCommand(Text);
