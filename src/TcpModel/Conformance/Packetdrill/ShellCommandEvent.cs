namespace TcpModel.Conformance.Packetdrill;

/// <summary>A backtick shell line, e.g. <c>+0.00 `sysctl -w net.inet.tcp.insecure_rst=1`</c>.</summary>
/// <param name="Position">Where the line starts.</param>
/// <param name="Time">When.</param>
/// <param name="Command">The text between the backticks, trimmed.</param>
public sealed record ShellCommandEvent(SourcePosition Position, PacketdrillTime Time, string Command)
    : PacketdrillEvent(Position, Time)
{
    /// <summary>True for a command outside the timed events (packetdrill's init and cleanup commands).</summary>
    public bool Untimed { get; init; }

    /// <summary>The command interpreted by <see cref="ShellCommand.Parse"/>.</summary>
    public ShellCommand Parsed => ShellCommand.Parse(Command);
}
