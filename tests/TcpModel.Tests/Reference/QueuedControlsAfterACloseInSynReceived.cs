using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>FIN-WAIT-1 entered from SYN-RECEIVED by a CLOSE with nothing to send (RFC 9293 §3.10.4: "form a FIN segment
/// and send it, and enter FIN-WAIT-1 state") while text and a FIN that came with the peer's SYN are queued "for
/// processing after the ESTABLISHED state has been reached" (§3.10.7.2, §3.10.7.3). ESTABLISHED is never reached; the
/// queued text and FIN are processed when the connection becomes synchronized — when the ACK of our SYN arrives, in
/// the state its fifth check leaves (FIN-WAIT-1, or FIN-WAIT-2 when it covers our FIN too) — and not at an earlier
/// segment that does not acknowledge our SYN (FreeBSD: tcp_usrclosed keeps TF_NEEDFIN in SYN_RECEIVED; the ACK of
/// the SYN makes it FIN_WAIT_1 and flushes tcp_reass).</summary>
public sealed class QueuedControlsAfterACloseInSynReceived
{
    private const string SynAck = "<SEQ=4294967290><ACK=0><CTL=SYN,ACK><OPT=MSS:1460>";

    /// <summary>Our FIN, sent by the CLOSE in SYN-RECEIVED (SND.NXT = ISS+2 = 4294967292 after it).</summary>
    private const string OurFin = "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>";

    /// <summary>A duplicate ACK: SEG.ACK = ISS = SND.UNA, acceptable in FIN-WAIT-1 ("it can be ignored"), and not an
    /// acknowledgment of our SYN.</summary>
    private static Segment DuplicateAck => Ack(0, 4294967290);

    /// <summary>A passive OPEN; the peer's SYN (at 4294967295, so RCV.NXT = 0) arrives with <paramref name="control"/>
    /// and <paramref name="data"/>; then the user's CLOSE, with nothing to send, takes the connection to FIN-WAIT-1.</summary>
    private static ReferenceTcp ClosedInSynReceived(string control, string data = "")
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenPassive();
        var text = data.Length == 0 ? "" : Data(data);
        Sent(t.SegmentArrives(Seg($"<SEQ={PeerIss}><CTL={control}><WND=65535>{text}")), SynAck);
        Assert.Equal(RefState.SynReceived, t.State);
        Sent(t.Close(), OurFin);
        Assert.Equal(RefState.FinWait1, t.State);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2, §3.10.4, §3.10.7.4")]
    public void AFinQueuedWithThePeersSynWaitsForTheAckOfOurSynAndIsThenProcessedInFinWait1EnteringClosing()
    {
        var t = ClosedInSynReceived("SYN,FIN");
        // Not synchronized yet: the duplicate ACK passes the fifth check and leaves the queued FIN queued.
        Sent(t.SegmentArrives(DuplicateAck));
        Assert.Equal(RefState.FinWait1, t.State);
        Assert.Empty(t.Notifications);
        // The ACK of our SYN (not of our FIN): the queued FIN in FIN-WAIT-1 — "connection closing", RCV.NXT over it,
        // acknowledged, CLOSING.
        Sent(t.SegmentArrives(Ack(0, 4294967291)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
        Sent(t.SegmentArrives(Ack(1, 4294967292)));
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2, §3.10.4, §3.10.7.4")]
    public void WhenTheAckOfOurSynAlsoAcknowledgesOurFinTheQueuedFinIsProcessedInFinWait2EnteringTimeWait()
    {
        var t = ClosedInSynReceived("SYN,FIN");
        Sent(t.SegmentArrives(DuplicateAck));
        Assert.Equal(RefState.FinWait1, t.State);
        Sent(t.SegmentArrives(Ack(0, 4294967292)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2, §3.10.4, §3.10.7.4")]
    public void TextQueuedWithThePeersSynIsDeliveredAtTheAckOfOurSynNotBefore()
    {
        var t = ClosedInSynReceived("SYN,FIN", "AB");
        Sent(t.SegmentArrives(DuplicateAck));
        Sent(t.Receive(10, out var none));
        Assert.Empty(none);
        Assert.Empty(t.Notifications);
        // The text at RCV.NXT = 0, then the FIN at 2: RCV.NXT = 3.
        Sent(t.SegmentArrives(Ack(0, 4294967291)), "<SEQ=4294967292><ACK=3><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        t.Receive(10, out var data);
        Assert.Equal("AB"u8.ToArray(), data);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.3, §3.10.4, §3.10.7.4")]
    public void AfterASynFinInSynSentTheQueuedFinLikewiseWaitsForTheAckOfOurSyn()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenActive();
        // A SYN,FIN without ACK in SYN-SENT: SYN-RECEIVED, the FIN "queued for processing after the ESTABLISHED state
        // has been reached".
        Sent(t.SegmentArrives(Seg($"<SEQ={PeerIss}><CTL=SYN,FIN><WND=65535>")), SynAck);
        Sent(t.Close(), OurFin);
        Assert.Equal(RefState.FinWait1, t.State);
        Sent(t.SegmentArrives(DuplicateAck));
        Assert.Equal(RefState.FinWait1, t.State);
        Assert.Empty(t.Notifications);
        Sent(t.SegmentArrives(Ack(0, 4294967291)), "<SEQ=4294967292><ACK=1><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void TextAndFinOfASegmentArrivingBeforeTheAckOfOurSynAreProcessedAsFinWait1ProcessesThem()
    {
        // Only what came with the SYN is queued; a later segment's text and FIN meet FIN-WAIT-1's seventh and eighth
        // steps. Here they take the sequence space the queued FIN held, which is old by the time our SYN is
        // acknowledged ("only the new parts are processed").
        var t = ClosedInSynReceived("SYN,FIN");
        Sent(t.SegmentArrives(Ack(0, 4294967290, data: "##", extra: Control.FIN)), "<SEQ=4294967292><ACK=3><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
        t.Receive(10, out var data);
        Assert.Equal("##"u8.ToArray(), data);
        Sent(t.SegmentArrives(Ack(3, 4294967292)));
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
    }
}
