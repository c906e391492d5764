namespace TcpModel.Conformance.Packetdrill;

/// <summary>Parses event times: <c>1.5</c>, <c>+0.1</c>, <c>*</c>, <c>+0.3~+0.4</c>, <c>0.3~0.4</c>.</summary>
internal static class TimeSyntax
{
    private const int MaxIntegerDigits = 9;

    public static PacketdrillTime Parse(Scanner s)
    {
        var start = s.Pos;
        if (s.TryConsume("*"))
        {
            CheckFollower(s, start);
            return PacketdrillTime.AnyTime;
        }
        var (kind, micros) = ReadPoint(s, isRangeEnd: false);
        if (!s.TryConsume("~"))
        {
            CheckFollower(s, start);
            return new PacketdrillTime(kind, micros);
        }
        var endStart = s.Pos;
        var (endKind, endMicros) = ReadPoint(s, isRangeEnd: true);
        if (endKind != kind)
            throw s.Error(endStart, "both ends of a time range must be relative ('+a~+b') or both absolute ('a~b')");
        if (endMicros < micros) throw s.Error(endStart, "time range ends before it starts");
        CheckFollower(s, start);
        return new PacketdrillTime(kind, micros, endMicros);
    }

    private static (PacketdrillTimeKind, long) ReadPoint(Scanner s, bool isRangeEnd)
    {
        var kind = s.TryConsume("+") ? PacketdrillTimeKind.Relative : PacketdrillTimeKind.Absolute;
        if (!char.IsAsciiDigit(s.Peek()) && !(s.Peek() == '.' && char.IsAsciiDigit(s.Peek(1))))
        {
            var what = isRangeEnd ? "the end of the time range"
                : kind == PacketdrillTimeKind.Relative ? "seconds after '+'"
                : "an event time (e.g. '0.1', '+0.1' or '*')";
            throw s.Error(s.Pos, $"expected {what}, found {s.Describe()}");
        }
        return (kind, ReadSeconds(s));
    }

    /// <summary>Reads <c>digits[.digits]</c> (or <c>.digits</c>) as microseconds; at most 6 decimals.</summary>
    private static long ReadSeconds(Scanner s)
    {
        var start = s.Pos;
        long whole = 0;
        var digits = 0;
        while (char.IsAsciiDigit(s.Peek()))
        {
            if (++digits > MaxIntegerDigits) throw s.Error(start, "time out of range");
            whole = whole * 10 + (s.Peek() - '0');
            s.Pos++;
        }
        long fraction = 0;
        // A '.' starts the fraction unless it begins a '...' (blocking system call end time).
        if (s.Peek() == '.' && !s.StartsWith("..."))
        {
            s.Pos++;
            var scale = 100_000L;
            while (char.IsAsciiDigit(s.Peek()))
            {
                if (scale == 0) throw s.Error(s.Pos, "time has more than 6 decimal places");
                fraction += (s.Peek() - '0') * scale;
                scale /= 10;
                s.Pos++;
            }
        }
        return whole * 1_000_000 + fraction;
    }

    /// <summary>A time must be followed by a blank, end of line, or '...' (blocking end).</summary>
    private static void CheckFollower(Scanner s, int start)
    {
        var c = s.Peek();
        if (s.AtLineEnd || c is ' ' or '\t' || s.StartsWith("...")) return;
        throw s.Error(s.Pos, $"malformed time '{s.Slice(start, s.WordEnd())}'");
    }
}
