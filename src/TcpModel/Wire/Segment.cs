using System.Globalization;
using System.Text;

namespace TcpModel.Wire;

/// <summary>
/// A TCP segment as the state machine sees it, RFC 9293 §3.1 and §3.3.1 (SEG.SEQ, SEG.ACK,
/// SEG.LEN, SEG.WND, SEG.UP). Immutable; prints and parses in RFC notation
/// <c>&lt;SEQ=100&gt;&lt;ACK=301&gt;&lt;CTL=SYN,ACK&gt;&lt;WND=65535&gt;</c> (spec/notation.md).
/// </summary>
public readonly struct Segment : IEquatable<Segment>
{
    /// <summary>Creates a segment. <paramref name="ack"/> is kept only when ACK is set.</summary>
    public Segment(SeqNum seq, SeqNum ack, Control control, ushort window = 0,
        ReadOnlyMemory<byte> payload = default, TcpOptions options = default, ushort urgent = 0)
    {
        Seq = seq;
        Ack = control.Has(Control.ACK) ? ack : default;
        Control = control;
        Window = window;
        Payload = payload;
        Options = options;
        Urgent = control.Has(Control.URG) ? urgent : (ushort)0;
    }

    /// <summary>SEG.SEQ: the first sequence number of the segment.</summary>
    public SeqNum Seq { get; }

    /// <summary>SEG.ACK: meaningful only when <see cref="Control"/> has ACK (otherwise 0).</summary>
    public SeqNum Ack { get; }

    /// <summary>The control bits.</summary>
    public Control Control { get; }

    /// <summary>SEG.WND as carried in the header (unscaled).</summary>
    public ushort Window { get; }

    /// <summary>SEG.UP: meaningful only when URG is set.</summary>
    public ushort Urgent { get; }

    /// <summary>The options.</summary>
    public TcpOptions Options { get; }

    /// <summary>The segment text. The memory may belong to the sender; copy it to keep it.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>SYN is set.</summary>
    public bool Syn => (Control & Control.SYN) != 0;

    /// <summary>FIN is set.</summary>
    public bool Fin => (Control & Control.FIN) != 0;

    /// <summary>RST is set.</summary>
    public bool Rst => (Control & Control.RST) != 0;

    /// <summary>ACK is set.</summary>
    public bool HasAck => (Control & Control.ACK) != 0;

    /// <summary>
    /// SEG.LEN, RFC 9293 §3.4: the octets of data plus one for SYN and one for FIN — the single
    /// place where SYN and FIN occupying sequence space is computed.
    /// </summary>
    public SeqLen Length => new((uint)Payload.Length + (Syn ? 1u : 0u) + (Fin ? 1u : 0u));

    /// <summary>The last sequence number occupied: SEG.SEQ + SEG.LEN - 1.</summary>
    public SeqNum Last => Seq + Length - new SeqLen(1);

    /// <summary>A copy with a different payload.</summary>
    public Segment WithPayload(ReadOnlyMemory<byte> payload) => new(Seq, Ack, Control, Window, payload, Options, Urgent);

    /// <summary>A copy with different options.</summary>
    public Segment WithOptions(TcpOptions options) => new(Seq, Ack, Control, Window, Payload, options, Urgent);

    /// <summary>A copy with a different window.</summary>
    public Segment WithWindow(ushort window) => new(Seq, Ack, Control, window, Payload, Options, Urgent);

    /// <inheritdoc />
    public bool Equals(Segment other) =>
        Seq == other.Seq && Ack == other.Ack && Control == other.Control && Window == other.Window
        && Urgent == other.Urgent && Options == other.Options && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Segment s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Seq, Ack, Control, Window, Payload.Length);

    /// <summary>Equality (payload compared by content).</summary>
    public static bool operator ==(Segment a, Segment b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Segment a, Segment b) => !a.Equals(b);

    /// <summary>The canonical RFC notation of this segment (spec/notation.md).</summary>
    public override string ToString() => Notation.Format(this, includeWindow: true);

    /// <summary>The notation without WND, as the RFC figures print segments.</summary>
    public string ToShortString() => Notation.Format(this, includeWindow: false);

    /// <summary>Parses RFC notation; throws <see cref="SegmentFormatException"/> naming the column.</summary>
    public static Segment Parse(string text) =>
        Notation.TryParse(text, out var s, out var err) ? s : throw new SegmentFormatException(err!.Value.Message, err.Value.Column);

    /// <summary>Parses RFC notation without throwing.</summary>
    public static bool TryParse(string text, out Segment segment, out string? error)
    {
        var ok = Notation.TryParse(text, out segment, out var err);
        error = err is { } e ? $"column {e.Column}: {e.Message}" : null;
        return ok;
    }
}

