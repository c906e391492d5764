using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>How an event time is written.</summary>
public enum PacketdrillTimeKind
{
    /// <summary><c>1.5</c>: seconds since the start of the script.</summary>
    Absolute,
    /// <summary><c>+0.1</c>: seconds after the previous event.</summary>
    Relative,
    /// <summary><c>*</c>: any time.</summary>
    Any,
}

/// <summary>
/// The time of a packetdrill event, in microseconds. A range (<c>+0.3~+0.4</c> or <c>0.3~0.4</c>)
/// has an <see cref="EndMicroseconds"/> of the same kind as its start.
/// </summary>
/// <param name="Kind">Absolute, relative or any.</param>
/// <param name="StartMicroseconds">The time (or the start of the range); 0 for <see cref="PacketdrillTimeKind.Any"/>.</param>
/// <param name="EndMicroseconds">The end of a range, or null for a single time.</param>
public readonly record struct PacketdrillTime(PacketdrillTimeKind Kind, long StartMicroseconds, long? EndMicroseconds = null)
{
    /// <summary>The time <c>*</c>.</summary>
    public static PacketdrillTime AnyTime => new(PacketdrillTimeKind.Any, 0);

    /// <summary>An absolute time.</summary>
    public static PacketdrillTime At(long microseconds) => new(PacketdrillTimeKind.Absolute, microseconds);

    /// <summary>A relative time.</summary>
    public static PacketdrillTime After(long microseconds) => new(PacketdrillTimeKind.Relative, microseconds);

    /// <summary>True for <c>a~b</c> ranges.</summary>
    public bool IsRange => EndMicroseconds is not null;

    /// <summary>Prints the time in script syntax, e.g. <c>+0.100000~+0.200000</c>.</summary>
    public override string ToString()
    {
        if (Kind == PacketdrillTimeKind.Any) return "*";
        var prefix = Kind == PacketdrillTimeKind.Relative ? "+" : "";
        var start = prefix + Seconds(StartMicroseconds);
        return EndMicroseconds is { } end ? $"{start}~{prefix}{Seconds(end)}" : start;
    }

    private static string Seconds(long us) =>
        (us / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." +
        (us % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
