using FsCheck;
using FsCheck.Fluent;
using TcpModel.Wire;

namespace TcpModel.Tests.Wire;

/// <summary>Sequence-number comparison and arithmetic modulo 2^32, RFC 9293 §3.4 ("all arithmetic
/// dealing with sequence numbers must be performed modulo 2**32"), exact at the wrap and as properties.</summary>
[Trait("RFC", "9293 §3.4")]
public sealed class SequenceNumbers
{
    private static SeqNum S(uint v) => new(v);

    [Theory]
    [InlineData(4294967295u, 0u)]
    [InlineData(4294967290u, 5u)]
    [InlineData(2147483647u, 2147483648u)]
    [InlineData(0u, 2147483647u)]
    [InlineData(4294967295u, 2147483646u)]
    public void TheNumberBeforeTheWrapIsLessThanTheNumberAfterIt(uint before, uint after)
    {
        Assert.True(S(before) < S(after));
        Assert.True(S(before) <= S(after));
        Assert.True(S(after) > S(before));
        Assert.True(S(after) >= S(before));
        Assert.False(S(after) < S(before));
        Assert.False(S(before) > S(after));
        Assert.True(S(before).CompareTo(S(after)) < 0);
    }

    [Fact]
    public void AddingPastTheTopWrapsToZero()
    {
        Assert.Equal(S(0), S(4294967295) + new SeqLen(1));
        Assert.Equal(S(4), S(4294967293) + new SeqLen(7));
    }

    [Fact]
    public void SubtractingALengthBelowZeroWrapsToTheTop() => Assert.Equal(S(4294967294), S(3) - new SeqLen(5));

    [Fact]
    public void TheDistanceAcrossTheWrapIsTheForwardCount() => Assert.Equal(new SeqLen(7), S(5) - S(4294967294));

    [Fact]
    public void TheSignedDistanceAcrossTheWrapIsNegativeBackwards()
    {
        Assert.Equal(-7, S(4294967294).DistanceFrom(S(5)));
        Assert.Equal(7, S(5).DistanceFrom(S(4294967294)));
    }

    [Fact]
    public void AWindowStraddlingTheWrapContainsBothEnds()
    {
        var start = S(4294967290);
        var len = new SeqLen(10);
        Assert.True(S(4294967290).InWindow(start, len));
        Assert.True(S(0).InWindow(start, len));
        Assert.True(S(3).InWindow(start, len));
        Assert.False(S(4).InWindow(start, len));
        Assert.False(S(4294967289).InWindow(start, len));
    }

    [Fact]
    public void AnEmptyWindowContainsNothing() => Assert.False(S(7).InWindow(S(7), SeqLen.Zero));

    [Fact]
    public void TheAckRangeTestExcludesItsLowEndAndIncludesItsHighEnd()
    {
        // "SND.UNA < SEG.ACK =< SND.NXT" with SND.UNA = 2^32 - 2 and SND.NXT = 3
        var una = S(4294967294);
        var nxt = S(3);
        Assert.False(una.InRangeExclusiveInclusive(una, nxt));
        Assert.True(S(4294967295).InRangeExclusiveInclusive(una, nxt));
        Assert.True(S(0).InRangeExclusiveInclusive(una, nxt));
        Assert.True(nxt.InRangeExclusiveInclusive(una, nxt));
        Assert.False(S(4).InRangeExclusiveInclusive(una, nxt));
    }

    [Fact]
    public void MaxPicksTheLaterNumberAcrossTheWrap() => Assert.Equal(S(2), SeqNum.Max(S(4294967295), S(2)));

    // ---- properties

    private static readonly Gen<uint> AnyUInt = Gen.Frequency(
        (3, Gen.Choose(int.MinValue, int.MaxValue).Select(i => unchecked((uint)i))),
        (1, Gen.Choose(-64, 64).Select(i => unchecked((uint)i))),
        (1, Gen.Choose(-64, 64).Select(i => unchecked(2147483648u + (uint)i))));

    /// <summary>A forward distance strictly between 0 and 2^31, where circular order is defined.</summary>
    private static readonly Gen<uint> Distance = Gen.Frequency(
        (3, Gen.Choose(1, int.MaxValue).Select(i => (uint)i)),
        (1, Gen.Choose(1, 64).Select(i => (uint)i)),
        (1, Gen.Choose(0, 63).Select(i => (uint)(int.MaxValue - i))));

    private static readonly Config Checked = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void MovingForwardByLessThanHalfTheSpaceGivesALaterNumber() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), Distance.ToArbitrary(), (a, d) =>
        {
            var x = S(a);
            var y = x + new SeqLen(d);
            Assert.True(x < y && y > x && x <= y && y >= x && !(y < x) && !(x > y) && x != y,
                $"{x} + {d} = {y}");
            Assert.True(x.CompareTo(y) < 0 && y.CompareTo(x) > 0);
        }).Check(Checked);

    [Fact]
    public void AddingThenSubtractingALengthReturnsTheSameNumber() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), AnyUInt.ToArbitrary(), (a, n) =>
        {
            Assert.Equal(S(a), S(a) + new SeqLen(n) - new SeqLen(n));
            Assert.Equal(new SeqLen(n), S(a) + new SeqLen(n) - S(a));
        }).Check(Checked);

    [Fact]
    public void EveryNumberIsEqualToItselfAndNeitherLessNorGreater() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), a =>
            Assert.True(S(a) <= S(a) && S(a) >= S(a) && !(S(a) < S(a)) && !(S(a) > S(a)) && S(a).CompareTo(S(a)) == 0))
        .Check(Checked);

    [Fact]
    public void ExactlyOneOfLessEqualGreaterHoldsAwayFromTheHalfwayPoint() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), AnyUInt.ToArbitrary(), (a, b) =>
        {
            if ((S(a) - S(b)).Value == 2147483648u) return; // 2^31 apart: RFC 1982 leaves the order undefined
            int holds = (S(a) < S(b) ? 1 : 0) + (S(a) == S(b) ? 1 : 0) + (S(a) > S(b) ? 1 : 0);
            Assert.Equal(1, holds);
            Assert.Equal(S(a) < S(b), S(b) > S(a));
            Assert.Equal(S(a) <= S(b), !(S(a) > S(b)));
        }).Check(Checked);

    [Fact]
    public void InWindowIsTheForwardDistanceBelowTheLength() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), AnyUInt.ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), (x, start, len) =>
        {
            var inWindow = S(x).InWindow(S(start), new SeqLen((uint)len));
            Assert.Equal(unchecked(x - start) < (uint)len, inWindow);
            if (len > 0 && len < int.MaxValue)
                Assert.Equal(S(start) <= S(x) && S(x) < S(start) + new SeqLen((uint)len), inWindow);
        }).Check(Checked);

    [Fact]
    public void ShiftingEverythingByTheSameAmountKeepsTheOrder() =>
        Prop.ForAll(AnyUInt.ToArbitrary(), AnyUInt.ToArbitrary(), AnyUInt.ToArbitrary(), (a, b, shift) =>
        {
            var k = new SeqLen(shift);
            Assert.Equal(S(a) < S(b), S(a) + k < S(b) + k);
            Assert.Equal(S(a) - S(b), (S(a) + k) - (S(b) + k));
        }).Check(Checked);
}
