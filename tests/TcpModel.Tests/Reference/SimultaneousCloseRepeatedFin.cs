using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY simultaneous-close-fin-ack (RFC 9293 Appendix A.2, §3.10.7.4): in CLOSING only a segment
/// that repeats the peer's FIN (ending exactly at RCV.NXT) and acknowledges our FIN has its ACK field
/// processed; everything else old keeps the first check's ACK and drop.</summary>
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
    public void ARepeatedFinThatDoesNotAcknowledgeOurFinIsAcknowledgedAndDropped()
    {
        var t = Closing();
        Sent(t.SegmentArrives(Ack(0, 4294967291, data: "x", extra: Control.FIN)), ClosingAck);
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
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
