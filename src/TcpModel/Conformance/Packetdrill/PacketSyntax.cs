using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// Parses a packet line after its time:
/// <c>&lt;|&gt; FLAGS (start:end(len) | ...[(len)]) [ack N] [win N] [&lt;options&gt;]</c>.
/// </summary>
internal static class PacketSyntax
{
    /// <summary>Parses a TCP packet line; returns null (position unchanged) for a packet of another kind that
    /// packetdrill's parser.y accepts (<c>icmp</c>, <c>udp</c>, an <c>ipv4</c>/<c>ipv6</c>/<c>gre</c>/<c>mpls</c> prefix).</summary>
    public static PacketEvent? Parse(Scanner s, SourcePosition position, PacketdrillTime time)
    {
        var lineStart = s.Pos;
        var directionChar = s.Peek();
        var direction = directionChar == '<' ? PacketDirection.Inbound : PacketDirection.Outbound;
        s.Pos++;
        s.SkipSpaces();
        var wordAt = s.Pos;
        if (s.TryReadIdentifier() is "icmp" or "udp" or "ipv4" or "ipv6" or "gre" or "mpls")
        {
            s.Pos = lineStart;
            return null;
        }
        s.Pos = wordAt;
        string? ipInfo = null;
        if (s.Peek() is '[' or '(') // opt_ip_info: [ect0], (tos 0x..), [ttl N], flowlabel
        {
            var closeChar = s.Peek() == '[' ? "]" : ")";
            var close = s.IndexOf(closeChar, s.Pos);
            if (close < 0 || close > s.LineEnd) throw s.Error(s.Pos, $"unterminated IP information (missing '{closeChar}')");
            ipInfo = s.Slice(s.Pos + 1, close).Trim();
            s.Pos = close + 1;
            s.SkipSpaces();
        }
        var flags = ReadFlags(s, directionChar);
        s.SkipSpaces();

        uint? start = null, end = null, length = null;
        if (s.TryConsume("..."))
        {
            if (s.Peek() == '(') length = ReadLength(s);
        }
        else
        {
            var startIndex = s.Pos;
            start = ReadU32(s, "start sequence number (or '...')");
            Expect(s, ':', "after the start sequence number");
            end = ReadU32(s, "end sequence number");
            length = ReadLength(s);
            if (unchecked(end.Value - start.Value) != length.Value)
                throw s.Error(startIndex,
                    $"inconsistent sequence range: {start}:{end} covers {unchecked(end.Value - start.Value)} bytes but the length is {length}");
        }

        uint? ack = null;
        ushort? window = null;
        IReadOnlyList<PacketOption>? options = null;
        s.SkipSpaces();
        if (s.TryKeyword("ack"))
        {
            s.SkipSpaces();
            ack = ReadU32(s, "acknowledgment number after 'ack'");
            s.SkipSpaces();
        }
        if (s.TryKeyword("win"))
        {
            s.SkipSpaces();
            window = (ushort)s.ReadUnsigned("window after 'win'", ushort.MaxValue);
            s.SkipSpaces();
        }
        ushort? urgent = null;
        if (s.TryKeyword("urg"))
        {
            s.SkipSpaces();
            urgent = (ushort)s.ReadUnsigned("urgent pointer after 'urg'", ushort.MaxValue);
            s.SkipSpaces();
        }
        var anyOptions = false;
        if (s.StartsWith("<...>"))
        {
            s.Pos += 5; // "<...>": any options (parser.y opt_tcp_options, outbound only)
            if (direction == PacketDirection.Inbound) throw s.Error(s.Pos - 5, "<...> for TCP options can only be used with outbound packets");
            anyOptions = true;
            s.SkipSpaces();
        }
        else if (s.Peek() == '<') options = ReadOptions(s);

        if (!s.AtStatementEnd())
            throw s.Error(s.Pos, $"unexpected {s.Describe()} in packet (expected 'ack', 'win', '<options>' or end of line)");
        s.NextLine();
        return new PacketEvent(position, time, direction, flags, start, end, length, ack, window, options)
        {
            AnyOptions = anyOptions,
            IpInfo = ipInfo,
            Urgent = urgent,
        };
    }

