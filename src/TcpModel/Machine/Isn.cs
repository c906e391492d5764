using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>Chooses initial sequence numbers (RFC 9293 §3.4.1, MUST-8).</summary>
public interface IIsnSource
{
    /// <summary>The ISN for a connection opened at <paramref name="now"/> (virtual µs).</summary>
    SeqNum Next(long now);
}

/// <summary>
/// RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M is a
/// 4-microsecond timer (on virtual time) and F a keyed hash; the key is a seed, so runs repeat.
/// </summary>
public sealed class Rfc6528IsnSource(ulong key, ulong connectionId = 0) : IIsnSource
{
    /// <inheritdoc />
    public SeqNum Next(long now) => new(unchecked((uint)(now / 4) + (uint)Mix(key ^ Mix(connectionId))));

    /// <summary>A keyed hash of connection identifiers (SplitMix64 finaliser, deterministic).</summary>
    public static ulong Mix(ulong z)
    {
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

/// <summary>Fixed ISNs for tests and figures: hands out the values in order, then repeats the last.</summary>
public sealed class FixedIsnSource(params uint[] values) : IIsnSource
{
    private int _next;

    /// <inheritdoc />
    public SeqNum Next(long now) => new(values[Math.Min(_next++, values.Length - 1)]);
}
