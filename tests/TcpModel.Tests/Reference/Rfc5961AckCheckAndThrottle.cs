using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>RFC 5961 §5.2 (the ACK range check, RFC 9293 MAY-12) and §7 (challenge-ACK throttling).</summary>
public sealed class Rfc5961AckCheckAndThrottle
{
    /// <summary>Established with the peer's window 1000 (MAX.SND.WND) and six octets sent and
    /// acknowledged, so that SND.UNA = SND.NXT = 1 after the wrap.</summary>
    private static ReferenceTcp AfterWrap(TcpModel.Machine.Profile profile)
    {
        var t = Established(profile, peerWindow: 1000);
        Sent(t.Send("abcdef"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("abcdef"));
        Sent(t.SegmentArrives(Ack(0, 1, wnd: 1000)));
        Assert.Equal(new SeqNum(1), t.SndUna);
        return t;
    }

    [Fact]
    [Trait("RFC", "5961 §5.2")]
    public void AnAckBelowSndUnaMinusMaxSndWndDrawsAChallengeAckAndTheSegmentIsDropped()
    {
        var t = AfterWrap(Rfc9293);
        // SND.UNA - MAX.SND.WND = 1 - 1000 = 4294966297 (mod 2^32); one below it is too old.
        Sent(t.SegmentArrives(Ack(0, 4294966296, data: "hi")), "<SEQ=1><ACK=0><CTL=ACK>");
        Assert.Empty(t.Received);
    }

    [Fact]
    [Trait("RFC", "5961 §5.2")]
    public void AnOldAckInsideTheRangeIsADuplicateAndTheTextIsAccepted()
    {
        var t = AfterWrap(Rfc9293);
        Sent(t.SegmentArrives(Ack(0, 4294966297, data: "hi")), "<SEQ=1><ACK=2><CTL=ACK>");
        Assert.Equal("hi"u8.ToArray(), t.Received);
        Assert.Equal(new SeqNum(1), t.SndUna);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 (MAY-12)")]
    public void WithoutTheAckRangeCheckAnyOldAckIsADuplicate()
    {
        var t = AfterWrap(Rfc9293 with { AckRangeCheck = false });
        Sent(t.SegmentArrives(Ack(0, 4294966296, data: "hi")), "<SEQ=1><ACK=2><CTL=ACK>");
        Assert.Equal("hi"u8.ToArray(), t.Received);
    }

    [Fact]
    [Trait("RFC", "5961 §7")]
    public void ChallengeAcksAreLimitedToTheProfilesNumberPerSecond()
    {
        var t = Established(Rfc9293); // challenge-ack-limit 10
        var rst = Seg("<SEQ=10><CTL=RST>"); // in the window, not at RCV.NXT: RFC 5961 §3.2 challenge
        int sent = 0;
        for (int i = 0; i < 12; i++) sent += t.SegmentArrives(rst).Count;
        Assert.Equal(10, sent);
        t.AdvanceTo(1 * Second - 1);
        Sent(t.SegmentArrives(rst));
        t.AdvanceTo(1 * Second);
        Sent(t.SegmentArrives(rst), "<SEQ=4294967291><ACK=0><CTL=ACK>");
        // The SYN (§4.2) and ACK (§5.2) challenges share the same budget.
        for (int i = 0; i < 9; i++) Assert.Single(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN>")));
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN>")));
        Assert.Equal(RefState.Established, t.State);
    }

    [Fact]
    [Trait("RFC", "5961 §7")]
    public void ALimitOfZeroMeansChallengeAcksAreUnlimited()
    {
        var t = Established(Rfc9293 with { ChallengeAckLimitPerSecond = 0 });
        var rst = Seg("<SEQ=10><CTL=RST>");
        Assert.Equal(50, Enumerable.Range(0, 50).Sum(_ => t.SegmentArrives(rst).Count));
    }
}
