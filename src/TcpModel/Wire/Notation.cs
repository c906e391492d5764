using System.Globalization;
using System.Text;

namespace TcpModel.Wire;

/// <summary>Which fields a segment's notation wrote (see <see cref="Segment.TryParse(string, out Segment, out string?, out SegmentFields)"/>).</summary>
[Flags]
public enum SegmentFields
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>&lt;SEQ=…&gt;.</summary>
    Seq = 1,
    /// <summary>&lt;ACK=…&gt;.</summary>
    Ack = 2,
    /// <summary>&lt;CTL=…&gt;.</summary>
    Ctl = 4,
    /// <summary>&lt;WND=…&gt;.</summary>
    Wnd = 8,
    /// <summary>&lt;UP=…&gt;.</summary>
    Up = 16,
    /// <summary>&lt;OPT=…&gt;.</summary>
    Opt = 32,
    /// <summary>&lt;DATA=…&gt;.</summary>
    Data = 64,
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

    public static bool TryParse(string text, out Segment segment, out Error? error) => TryParse(text, out segment, out error, out _);

    /// <summary>Parses, and says which fields were written (decided from the parsed fields, never by
    /// searching the text: <c>&lt; WND = 0&gt;</c> is a window, <c>&lt;DATA="&lt;WND="&gt;</c> is not).</summary>
    public static bool TryParse(string text, out Segment segment, out Error? error, out SegmentFields given)
    {
        segment = default;
        error = null;
        given = SegmentFields.None;
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
            given |= key switch
            {
                "SEQ" => SegmentFields.Seq, "ACK" => SegmentFields.Ack, "CTL" => SegmentFields.Ctl, "WND" => SegmentFields.Wnd,
                "UP" => SegmentFields.Up, "OPT" => SegmentFields.Opt, "DATA" => SegmentFields.Data, _ => SegmentFields.None,
            };
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
        error = new Error(ErrorText.Clean(message), index + 1); // one printable line, long tokens cut
        return false;
    }
}
