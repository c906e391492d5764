using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>
/// POLICY rfc5961-ack (RFC 9293 §3.10.7.4 fifth, MAY-12; RFC 5961 §5.2) in the synchronized states after a FIN:
/// "TCP stacks that implement RFC 5961 MUST add an input check that the ACK value is acceptable only if it is in
/// the range of ((SND.UNA - MAX.SND.WND) =&lt; SEG.ACK =&lt; SND.NXT). All incoming segments whose ACK value doesn't
/// satisfy the above condition MUST be discarded and an ACK sent back." The paragraph precedes the per-state list,
/// so it holds in TIME-WAIT, CLOSING and LAST-ACK too. Fixture numbers as <see cref="ReferenceKit"/>: ISS 100, the
/// peer's ISS 300, the peer's window 65535 (MAX.SND.WND), the clock at 0 when the state is reached.
/// </summary>
internal static class AfterTheFinKit
{
    public const long Second = 1_000_000;

    /// <summary>rfc9293: rfc5961-ack on, challenge-ack-limit 10, time-wait-ack-rule FinOnly, MSL 120 s.</summary>
    public static Profile On => Profile.Rfc9293;

    /// <summary>rfc9293 with rfc5961-ack off.</summary>
    public static Profile Off => Profile.Rfc9293 with { AckRangeCheck = false };

    public static ReferenceTcp Established(Profile p)
    {
        var t = new ReferenceTcp(p, new SeqNum(100));
        t.OpenActive();
        Sent(t.SegmentArrives(Seg("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=65535>")), "<SEQ=101><ACK=301><CTL=ACK>");
        return t;
    }

    /// <summary>Simultaneous close: our FIN (101) sent and unacknowledged, the peer's FIN (301) received.
    /// SND.UNA = 101, SND.NXT = 102, RCV.NXT = 302.</summary>
    public static ReferenceTcp Closing(Profile p)
    {
        var t = Established(p);
        Sent(t.Close(), "<SEQ=101><ACK=301><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=FIN,ACK><WND=65535>")), "<SEQ=102><ACK=302><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        return t;
    }

    /// <summary>Passive close: the peer's FIN received, ours sent. SND.UNA = 101, SND.NXT = 102, RCV.NXT = 302.</summary>
    public static ReferenceTcp LastAck(Profile p)
    {
        var t = Established(p);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=FIN,ACK><WND=65535>")), "<SEQ=101><ACK=302><CTL=ACK>");
        Sent(t.Close(), "<SEQ=101><ACK=302><CTL=FIN,ACK>");
        Assert.Equal(RefState.LastAck, t.State);
        return t;
    }

    /// <summary>Active close: our FIN acknowledged, then the peer's FIN. SND.UNA = SND.NXT = 102, RCV.NXT = 302; the
    /// 2 MSL timeout ends at 240 s.</summary>
    public static ReferenceTcp TimeWait(Profile p)
    {
        var t = Established(p);
        Sent(t.Close(), "<SEQ=101><ACK=301><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=ACK><WND=65535>")));
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=FIN,ACK><WND=65535>")), "<SEQ=102><ACK=302><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(240 * Second, t.TimeWaitDeadline);
        return t;
    }
}

