using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>Controls queued in SYN-RECEIVED are processed after ESTABLISHED is reached, in the order they happened:
/// the peer's FIN that came with its SYN (RFC 9293 §3.10.7.2, §3.10.7.3: "queue them for processing after the
/// ESTABLISHED state has been reached") and the user's CLOSE issued with data pending (§3.10.4 SYN-RECEIVED:
/// "queue for processing after entering ESTABLISHED state").</summary>
public sealed class QueuedControlsInSynReceived
{
    private const string SynAck = "<SEQ=4294967290><ACK=0><CTL=SYN,ACK><OPT=MSS:1460>";

    /// <summary>A passive OPEN; the peer's SYN (at 4294967295, so RCV.NXT = 0) arrives with
    /// <paramref name="control"/>.</summary>
    private static ReferenceTcp PassiveSynReceived(string control)
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenPassive();
        Sent(t.SegmentArrives(Seg($"<SEQ={PeerIss}><CTL={control}><WND=65535>")), SynAck);
        Assert.Equal(RefState.SynReceived, t.State);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2, §3.10.4, §3.10.7.4")]
    public void APeersFinQueuedWithItsSynBeforeTheCloseIsProcessedFirstCloseWaitThenLastAck()
    {
        var t = PassiveSynReceived("SYN,FIN");
        Sent(t.Send("A"u8));
        Sent(t.Close()); // data pending: queued
        Assert.Equal(RefState.SynReceived, t.State);
        // The ACK of our SYN: ESTABLISHED, then the FIN (CLOSE-WAIT, "connection closing", acknowledged), then the
        // CLOSE (LAST-ACK): the queued "A" and our FIN acknowledge the peer's FIN.
        Sent(t.SegmentArrives(Ack(0, 4294967291)),
            "<SEQ=4294967291><ACK=1><CTL=ACK>",
            "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>" + Data("A"));
        Assert.Equal(RefState.LastAck, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
        Sent(t.SegmentArrives(Ack(1, 4294967293)));
        Assert.Equal(RefState.Closed, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.3, §3.10.4, §3.10.7.4")]
    public void AfterASimultaneousOpenTheQueuedFinLikewiseComesBeforeTheQueuedClose()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenActive();
        Sent(t.Send("A"u8));
        // A SYN,FIN without ACK in SYN-SENT: SYN-RECEIVED, the FIN queued.
        Sent(t.SegmentArrives(Seg($"<SEQ={PeerIss}><CTL=SYN,FIN><WND=65535>")), SynAck);
        Assert.Equal(RefState.SynReceived, t.State);
        Sent(t.Close());
        Sent(t.SegmentArrives(Ack(0, 4294967291)),
            "<SEQ=4294967291><ACK=1><CTL=ACK>",
            "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>" + Data("A"));
        Assert.Equal(RefState.LastAck, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.4, §3.10.7.4")]
    public void ACloseQueuedBeforeThePeersFinArrivesIsProcessedFirstFinWait1ThenClosing()
    {
        var t = PassiveSynReceived("SYN");
        Sent(t.Send("A"u8));
        Sent(t.Close());
        // The ACK of our SYN carries the peer's FIN: the queued CLOSE (FIN-WAIT-1) comes before it (CLOSING).
        Sent(t.SegmentArrives(Ack(0, 4294967291, extra: Control.FIN)),
            "<SEQ=4294967291><ACK=1><CTL=ACK>",
            "<SEQ=4294967291><ACK=1><CTL=FIN,ACK>" + Data("A"));
        Assert.Equal(RefState.Closing, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
        Sent(t.SegmentArrives(Ack(1, 4294967293)));
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2, §3.10.4")]
    public void WithoutAQueuedCloseTheQueuedFinLeadsToCloseWaitAndTheQueuedDataFollows()
    {
        var t = PassiveSynReceived("SYN,FIN");
        Sent(t.Send("A"u8));
        Sent(t.SegmentArrives(Ack(0, 4294967291)),
            "<SEQ=4294967291><ACK=1><CTL=ACK>",
            "<SEQ=4294967291><ACK=1><CTL=ACK>" + Data("A"));
        Assert.Equal(RefState.CloseWait, t.State);
    }
}