/// <summary>Malformed segment notation; <see cref="Column"/> is 1-based.</summary>
public sealed class SegmentFormatException(string message, int column)
    : FormatException($"column {column}: {message}")
{
    /// <summary>1-based column of the error.</summary>
    public int Column { get; } = column;

    /// <summary>The message without the column prefix.</summary>
    public string Reason { get; } = message;
}

/// <summary>The RFC segment notation of spec/notation.md.</summary>
internal static class Notation
{
    internal readonly record struct Error(string Message, int Column);

    public static string Format(in Segment s, bool includeWindow)
    {
        var sb = new StringBuilder(48);
        sb.Append("<SEQ=").Append(s.Seq.Value.ToString(CultureInfo.InvariantCulture)).Append('>');
        if (s.HasAck) sb.Append("<ACK=").Append(s.Ack.Value.ToString(CultureInfo.InvariantCulture)).Append('>');
        if (s.Control != Control.None)
        {
            sb.Append("<CTL=");
            bool first = true;
            foreach (var f in ControlExtensions.NotationOrder)
            {
                if (!s.Control.Has(f)) continue;
                if (!first) sb.Append(',');
                sb.Append(f.ToString());
                first = false;
            }
            sb.Append('>');
        }
        if (includeWindow) sb.Append("<WND=").Append(s.Window.ToString(CultureInfo.InvariantCulture)).Append('>');
        if (s.Control.Has(Control.URG)) sb.Append("<UP=").Append(s.Urgent.ToString(CultureInfo.InvariantCulture)).Append('>');
        TcpOptions.AppendTo(sb, s.Options);
        if (!s.Payload.IsEmpty) sb.Append("<DATA=").Append(QuoteData(s.Payload.Span)).Append('>');
        return sb.ToString();
    }

