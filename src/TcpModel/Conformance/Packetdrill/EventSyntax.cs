using System.Text.RegularExpressions;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>Parses one timed event: a time then a packet, system call, shell command or inline code.</summary>
internal static partial class EventSyntax
{
    public static PacketdrillEvent Parse(Scanner s)
    {
        var position = s.PositionOf(s.Pos);
        var time = TimeSyntax.Parse(s);
        PacketdrillTime? blockingEnd = null;
        if (s.TryConsume("..."))
        {
            blockingEnd = TimeSyntax.Parse(s);
            s.SkipSpaces();
            if (!Scanner.IsIdentStart(s.Peek()))
                throw s.Error(s.Pos, $"expected a system call after a blocking time range, found {s.Describe()}");
        }
        s.SkipSpaces();
        var c = s.Peek();
        if (s.AtLineEnd) throw s.Error(s.Pos, "expected a packet, system call, shell command or '%{' after the time, found end of line");
        if (c is '<' or '>') return PacketSyntax.Parse(s, position, time);
        if (c == '`') return Shell(s, position, time);
        if (s.StartsWith("%{")) return Code(s, position, time);
        if (Scanner.IsIdentStart(c)) return SyscallSyntax.Parse(s, position, time, blockingEnd);
        throw s.Error(s.Pos, $"expected a packet, system call, shell command or '%{{' after the time, found {s.Describe()}");
    }

    private static ShellCommandEvent Shell(Scanner s, SourcePosition position, PacketdrillTime time)
    {
        var open = s.Pos;
        var close = s.IndexOf("`", open + 1);
        if (close < 0 || close > s.LineEnd) throw s.Error(open, "unterminated shell command (missing closing '`')");
        s.Pos = close + 1;
        var command = s.Slice(open + 1, close).Trim();
        s.EndStatement("shell command");
        return new ShellCommandEvent(position, time, command);
    }

    private static InlineCodeEvent Code(Scanner s, SourcePosition position, PacketdrillTime time)
    {
        var open = s.Pos;
        var close = s.IndexOf("}%", open + 2);
        if (close < 0) throw s.Error(open, "unterminated inline code (missing '}%')");
        s.Pos = close + 2;
        var code = s.Slice(open + 2, close).Trim();
        s.EndStatement("inline code");
        var assert = AssertState().Match(code);
        return assert.Success
            ? new AssertTcpStateEvent(position, time, code, assert.Groups[1].Value)
            : new UnsupportedCodeEvent(position, time, code);
    }

    [GeneratedRegex(@"^assert\s+tcpi_state\s*==\s*([A-Za-z_][A-Za-z0-9_]*)\s*;?$", RegexOptions.CultureInvariant)]
    private static partial Regex AssertState();
}
