using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>Recognises the shell command forms of <see cref="ShellCommand.Parse"/>.</summary>
internal static class ShellCommandParser
{
    public static ShellCommand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stages = text.Split('|').Select(Words).ToArray();
        var first = stages[0];
        if (first.Length == 0) return new UnsupportedShellCommand(text);
        ShellCommand? parsed = first[0] switch
        {
            "sysctl" when stages.Length == 1 => Sysctl(text, first),
            "tcpdrop" when stages.Length == 1 => Tcpdrop(text, first),
            "sockstat" => Sockstat(text, stages),
            _ => null,
        };
        return parsed ?? new UnsupportedShellCommand(text);
    }

    private static string[] Words(string s) =>
        s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    private static SysctlCommand? Sysctl(string text, string[] w)
    {
        if (w.Length != 3 || w[1] != "-w") return null;
        var eq = w[2].IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == w[2].Length - 1 || w[2].IndexOf('=', eq + 1) >= 0) return null;
        return new SysctlCommand(text, w[2][..eq], w[2][(eq + 1)..]);
    }

    private static TcpdropCommand? Tcpdrop(string text, string[] w) =>
        w.Length == 3 && w[1] == "-s" && IsWord(w[2]) ? new TcpdropCommand(text, w[2]) : null;

    private static SockstatCountCommand? Sockstat(string text, string[][] stages)
    {
        int? ip = null, port = null;
        bool tcp = false, states = false;
        var w = stages[0];
        for (var i = 1; i < w.Length; i++)
        {
            switch (w[i])
            {
                case "-4" or "-6" when ip is null: ip = w[i][1] - '0'; break;
                case "-s" when !states: states = true; break;
                case "-P" when !tcp && i + 1 < w.Length && w[i + 1] == "tcp": tcp = true; i++; break;
                case "-p" when port is null && i + 1 < w.Length && TryInt(w[i + 1], 65535, out var p): port = p; i++; break;
                default: return null;
            }
        }
        if (ip is null || !tcp || !states) return null;

        // Remaining stages: [grep WORD] grep -c STATE, grep N
        string? filter = null;
        var k = 1;
        if (stages.Length == 4)
        {
            if (stages[1] is not ["grep", var f] || !IsWord(f)) return null;
            filter = f;
            k = 2;
        }
        if (stages.Length - k != 2) return null;
        if (stages[k] is not ["grep", "-c", var state] || !IsWord(state)) return null;
        if (stages[k + 1] is not ["grep", var n] || !TryInt(n, int.MaxValue, out var count)) return null;
        return new SockstatCountCommand(text, ip.Value, port, state, count, filter);
    }

    private static bool IsWord(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool TryInt(string s, int max, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
}