    /// <summary>Quotes payload bytes: printable ASCII as is, others as C escapes.</summary>
    public static string QuoteData(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder(data.Length + 2).Append('"');
        foreach (var b in data)
        {
            switch (b)
            {
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'<': case (byte)'>': sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (b is >= 0x20 and < 0x7f) sb.Append((char)b);
                    else sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    public static bool TryParse(string text, out Segment segment, out Error? error)
    {
        segment = default;
        error = null;
        SeqNum? seq = null; SeqNum ack = default; bool ackGiven = false;
        Control ctl = Control.None; ushort wnd = 0; ushort up = 0; TcpOptions opt = default;
        byte[] data = [];
        var seen = new HashSet<string>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            if (text[i] != '<') return Fail(out error, $"expected '<' but found '{text[i]}'", i);
            int start = i;
            int eq = text.IndexOf('=', i);
            int close = FindClose(text, i);
            if (close < 0) return Fail(out error, "unterminated field: missing '>'", start);
            if (eq < 0 || eq > close) return Fail(out error, "field without '=' (expected <NAME=value>)", start);
            var key = text[(i + 1)..eq].Trim().ToUpperInvariant();
            var val = text[(eq + 1)..close].Trim();
            int vcol = eq + 1; // index of the trimmed value
            while (vcol < close && char.IsWhiteSpace(text[vcol])) vcol++;
            if (!seen.Add(key)) return Fail(out error, $"field {key} given twice", start);
            switch (key)
            {
                case "SEQ":
                    if (!uint.TryParse(val, NumberStyles.None, CultureInfo.InvariantCulture, out var sv))
                        return Fail(out error, $"SEQ must be an integer 0..4294967295, got '{val}'", vcol);
                    seq = new SeqNum(sv); break;
                case "ACK":
                    if (!uint.TryParse(val, NumberStyles.None, CultureInfo.InvariantCulture, out var av))
                        return Fail(out error, $"ACK must be an integer 0..4294967295, got '{val}'", vcol);
                    ack = new SeqNum(av); ackGiven = true; break;
                case "CTL":
                    for (int at = 0; at <= val.Length;)
                    {
                        int comma = val.IndexOf(',', at);
                        if (comma < 0) comma = val.Length;
                        var f = val[at..comma].Trim();
                        int fcol = vcol + at + (val[at..comma].Length - val[at..comma].TrimStart().Length);
                        if (!Enum.TryParse<Control>(f, ignoreCase: true, out var flag) || flag == Control.None
                            || !ControlExtensions.NotationOrder.Contains(flag) || !f.All(char.IsAsciiLetter))
                            return Fail(out error, $"unknown control flag '{f}' (expected SYN, FIN, RST, PSH, ACK, URG)", fcol);
                        ctl |= flag;
                        at = comma + 1;
                    }
                    break;
                case "WND":
                    if (!ushort.TryParse(val, NumberStyles.None, CultureInfo.InvariantCulture, out wnd))
                        return Fail(out error, $"WND must be an integer 0..65535, got '{val}'", vcol);
                    break;
                case "UP":
                    if (!ushort.TryParse(val, NumberStyles.None, CultureInfo.InvariantCulture, out up))
                        return Fail(out error, $"UP must be an integer 0..65535, got '{val}'", vcol);
                    break;
                case "OPT":
                    if (TcpOptions.TryParse(val, out opt) is { } oe) return Fail(out error, oe, vcol);
                    break;
                case "DATA":
                    if (UnquoteData(val, out int bad) is not { } bytes)
                        return Fail(out error, "DATA must be a quoted string with \\n, \\r, \\t, \\\", \\\\, \\xNN escapes", vcol + bad);
                    data = bytes; break;
                default:
                    return Fail(out error, $"unknown field '{key}' (expected SEQ, ACK, CTL, WND, UP, OPT, DATA)", start);
            }
            i = close + 1;
        }
        if (seq is null) return Fail(out error, "missing <SEQ=n>", 0);
        if (ackGiven) ctl |= Control.ACK; // an ACK field implies the ACK bit (spec/notation.md)
        if (up != 0 && !ctl.Has(Control.URG)) return Fail(out error, "UP given but CTL lacks URG", 0);
        segment = new Segment(seq.Value, ack, ctl, wnd, data, opt, up);
        return true;
    }

    private static int FindClose(string text, int from)
    {
        bool quoted = false;
        for (int j = from + 1; j < text.Length; j++)
        {
            char c = text[j];
            if (quoted && c == '\\') { j++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '>' && !quoted) return j;
        }
        return -1;
    }

    /// <summary>Unquotes a DATA value; on failure <paramref name="bad"/> is the offset of the offending character.</summary>
    private static byte[]? UnquoteData(string v, out int bad)
    {
        bad = 0;
        if (v.Length < 2 || v[0] != '"') return null;
        if (v[^1] != '"') { bad = v.Length - 1; return null; }
        var bytes = new List<byte>(v.Length);
        int end = v.Length - 1; // the closing quote
        for (int j = 1; j < end; j++)
        {
            char c = v[j];
            bad = j;
            if (c == '"') return null;
            if (c != '\\') { if (c > 0x7f) return null; bytes.Add((byte)c); continue; }
            if (j + 1 >= end) return null;
            switch (v[++j])
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '"': bytes.Add((byte)'"'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    if (j + 2 >= end || !byte.TryParse(v.AsSpan(j + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                        return null;
                    bytes.Add(b); j += 2; break;
                default: return null;
            }
        }
        return bytes.ToArray();
    }

    private static bool Fail(out Error? error, string message, int index)
    {
        error = new Error(message, index + 1);
        return false;
    }
}
