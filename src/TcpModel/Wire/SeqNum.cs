namespace TcpModel.Wire;

/// <summary>
/// A sequence number, RFC 9293 §3.4: a point in the modulo-2^32 sequence space.
/// Comparison is circular (<c>a &lt; b</c> iff <c>(int)(a - b) &lt; 0</c>, as in gVisor's
/// <c>seqnum.Value</c>); lengths are <see cref="SeqLen"/>, a different type.
/// </summary>
public readonly record struct SeqNum(uint Value) : IComparable<SeqNum>
{
    /// <summary>Moves forward by a length (wraps modulo 2^32).</summary>
    public static SeqNum operator +(SeqNum a, SeqLen n) => new(unchecked(a.Value + n.Value));

    /// <summary>Moves backward by a length (wraps modulo 2^32).</summary>
    public static SeqNum operator -(SeqNum a, SeqLen n) => new(unchecked(a.Value - n.Value));

    /// <summary>The forward distance from <paramref name="b"/> to <paramref name="a"/> (mod 2^32).</summary>
    public static SeqLen operator -(SeqNum a, SeqNum b) => new(unchecked(a.Value - b.Value));

    /// <summary>Circular "less than", RFC 9293 §3.4 (with the 2^31 ambiguity resolved as in RFC 1982).</summary>
    public static bool operator <(SeqNum a, SeqNum b) => unchecked((int)(a.Value - b.Value)) < 0;

    /// <summary>Circular "greater than".</summary>
    public static bool operator >(SeqNum a, SeqNum b) => unchecked((int)(a.Value - b.Value)) > 0;

    /// <summary>Circular "less than or equal".</summary>
    public static bool operator <=(SeqNum a, SeqNum b) => unchecked((int)(a.Value - b.Value)) <= 0;

    /// <summary>Circular "greater than or equal".</summary>
    public static bool operator >=(SeqNum a, SeqNum b) => unchecked((int)(a.Value - b.Value)) >= 0;

    /// <summary>True when <c>start =&lt; this &lt; start + length</c> (RFC 9293 §3.4 window test).</summary>
    public bool InWindow(SeqNum start, SeqLen length) => (this - start).Value < length.Value;

    /// <summary>True when <c>low &lt; this =&lt; high</c>, the form of the RFC's ACK tests.</summary>
    public bool InRangeExclusiveInclusive(SeqNum low, SeqNum high) => low < this && this <= high;

    /// <summary>Signed circular distance <c>this - other</c>.</summary>
    public int DistanceFrom(SeqNum other) => unchecked((int)(Value - other.Value));

    /// <inheritdoc />
    public int CompareTo(SeqNum other) => DistanceFrom(other).CompareTo(0);

    /// <summary>The larger of two sequence numbers in circular order.</summary>
    public static SeqNum Max(SeqNum a, SeqNum b) => a >= b ? a : b;

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A length in sequence space (RFC 9293 §3.4 SEG.LEN, window sizes): a count of octets,
/// distinct from <see cref="SeqNum"/> points.
/// </summary>
public readonly record struct SeqLen(uint Value)
{
    /// <summary>Zero length.</summary>
    public static readonly SeqLen Zero = new(0);

    /// <summary>Adds two lengths.</summary>
    public static SeqLen operator +(SeqLen a, SeqLen b) => new(unchecked(a.Value + b.Value));

    /// <summary>Subtracts two lengths.</summary>
    public static SeqLen operator -(SeqLen a, SeqLen b) => new(unchecked(a.Value - b.Value));

    /// <summary>Implicit widening from an octet count.</summary>
    public static implicit operator SeqLen(int n) => new(checked((uint)n));

    /// <inheritdoc />
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
