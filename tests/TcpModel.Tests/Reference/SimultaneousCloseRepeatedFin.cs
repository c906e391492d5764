using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY simultaneous-close-fin-ack (RFC 9293 Appendix A.2, §3.10.7.4): in CLOSING only a segment
/// that repeats the peer's FIN (ending exactly at RCV.NXT, with the ACK bit) has its ACK field processed,
/// whatever it acknowledges; everything else old keeps the first check's ACK and drop.</summary>
public sealed class SimultaneousCloseRepeatedFin
{
    private const string ClosingAck = "<SEQ=4294967292><ACK=2><CTL=ACK>";

    /// <summary>CLOSING with the policy on: our FIN at 4294967291, the peer's text "x" at 0 and its FIN at 1.
    /// SND.NXT = 4294967292, RCV.NXT = 2.</summary>
    private static ReferenceTcp Closing()
    {
        var t = Established(Rfc9293 with { SimultaneousCloseAckOfRepeatedFin = true });
        Sent(t.Close(), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, 4294967291, data: "x", extra: Control.FIN)), ClosingAck);
        Assert.Equal(RefState.Closing, t.State);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4, Appendix A.2")]
    public void TheRepeatedFinWithItsTextAndTheAckOfOurFinEntersTimeWaitWithoutDeliveringTheTextAgain()
    {
        var t = Closing();
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "x", extra: Control.FIN)), ClosingAck);
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal([(byte)'x'], t.Received);
        Assert.Equal(["connection closing"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void ARepeatedFinWithADuplicateAckIsAcknowledgedAndLeavesClosing()
    {
        var t = Closing();
        Sent(t.SegmentArrives(Ack(0, 4294967291, data: "x", extra: Control.FIN)), ClosingAck);
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
    }

    /// <summary>CLOSING with one octet "a" (at 4294967291) and our FIN (at 4294967292) outstanding, sent at time 0;
    /// the peer's FIN at 0 acknowledged nothing. SND.UNA = 4294967291, SND.NXT = 4294967293, RCV.NXT = 1, RTO 1 s.</summary>
    private static ReferenceTcp ClosingWithTextOutstanding(bool policy, int challengeAckLimit = 10)
    {
        var t = Established(Rfc9293 with { SimultaneousCloseAckOfRepeatedFin = policy, ChallengeAckLimitPerSecond = challengeAckLimit });
        Sent(t.Send("a"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("a"));
        Sent(t.Close(), "<SEQ=4294967292><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, 4294967291, extra: Control.FIN)), "<SEQ=4294967293><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(1 * Second, t.RetransmissionDeadline);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, Appendix A.2")]
    public void ARepeatedFinAcknowledgingOurTextButNotOurFinAdvancesSndUnaSoOnlyTheFinIsRetransmitted()
    {
        var t = ClosingWithTextOutstanding(policy: true);
        t.SetClock(Second / 2);
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967293><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(new SeqNum(4294967292), t.SndUna);
        // RFC 6298 §5.3: new data acknowledged, the timer restarts for what is left: the FIN.
        Assert.Equal(Second / 2 + 1 * Second, t.RetransmissionDeadline);
        Sent(t.AdvanceTo(Second / 2 + 1 * Second), "<SEQ=4294967292><ACK=1><CTL=FIN,ACK>");
        Assert.Equal(RefState.Closing, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 first")]
    public void WithoutThePolicyARepeatedFinAcknowledgingOurTextIsOnlyAnsweredAndTheTextGoesOutAgain()
    {
        var t = ClosingWithTextOutstanding(policy: false);
        t.SetClock(Second / 2);
        Sent(t.SegmentArrives(Ack(0, 4294967292, extra: Control.FIN)), "<SEQ=4294967293><ACK=1><CTL=ACK>");
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
        Sent(t.AdvanceTo(1 * Second), "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>" + Data("a"));
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth, Appendix A.2")]
    public void ARepeatedFinAcknowledgingOurTextAndOurFinEntersTimeWait()
    {
        var t = ClosingWithTextOutstanding(policy: true);
        Sent(t.SegmentArrives(Ack(0, 4294967293, extra: Control.FIN)), "<SEQ=4294967293><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Null(t.RetransmissionDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4 first, fifth; 5961 §5.2")]
    [InlineData(4294967294u)] // SEG.ACK > SND.NXT: "send an ACK, drop the segment, and return"
    [InlineData(3221225472u)] // far below SND.UNA - MAX.SND.WND (rfc5961-ack): the first check's ACK, unthrottled
    public void ARepeatedFinWhoseAckTheFifthCheckRejectsGetsOneAckAndChangesNothing(uint ack)
    {
        var t = ClosingWithTextOutstanding(policy: true, challengeAckLimit: 1);
        for (int i = 0; i < 3; i++)
        {
            // Three times in the same second, one challenge ACK allowed per second: the first check's ACK is not
            // a throttled challenge ACK.
            Sent(t.SegmentArrives(Ack(0, ack, extra: Control.FIN)), "<SEQ=4294967293><ACK=1><CTL=ACK>");
            Assert.Equal(RefState.Closing, t.State);
            Assert.Equal(new SeqNum(4294967291), t.SndUna);
        }
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("x", false)]   // old text without the FIN: ends at 1, before RCV.NXT
    [InlineData("", true)]     // a FIN at 0: not where the peer's FIN was, ends at 1
    public void AnOldSegmentNotEndingAtRcvNxtWithTheFinIsAcknowledgedAndDroppedEvenIfItAcksOurFin(string data, bool fin)
    {
        var t = Closing();
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: data, extra: fin ? Control.FIN : Control.None)), ClosingAck);
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void ARepeatedFinWithRstIsNotTakenForTheFinAndDropped()
    {
        var t = Closing();
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "x", extra: Control.FIN | Control.RST)));
        Assert.Equal(RefState.Closing, t.State);
    }

    /// <summary>RFC 9293 Figure 13 with both ACKs of line 3 lost: each side then only learns of the ACK of
    /// its FIN from a retransmission. A at ISS 99, B at ISS 299, both RTT samples 0 (RTO 1 s).</summary>
    [Theory]
    [Trait("RFC", "9293 §3.6, Appendix A.2")]
    [InlineData(true)]
    [InlineData(false)]
    public void InASimultaneousCloseWhoseAcksAreLostTheFirstRetransmittedFinClosesBothSidesWithThePolicy(bool on)
    {
        var profile = Rfc9293 with { SimultaneousCloseAckOfRepeatedFin = on };
        var a = new ReferenceTcp(profile, new SeqNum(99));
        var b = new ReferenceTcp(profile, new SeqNum(299));
        b.OpenPassive();
        Assert.Empty(ReferenceKit.Deliver(ReferenceKit.Deliver(ReferenceKit.Deliver(a.OpenActive(), b), a), b));

        var finA = a.Close();
        var finB = b.Close();
        Sent(ReferenceKit.Deliver(finB, a), "<SEQ=101><ACK=301><CTL=ACK>");       // lost
        Sent(ReferenceKit.Deliver(finA, b), "<SEQ=301><ACK=101><CTL=ACK>");       // lost
        Assert.Equal(RefState.Closing, a.State);
        Assert.Equal(RefState.Closing, b.State);

        Sent(b.AdvanceTo(Second / 2));
        var again = a.AdvanceTo(1 * Second);
        Sent(again, "<SEQ=100><ACK=301><CTL=FIN,ACK>");                           // now acknowledging B's FIN
        var answer = ReferenceKit.Deliver(again, b);
        Sent(answer, "<SEQ=301><ACK=101><CTL=ACK>");
        Assert.Equal(on ? RefState.TimeWait : RefState.Closing, b.State);
        Sent(ReferenceKit.Deliver(answer, a));
        Assert.Equal(RefState.TimeWait, a.State);

        if (on)
        {
            Assert.Null(b.RetransmissionDeadline);
            Sent(b.AdvanceTo(1 * Second));
        }
        else
        {
            // B's FIN goes out again; A, in TIME-WAIT, acknowledges it and B leaves CLOSING only then.
            var finBAgain = b.AdvanceTo(1 * Second);
            Sent(finBAgain, "<SEQ=300><ACK=101><CTL=FIN,ACK>");
            var lastAck = ReferenceKit.Deliver(finBAgain, a);
            Sent(lastAck, "<SEQ=101><ACK=301><CTL=ACK>");
            Sent(ReferenceKit.Deliver(lastAck, b));
        }
        Assert.Equal(RefState.TimeWait, b.State);
    }
}
