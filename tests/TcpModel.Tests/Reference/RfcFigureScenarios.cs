using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>
/// RFC 9293 Figures 6–13 (§3.5, §3.6) replayed between two reference endpoints: every segment of
/// the figure, in order, and nothing else. Line numbers refer to the figures.
/// </summary>
public sealed class RfcFigureScenarios
{
    private static readonly RefConfig Default = new();

    [Fact]
    [Trait("RFC", "9293 §3.5")]
    public void Figure6_TheBasicThreeWayHandshakeExchangesExactlyTheFigureSegments()
    {
        var a = new ReferenceTcp(Default, new SeqNum(100));
        var b = new ReferenceTcp(Default, new SeqNum(300));
        Sent(b.OpenPassive());                                                    // 1. CLOSED  LISTEN
        Assert.Equal(RefState.Listen, b.State);

        var syn = a.OpenActive();                                                 // 2.
        SentWithWindow(syn, "<SEQ=100><CTL=SYN><WND=65535><OPT=MSS:1460>");
        Assert.Equal(RefState.SynSent, a.State);

        var synAck = Deliver(syn, b);                                             // 3.
        SentWithWindow(synAck, "<SEQ=300><ACK=101><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>");
        Assert.Equal(RefState.SynReceived, b.State);

        var ack = Deliver(synAck, a);                                             // 4.
        SentWithWindow(ack, "<SEQ=101><ACK=301><CTL=ACK><WND=65535>");
        Assert.Equal(RefState.Established, a.State);
        Sent(Deliver(ack, b));
        Assert.Equal(RefState.Established, b.State);

        var data = a.Send("hello"u8);                                             // 5.
        Sent(data, "<SEQ=101><ACK=301><CTL=ACK><DATA=\"hello\">");
        SentWithWindow(Deliver(data, b), "<SEQ=301><ACK=106><CTL=ACK><WND=65530>");
        Assert.Equal("hello"u8.ToArray(), b.Received);
        Assert.Empty(a.Notifications);
        Assert.Empty(b.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.5")]
    public void Figure7_SimultaneousOpenCyclesEachPeerThroughSynReceivedToEstablished()
    {
        var a = new ReferenceTcp(Default, new SeqNum(100));
        var b = new ReferenceTcp(Default, new SeqNum(300));

        var synA = a.OpenActive();                                                // 2. (delayed)
        Sent(synA, "<SEQ=100><CTL=SYN><OPT=MSS:1460>");
        var synB = b.OpenActive();                                                // 3.
        Sent(synB, "<SEQ=300><CTL=SYN><OPT=MSS:1460>");

        var synAckA = Deliver(synB, a);                                           // 3. A: SYN-RECEIVED
        Assert.Equal(RefState.SynReceived, a.State);
        Sent(synAckA, "<SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>");           // 5. (delayed)

        var synAckB = Deliver(synA, b);                                           // 4. B: SYN-RECEIVED
        Assert.Equal(RefState.SynReceived, b.State);
        Sent(synAckB, "<SEQ=300><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>");           // 6.

        Sent(Deliver(synAckB, a));                                                // 6. A: ESTABLISHED
        Assert.Equal(RefState.Established, a.State);
        Sent(Deliver(synAckA, b));                                                // 7. B: ESTABLISHED
        Assert.Equal(RefState.Established, b.State);

        // The connection carries data both ways afterwards.
        Sent(Deliver(a.Send("x"u8), b), "<SEQ=301><ACK=102><CTL=ACK>");
        Sent(Deliver(b.Send("y"u8), a), "<SEQ=102><ACK=302><CTL=ACK>");
    }

    [Fact]
    [Trait("RFC", "9293 §3.5")]
    public void Figure8_AnOldDuplicateSynIsResetAndTheOriginalSynThenCompletesTheHandshake()
    {
        var a = new ReferenceTcp(Default, new SeqNum(100));
        var b = new ReferenceTcp(Default, new SeqNum(300));
        b.OpenPassive();                                                          // 1.

        var syn = a.OpenActive();                                                 // 2. (delayed)
        Sent(syn, "<SEQ=100><CTL=SYN><OPT=MSS:1460>");

        var oldSynAck = b.SegmentArrives(Seg("<SEQ=90><CTL=SYN><WND=65535>"));    // 3. (duplicate)
        Assert.Equal(RefState.SynReceived, b.State);
        Sent(oldSynAck, "<SEQ=300><ACK=91><CTL=SYN,ACK><OPT=MSS:1460>");          // 4.

        var rst = Deliver(oldSynAck, a);                                          // 5.
        Sent(rst, "<SEQ=91><CTL=RST>");
        Assert.Equal(RefState.SynSent, a.State);
        Sent(Deliver(rst, b));
        Assert.Equal(RefState.Listen, b.State);

        b.NextIss = new SeqNum(400);                                              // the figure's new ISS
        var synAck = Deliver(syn, b);                                             // 6.
        Assert.Equal(RefState.SynReceived, b.State);
        Sent(synAck, "<SEQ=400><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>");            // 7.

        var ack = Deliver(synAck, a);
        Assert.Equal(RefState.Established, a.State);
        Sent(ack, "<SEQ=101><ACK=401><CTL=ACK>");                                 // 8.
        Sent(Deliver(ack, b));
        Assert.Equal(RefState.Established, b.State);
        Assert.Empty(a.Notifications);
        Assert.Empty(b.Notifications);
    }

    [Theory]
    [Trait("RFC", "9293 §3.5.1")]
    [InlineData(true, 65535u)]   // RFC 5961: challenge ACK for the SYN irrespective of its sequence number
    [InlineData(false, 200u)]    // RFC 793: the SYN at 400 lies outside B's window [100, 300)
    public void Figure9_ARebootedPeersSynDiscoversTheHalfOpenConnectionAndResetsIt(bool rfc5961, uint bufferB)
    {
        // B: ESTABLISHED, "send 300, receive 100" (ISS 299 and peer ISS 99).
        var (_, b) = EstablishedPair(99, 299, configB: new RefConfig(Rfc5961: rfc5961, ReceiveBuffer: bufferB));
        var a = new ReferenceTcp(Default, new SeqNum(400));                       // 1.-2. (REBOOT) CLOSED

        var syn = a.OpenActive();                                                 // 3.
        Sent(syn, "<SEQ=400><CTL=SYN><OPT=MSS:1460>");
        var ack = Deliver(syn, b);                                                // 4.
        Sent(ack, "<SEQ=300><ACK=100><CTL=ACK>");
        Assert.Equal(RefState.Established, b.State);

        var rst = Deliver(ack, a);                                                // 5.
        Sent(rst, "<SEQ=100><CTL=RST>");
        Assert.Equal(RefState.SynSent, a.State);                                  // 6.
        Sent(Deliver(rst, b));
        Assert.Equal(RefState.Closed, b.State);
        Assert.Equal(["connection reset"], b.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.5.1")]
    public void Figure10_DataArrivingAtARebootedPeerDrawsAResetThatAbortsTheSender()
    {
        var (_, b) = EstablishedPair(99, 299);                                    // B: send 300, receive 100
        var a = new ReferenceTcp(Default, new SeqNum(400));                       // 1. (REBOOT)

        var data = b.Send("0123456789"u8);                                        // 2.
        Sent(data, "<SEQ=300><ACK=100><CTL=ACK><DATA=\"0123456789\">");
        var rst = Deliver(data, a);                                               // 3.
        SentWithWindow(rst, "<SEQ=100><CTL=RST><WND=0>");
        Assert.Equal(RefState.Closed, a.State);
        Sent(Deliver(rst, b));
        Assert.Equal(RefState.Closed, b.State);
        Assert.Equal(["connection reset"], b.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.5.1")]
    public void Figure11_AnOldDuplicateSynBetweenTwoPassiveSocketsIsResetAndBothStayListening()
    {
        var a = new ReferenceTcp(Default, new SeqNum(100));
        var b = new ReferenceTcp(Default, new SeqNum(300));
        a.OpenPassive();                                                          // 1.
        b.OpenPassive();

        var synAck = b.SegmentArrives(Seg("<SEQ=500><CTL=SYN><WND=65535>"));      // 2. Z = 500
        Assert.Equal(RefState.SynReceived, b.State);
        Sent(synAck, "<SEQ=300><ACK=501><CTL=SYN,ACK><OPT=MSS:1460>");            // 3. X = 300

        var rst = Deliver(synAck, a);                                             // 4.
        SentWithWindow(rst, "<SEQ=501><CTL=RST><WND=0>");
        Sent(Deliver(rst, b));
        Assert.Equal(RefState.Listen, a.State);                                   // 5.
        Assert.Equal(RefState.Listen, b.State);
        Assert.Empty(b.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.6")]
    public void Figure12_TheNormalCloseSequenceEndsInTimeWaitAndClosed()
    {
        var (a, b) = EstablishedPair(99, 299);                                    // 1. send 100 / send 300

        var fin = a.Close();                                                      // 2.
        Sent(fin, "<SEQ=100><ACK=300><CTL=FIN,ACK>");
        Assert.Equal(RefState.FinWait1, a.State);
        var ackOfFin = Deliver(fin, b);
        Assert.Equal(RefState.CloseWait, b.State);
        Assert.Equal(["connection closing"], b.Notifications);
        Sent(ackOfFin, "<SEQ=300><ACK=101><CTL=ACK>");                            // 3.
        Sent(Deliver(ackOfFin, a));
        Assert.Equal(RefState.FinWait2, a.State);

        var finB = b.Close();                                                     // 4.
        Sent(finB, "<SEQ=300><ACK=101><CTL=FIN,ACK>");
        Assert.Equal(RefState.LastAck, b.State);
        var lastAck = Deliver(finB, a);
        Assert.Equal(RefState.TimeWait, a.State);
        Sent(lastAck, "<SEQ=101><ACK=301><CTL=ACK>");                             // 5.
        Sent(Deliver(lastAck, b));
        Assert.Equal(RefState.Closed, b.State);

        Sent(a.TimeWaitTimeout());                                                // 6. (2 MSL)
        Assert.Equal(RefState.Closed, a.State);
        Assert.Equal(["connection closing"], a.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.6")]
    public void Figure13_ASimultaneousCloseGoesThroughClosingToTimeWaitOnBothSides()
    {
        var (a, b) = EstablishedPair(99, 299);                                    // 1.

        var finA = a.Close();                                                     // 2.
        var finB = b.Close();
        Sent(finA, "<SEQ=100><ACK=300><CTL=FIN,ACK>");
        Sent(finB, "<SEQ=300><ACK=100><CTL=FIN,ACK>");
        Assert.Equal(RefState.FinWait1, a.State);
        Assert.Equal(RefState.FinWait1, b.State);

        var ackA = Deliver(finB, a);                                              // 3.
        var ackB = Deliver(finA, b);
        Sent(ackA, "<SEQ=101><ACK=301><CTL=ACK>");
        Sent(ackB, "<SEQ=301><ACK=101><CTL=ACK>");
        Assert.Equal(RefState.Closing, a.State);
        Assert.Equal(RefState.Closing, b.State);

        Sent(Deliver(ackB, a));                                                   // 4.
        Sent(Deliver(ackA, b));
        Assert.Equal(RefState.TimeWait, a.State);
        Assert.Equal(RefState.TimeWait, b.State);

        Sent(a.TimeWaitTimeout());                                                // (2 MSL)
        Sent(b.TimeWaitTimeout());
        Assert.Equal(RefState.Closed, a.State);
        Assert.Equal(RefState.Closed, b.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.4")]
    public void AConnectionWhoseSequenceNumbersWrapPast2To32OpensTransfersAndClosesNormally()
    {
        var a = new ReferenceTcp(Default, new SeqNum(4294967290));
        var b = new ReferenceTcp(Default, new SeqNum(4294967295));
        b.OpenPassive();

        var syn = a.OpenActive();
        Sent(syn, "<SEQ=4294967290><CTL=SYN><OPT=MSS:1460>");
        var synAck = Deliver(syn, b);
        Sent(synAck, "<SEQ=4294967295><ACK=4294967291><CTL=SYN,ACK><OPT=MSS:1460>");
        var ack = Deliver(synAck, a);
        Sent(ack, "<SEQ=4294967291><ACK=0><CTL=ACK>");                           // B's data starts at 0
        Sent(Deliver(ack, b));
        Assert.Equal(RefState.Established, b.State);

        var data = a.Send("0123456789"u8);                                        // crosses 2^32
        Sent(data, "<SEQ=4294967291><ACK=0><CTL=ACK><DATA=\"0123456789\">");
        Sent(Deliver(data, b), "<SEQ=0><ACK=5><CTL=ACK>");
        var reply = b.Send("abc"u8);
        Sent(reply, "<SEQ=0><ACK=5><CTL=ACK><DATA=\"abc\">");
        Sent(Deliver(reply, a), "<SEQ=5><ACK=3><CTL=ACK>");

        var fin = a.Close();
        Sent(fin, "<SEQ=5><ACK=3><CTL=FIN,ACK>");
        Sent(Deliver(fin, b), "<SEQ=3><ACK=6><CTL=ACK>");
        var finB = b.Close();
        Sent(finB, "<SEQ=3><ACK=6><CTL=FIN,ACK>");
        b.Receive(100, out var atB);
        Assert.Equal("0123456789"u8.ToArray(), atB);
        var lastAck = Deliver(finB, a);
        Sent(lastAck, "<SEQ=6><ACK=4><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, a.State);
        Sent(Deliver(lastAck, b));
        Assert.Equal(RefState.Closed, b.State);
    }
}