/// <summary>TIME-WAIT: the RFC 5961 §5.2 check before TIME-WAIT's own fifth-check text ("The only thing that can
/// arrive in this state is a retransmission of the remote FIN").</summary>
public sealed class Rfc5961AckRangeInTimeWait
{
    private const string AckOfRcvNxt = "<SEQ=102><ACK=302><CTL=ACK>";

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    [InlineData(303u, 3221225574u)] // <SEQ=RCV.NXT+1><ACK=SND.UNA-2^30>
    [InlineData(302u, 4294901862u)] // <SEQ=RCV.NXT><ACK=SND.UNA-MAX.SND.WND-1>
    public void AnAcceptableAckOlderThanSndUnaMinusMaxSndWndIsDiscardedAndAChallengeAckSentBack(uint seq, uint ack)
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On);
        t.AdvanceTo(50 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg($"<SEQ={seq}><ACK={ack}><CTL=ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(240 * AfterTheFinKit.Second, t.TimeWaitDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    [InlineData(304u, 103u)] // <SEQ=RCV.NXT+2><ACK=SND.NXT+1>
    [InlineData(302u, 1073741926u)] // <SEQ=RCV.NXT><ACK=SND.NXT+2^30>
    public void AnAcceptableAckBeyondSndNxtIsDiscardedAndAChallengeAckSentBack(uint seq, uint ack)
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On);
        t.AdvanceTo(50 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg($"<SEQ={seq}><ACK={ack}><CTL=ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(240 * AfterTheFinKit.Second, t.TimeWaitDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, TIME-WAIT")]
    [InlineData(4294901863u)] // SND.UNA - MAX.SND.WND
    [InlineData(102u)] // SND.NXT
    public void AnAckAtEitherEndOfTheRangeMeetsTheTimeWaitTextAndDrawsNothing(uint ack)
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On);
        Sent(t.SegmentArrives(Seg($"<SEQ=303><ACK={ack}><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, eighth; 5961 §5.2")]
    [InlineData(3221225574u)]
    [InlineData(103u)]
    public void AFinWithAnAckOutsideTheRangeIsDiscardedByTheFifthCheckBeforeTheEighthCanRestartTheTimeout(uint ack)
    {
        // The fifth check's discard comes before the eighth step: one challenge ACK, no acknowledgment of the FIN,
        // the 2 MSL timeout not restarted.
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On);
        t.AdvanceTo(50 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg($"<SEQ=302><ACK={ack}><CTL=FIN,ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(240 * AfterTheFinKit.Second, t.TimeWaitDeadline);
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, seventh; 5961 §5.2, §7")]
    public void OutOfRangeAcksDrawThrottledChallengeAcksAndTheirTextIsNotAcknowledgedBeyondTheLimit()
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On); // challenge-ack-limit 10 per second
        int sent = 0;
        for (int i = 0; i < 6; i++) sent += t.SegmentArrives(Seg("<SEQ=303><ACK=3221225574><CTL=ACK><WND=65535>")).Count;
        for (int i = 0; i < 6; i++) sent += t.SegmentArrives(Seg("<SEQ=303><ACK=103><CTL=ACK><WND=65535>")).Count;
        Assert.Equal(10, sent);
        // Text is discarded in the fifth check: the seventh step's acknowledgment is not sent either.
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=103><CTL=ACK><WND=65535><DATA=\"x\">")));
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=3221225574><CTL=ACK><WND=65535><DATA=\"x\">")));
        t.AdvanceTo(1 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=103><CTL=ACK><WND=65535><DATA=\"x\">")), AckOfRcvNxt);
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    public void UnderTheEveryAckRuleAnAckOutsideTheRangeDrawsOnlyTheChallengeAckAndDoesNotRestartTheTimeout()
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.On with { TimeWaitAckRule = TimeWaitAckRule.EveryAck });
        t.AdvanceTo(50 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=103><CTL=ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(240 * AfterTheFinKit.Second, t.TimeWaitDeadline);
        // In the range, the EveryAck text applies: acknowledged, the timeout restarted.
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=102><CTL=ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(290 * AfterTheFinKit.Second, t.TimeWaitDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, TIME-WAIT")]
    [InlineData(3221225574u)]
    [InlineData(103u)]
    public void WithoutTheAckRangeCheckAnAckOutsideTheRangeMeetsTheTimeWaitTextAndDrawsNothing(uint ack)
    {
        foreach (var p in new[] { AfterTheFinKit.Off, Profile.Rfc793 })
        {
            var t = AfterTheFinKit.TimeWait(p);
            t.AdvanceTo(50 * AfterTheFinKit.Second);
            Sent(t.SegmentArrives(Seg($"<SEQ=303><ACK={ack}><CTL=ACK><WND=65535>")));
            Assert.Equal(RefState.TimeWait, t.State);
            Assert.Equal(240 * AfterTheFinKit.Second, t.TimeWaitDeadline);
        }
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth, seventh, eighth, TIME-WAIT")]
    [InlineData(3221225574u)]
    [InlineData(103u)]
    public void WithoutTheAckRangeCheckAFinWithAnAckOutsideTheRangeIsAcknowledgedAndRestartsTheTimeout(uint ack)
    {
        var t = AfterTheFinKit.TimeWait(AfterTheFinKit.Off);
        t.AdvanceTo(50 * AfterTheFinKit.Second);
        Sent(t.SegmentArrives(Seg($"<SEQ=302><ACK={ack}><CTL=FIN,ACK><WND=65535>")), AckOfRcvNxt);
        Assert.Equal(290 * AfterTheFinKit.Second, t.TimeWaitDeadline);
        Assert.Equal(RefState.TimeWait, t.State);
    }
}

/// <summary>CLOSING: "In addition to the processing for the ESTABLISHED state" — the RFC 5961 §5.2 check comes first.</summary>
public sealed class Rfc5961AckRangeInClosing
{
    private const string Ack = "<SEQ=102><ACK=302><CTL=ACK>";

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    [InlineData(3221225573u)] // SND.UNA - 2^30
    [InlineData(4294901861u)] // SND.UNA - MAX.SND.WND - 1
    public void AnAckOlderThanSndUnaMinusMaxSndWndIsDiscardedAndAChallengeAckSentBack(uint ack)
    {
        var t = AfterTheFinKit.Closing(AfterTheFinKit.On);
        Sent(t.SegmentArrives(Seg($"<SEQ=303><ACK={ack}><CTL=ACK><WND=65535>")), Ack);
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(new SeqNum(101), t.SndUna);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void AnAckBeyondSndNxtIsAnsweredWithAnAckAndDroppedWhetherOrNotTheCheckIsOn()
    {
        foreach (var p in new[] { AfterTheFinKit.On, AfterTheFinKit.Off })
        {
            var t = AfterTheFinKit.Closing(p);
            Sent(t.SegmentArrives(Seg("<SEQ=303><ACK=103><CTL=ACK><WND=65535>")), Ack);
            Assert.Equal(RefState.Closing, t.State);
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12)")]
    public void WithoutTheAckRangeCheckAFarOlderAckIsADuplicateAndIgnored()
    {
        var t = AfterTheFinKit.Closing(AfterTheFinKit.Off);
        Sent(t.SegmentArrives(Seg("<SEQ=303><ACK=3221225573><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.Closing, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, CLOSING")]
    public void AnAckOfOurFinInsideTheRangeEntersTimeWait()
    {
        var t = AfterTheFinKit.Closing(AfterTheFinKit.On);
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=102><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.TimeWait, t.State);
    }
}

/// <summary>LAST-ACK: the RFC 5961 §5.2 check before "The only thing that can arrive in this state is an
/// acknowledgment of our FIN".</summary>
public sealed class Rfc5961AckRangeInLastAck
{
    private const string Ack = "<SEQ=102><ACK=302><CTL=ACK>";

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    [InlineData(3221225573u)] // SND.UNA - 2^30
    [InlineData(4294901861u)] // SND.UNA - MAX.SND.WND - 1
    public void AnAckOlderThanSndUnaMinusMaxSndWndIsDiscardedAndAChallengeAckSentBack(uint ack)
    {
        var t = AfterTheFinKit.LastAck(AfterTheFinKit.On);
        Sent(t.SegmentArrives(Seg($"<SEQ=302><ACK={ack}><CTL=ACK><WND=65535>")), Ack);
        Assert.Equal(RefState.LastAck, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth")]
    public void AnAckBeyondSndNxtIsAnsweredWithAnAckAndDroppedWhetherOrNotTheCheckIsOn()
    {
        foreach (var p in new[] { AfterTheFinKit.On, AfterTheFinKit.Off })
        {
            var t = AfterTheFinKit.LastAck(p);
            Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=103><CTL=ACK><WND=65535>")), Ack);
            Assert.Equal(RefState.LastAck, t.State);
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12)")]
    public void WithoutTheAckRangeCheckAFarOlderAckIsADuplicateAndIgnored()
    {
        var t = AfterTheFinKit.LastAck(AfterTheFinKit.Off);
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=3221225573><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.LastAck, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, LAST-ACK")]
    public void AnAckOfOurFinInsideTheRangeClosesTheConnection()
    {
        var t = AfterTheFinKit.LastAck(AfterTheFinKit.On);
        Sent(t.SegmentArrives(Seg("<SEQ=302><ACK=102><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.Closed, t.State);
    }
}
