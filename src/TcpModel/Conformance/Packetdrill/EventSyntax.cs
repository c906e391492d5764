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
        s.SkipSpaces();
        if (s.TryConsume("..."))
        {
            s.SkipSpaces();
            blockingEnd = TimeSyntax.Parse(s);
            s.SkipSpaces();
            if (!Scanner.IsIdentStart(s.Peek()))
                throw s.Error(s.Pos, $"expected a system call after a blocking time range, found {s.Describe()}");
        }
        s.SkipSpaces();
        var c = s.Peek();
        if (s.AtLineEnd) throw s.Error(s.Pos, "expected a packet, system call, shell command or '%{' after the time, found end of line");
        if (c is '<' or '>') return (PacketdrillEvent?)PacketSyntax.Parse(s, position, time) ?? Unsupported(s, position, time);
        if (c == '`') return Shell(s, position, time);
        if (s.StartsWith("%{")) return Code(s, position, time);
        if (Scanner.IsIdentStart(c)) return SyscallSyntax.Parse(s, position, time, blockingEnd);
        throw s.Error(s.Pos, $"expected a packet, system call, shell command or '%{{' after the time, found {s.Describe()}");
    }

    /// <summary>A backtick command with no time (packetdrill's parser.y <c>init_command</c> before the first event and
    /// <c>cleanup_command</c> after the last): it runs when reached, at the current time.</summary>
    public static ShellCommandEvent UntimedShell(Scanner s) =>
        Shell(s, s.PositionOf(s.Pos), PacketdrillTime.After(0), untimed: true);

    private static ShellCommandEvent Shell(Scanner s, SourcePosition position, PacketdrillTime time, bool untimed = false)
    {
        var open = s.Pos;
        var close = s.IndexOf("`", open + 1); // BACK_QUOTED in packetdrill's lexer.l may span lines
        if (close < 0) throw s.Error(open, "unterminated shell command (missing closing '`')");
        s.Pos = close + 1;
        var command = s.Slice(open + 1, close).Trim();
        s.EndStatement("shell command");
        return new ShellCommandEvent(position, time, command) { Untimed = untimed };
    }

    /// <summary>A packet line of a kind the runner does not model (ICMP, UDP, encapsulation): kept as a named
    /// unsupported event, to the end of its line.</summary>
    private static UnsupportedLineEvent Unsupported(Scanner s, SourcePosition position, PacketdrillTime time)
    {
        var from = s.Pos;
        var words = s.Slice(from, s.LineEnd).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        s.NextLine();
        var kind = words.Length > 1 ? words[1] : "?";
        return new UnsupportedLineEvent(position, time, kind.ToLowerInvariant() + " packets");
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
