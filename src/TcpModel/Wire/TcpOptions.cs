using System.Globalization;
using System.Text;

namespace TcpModel.Wire;

/// <summary>The TCP timestamps option, RFC 7323 §3 (TSval, TSecr).</summary>
public readonly record struct TcpTimestamp(uint Value, uint Echo);

/// <summary>
/// TCP options the model understands, RFC 9293 §3.2: MSS (§3.7.1), and those carried for
/// conformance comparison (window scale and timestamps from RFC 7323, SACK-permitted from RFC 2018).
/// Other options are carried opaque as raw kind-length-value bytes. NOP and EOL are padding and
/// are not kept. Notation: <c>&lt;OPT=MSS:1460,WS:7,SACKOK,TS:10:0,K30:0a0b&gt;</c>.
/// </summary>
public readonly struct TcpOptions : IEquatable<TcpOptions>
{
    /// <summary>No options.</summary>
    public static readonly TcpOptions None = default;

    /// <summary>Creates an options value.</summary>
    public TcpOptions(ushort? mss = null, byte? windowScale = null, bool sackPermitted = false,
        TcpTimestamp? timestamp = null, ReadOnlyMemory<byte> other = default)
    {
        Mss = mss;
        WindowScale = windowScale;
        SackPermitted = sackPermitted;
        Timestamp = timestamp;
        Other = other;
    }

    /// <summary>Maximum segment size, RFC 9293 §3.7.1.</summary>
    public ushort? Mss { get; }

    /// <summary>Window scale shift count, RFC 7323 §2.</summary>
    public byte? WindowScale { get; }

    /// <summary>SACK-permitted, RFC 2018 §2.</summary>
    public bool SackPermitted { get; }

    /// <summary>Timestamps, RFC 7323 §3.</summary>
    public TcpTimestamp? Timestamp { get; }

    /// <summary>Other options, raw kind-length-value bytes, in order.</summary>
    public ReadOnlyMemory<byte> Other { get; }

    /// <summary>True when no option is present.</summary>
    public bool IsEmpty => Mss is null && WindowScale is null && !SackPermitted && Timestamp is null && Other.IsEmpty;

    /// <summary>Returns a copy with the MSS set.</summary>
    public TcpOptions WithMss(ushort? mss) => new(mss, WindowScale, SackPermitted, Timestamp, Other);

    /// <inheritdoc />
    public bool Equals(TcpOptions other) =>
        Mss == other.Mss && WindowScale == other.WindowScale && SackPermitted == other.SackPermitted
        && Nullable.Equals(Timestamp, other.Timestamp) && Other.Span.SequenceEqual(other.Other.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TcpOptions o && Equals(o);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Mss, WindowScale, SackPermitted, Timestamp, Other.Length);

    /// <summary>Equality.</summary>
    public static bool operator ==(TcpOptions a, TcpOptions b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TcpOptions a, TcpOptions b) => !a.Equals(b);

    /// <summary>The body of the <c>OPT</c> field, e.g. <c>MSS:1460,SACKOK</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Mss is { } m) parts.Add("MSS:" + m.ToString(CultureInfo.InvariantCulture));
        if (WindowScale is { } w) parts.Add("WS:" + w.ToString(CultureInfo.InvariantCulture));
        if (SackPermitted) parts.Add("SACKOK");
        if (Timestamp is { } t) parts.Add(FormattableString.Invariant($"TS:{t.Value}:{t.Echo}"));
        var span = Other.Span;
        for (int i = 0; i + 1 < span.Length;)
        {
            int kind = span[i], len = Math.Max((int)span[i + 1], 2);
            var body = span.Slice(i + 2, Math.Min(len - 2, span.Length - i - 2));
            parts.Add(FormattableString.Invariant($"K{kind}:{Convert.ToHexStringLower(body)}"));
            i += len;
        }
        return string.Join(',', parts);
    }

    /// <summary>Parses the body of an <c>OPT</c> field; returns an error message or null.</summary>
    public static string? TryParse(string text, out TcpOptions options)
    {
        options = None;
        ushort? mss = null; byte? ws = null; bool sack = false; TcpTimestamp? ts = null;
        var other = new List<byte>();
        if (text.Length == 0) return null;
        foreach (var raw in text.Split(','))
        {
            var p = raw.Trim();
            var kv = p.Split(':');
            switch (kv[0].ToUpperInvariant())
            {
                case "MSS" when kv.Length == 2 && ushort.TryParse(kv[1], CultureInfo.InvariantCulture, out var m):
                    mss = m; break;
                case "WS" when kv.Length == 2 && byte.TryParse(kv[1], CultureInfo.InvariantCulture, out var w):
                    ws = w; break;
                case "SACKOK" when kv.Length == 1:
                    sack = true; break;
                case "TS" when kv.Length == 3 && uint.TryParse(kv[1], CultureInfo.InvariantCulture, out var tv)
                                               && uint.TryParse(kv[2], CultureInfo.InvariantCulture, out var te):
                    ts = new TcpTimestamp(tv, te); break;
                default:
                    if (kv.Length == 2 && kv[0].Length > 1 && (kv[0][0] is 'K' or 'k')
                        && byte.TryParse(kv[0].AsSpan(1), CultureInfo.InvariantCulture, out var kind)
                        && kv[1].Length % 2 == 0 && kv[1].Length <= 76)
                    {
                        try
                        {
                            var body = Convert.FromHexString(kv[1]);
                            other.Add(kind); other.Add((byte)(body.Length + 2)); other.AddRange(body);
                            break;
                        }
                        catch (FormatException) { }
                    }
                    return $"unknown or malformed option '{p}' (expected MSS:n, WS:n, SACKOK, TS:val:ecr or Kkind:hex)";
            }
        }
        options = new TcpOptions(mss, ws, sack, ts, other.Count == 0 ? default : other.ToArray());
        return null;
    }

    internal static void AppendTo(StringBuilder sb, in TcpOptions o)
    {
        if (!o.IsEmpty) sb.Append("<OPT=").Append(o.ToString()).Append('>');
    }
}