    private static PacketFlags ReadFlags(Scanner s, char direction)
    {
        if (s.AtLineEnd) throw s.Error(s.Pos, $"expected packet flags after '{direction}'");
        var start = s.Pos;
        var flags = PacketFlags.None;
        var none = false;
        for (; s.Pos < s.WordEnd(); s.Pos++)
        {
            var c = s.Peek();
            if (c == '-')
            {
                if (s.Pos != start || s.WordEnd() != s.Pos + 1)
                    throw s.Error(s.Pos, "'-' (no flags) cannot be combined with other flags");
                none = true;
                continue;
            }
            if (PacketFlagsExtensions.FromLetter(c) is not { } flag)
                throw s.Error(s.Pos, $"unknown flag '{c}' in packet flags");
            if ((flags & flag) != 0) throw s.Error(s.Pos, $"duplicate flag '{c}' in packet flags");
            flags |= flag;
        }
        return none ? PacketFlags.None : flags;
    }

    private static uint ReadLength(Scanner s)
    {
        Expect(s, '(', "after the sequence range");
        var length = ReadU32(s, "payload length");
        Expect(s, ')', "after the payload length");
        return length;
    }

    private static uint ReadU32(Scanner s, string what) => (uint)s.ReadUnsigned(what, uint.MaxValue);

    private static void Expect(Scanner s, char c, string where)
    {
        if (s.Peek() != c || s.AtLineEnd) throw s.Error(s.Pos, $"expected '{c}' {where}, found {s.Describe()}");
        s.Pos++;
    }

    private static List<PacketOption> ReadOptions(Scanner s)
    {
        var open = s.Pos;
        s.Pos++;
        var lineEnd = s.LineEnd;
        var close = s.IndexOf(">", s.Pos);
        if (close < 0 || close > lineEnd) throw s.Error(open, "unterminated TCP option list (missing '>')");
        var options = new List<PacketOption>();
        if (s.Slice(s.Pos, close).Trim().Length == 0)
        {
            s.Pos = close + 1;
            return options;
        }
        while (true)
        {
            var comma = s.IndexOf(",", s.Pos);
            var itemEnd = comma >= 0 && comma < close ? comma : close;
            options.Add(ParseOption(s, s.Pos, itemEnd));
            s.Pos = itemEnd + 1;
            if (itemEnd == close) return options;
        }
    }

    private static PacketOption ParseOption(Scanner s, int from, int to)
    {
        var raw = s.Slice(from, to);
        var at = from + (raw.Length - raw.TrimStart().Length);
        var words = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) throw s.Error(at, "empty TCP option");
        var text = string.Join(' ', words);
        return words switch
        {
            ["eol"] => PacketOption.Eol,
            ["nop"] => PacketOption.Nop,
            ["sackOK"] => PacketOption.SackPermitted,
            ["mss", var n] when TryNumber(n, ushort.MaxValue, out var v) => PacketOption.Mss((ushort)v),
            ["wscale", var n] when TryNumber(n, byte.MaxValue, out var v) => PacketOption.WindowScale((byte)v),
            ["TS", "val", var a, "ecr", var b] when TryNumber(a, uint.MaxValue, out var val)
                && TryNumber(b, uint.MaxValue, out var ecr) => PacketOption.Timestamp(val, ecr),
            ["eol" or "nop" or "sackOK", ..] => throw s.Error(at, $"option '{words[0]}' takes no value"),
            ["mss", ..] => throw s.Error(at, "expected 'mss N' with N from 0 to 65535"),
            ["wscale", ..] => throw s.Error(at, "expected 'wscale N' with N from 0 to 255"),
            ["TS", ..] => throw s.Error(at, "expected 'TS val N ecr M'"),
            _ => PacketOption.Unknown(text),
        };
    }

    private static bool TryNumber(string text, uint max, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
}
