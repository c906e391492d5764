using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>Segment text, the window, and the user calls' error responses (RFC 9293 §3.8, §3.10).</summary>
public sealed class DataAndUserCallCells
{
    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void OutOfOrderTextIsHeldAndAckedAtRcvNxtThenDeliveredWhenTheGapFills()
    {
        var t = Established(new RefConfig());
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=306><ACK=101><CTL=ACK><WND=65535><DATA=\"world\">")),
            "<SEQ=101><ACK=301><CTL=ACK><WND=65535>");
        Assert.Empty(t.Received);
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=65535><DATA=\"hello\">")),
            "<SEQ=101><ACK=311><CTL=ACK><WND=65525>");
        Assert.Equal("helloworld"u8.ToArray(), t.Received);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void AHeldFinIsProcessedWhenItBecomesInOrder()
    {
        var t = Established(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=303><ACK=101><CTL=FIN,ACK><WND=65535><DATA=\"cd\">")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal(RefState.Established, t.State);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=65535><DATA=\"ab\">")), "<SEQ=101><ACK=306><CTL=ACK>");
        Assert.Equal(RefState.CloseWait, t.State);
        Assert.Equal(["connection closing"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6")]
    public void TheReceiveWindowShrinksWithUnreadDataAndReopensWhenTheUserReads()
    {
        var t = Established(new RefConfig(ReceiveBuffer: 4));
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=65535><DATA=\"abcdef\">")),
            "<SEQ=101><ACK=305><CTL=ACK><WND=0>");
        // Zero window: text is not acceptable, but the ACK of the reply shows RCV.NXT and WND=0.
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=305><ACK=101><CTL=ACK><WND=65535><DATA=\"ef\">")),
            "<SEQ=101><ACK=305><CTL=ACK><WND=0>");
        Sent(t.Receive(3, out var read));
        Assert.Equal("abc"u8.ToArray(), read);
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=305><ACK=101><CTL=ACK><WND=65535><DATA=\"ef\">")),
            "<SEQ=101><ACK=307><CTL=ACK><WND=1>");
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.4")]
    public void DataQueuedBehindAClosedWindowLeavesTogetherWithTheFinWhenTheWindowOpens()
    {
        var t = SynSent(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=0>")), "<SEQ=101><ACK=301><CTL=ACK>");
        Sent(t.Send("abc"u8));
        Sent(t.Close());
        Assert.Equal(RefState.FinWait1, t.State);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=10>")),
            "<SEQ=101><ACK=301><CTL=FIN,ACK><DATA=\"abc\">");
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=105><CTL=ACK><WND=10>")));
        Assert.Equal(RefState.FinWait2, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.2")]
    public void DataSentInSynSentGoesOutRightAfterTheHandshakeAck()
    {
        var t = SynSent(new RefConfig());
        Sent(t.Send("hi"u8));
        Sent(t.SegmentArrives(Seg("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=65535>")),
            "<SEQ=101><ACK=301><CTL=ACK>", "<SEQ=101><ACK=301><CTL=ACK><DATA=\"hi\">");
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void InTimeWaitARetransmittedFinIsAckedAgain()
    {
        var t = TimeWait(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=FIN,ACK><WND=65535>")), "<SEQ=102><ACK=302><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void AnUnacceptableSegmentInASynchronizedStateDrawsAnAckAndIsDropped()
    {
        var t = Established(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=200><ACK=101><CTL=ACK><WND=65535><DATA=\"old\">")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Empty(t.Received);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void AnAckOfSomethingNotYetSentDrawsAnAckAndTheSegmentIsDropped()
    {
        var t = Established(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=500><CTL=ACK><WND=65535><DATA=\"x\">")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Empty(t.Received);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void InSynReceivedAnUnacceptableAckDrawsAResetFromItsAckField()
    {
        var t = SynReceivedPassive(new RefConfig());
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=301><ACK=900><CTL=ACK><WND=65535>")), "<SEQ=900><CTL=RST><WND=65535>");
        Assert.Equal(RefState.SynReceived, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2")]
    public void TextOnAPassivelyReceivedSynIsDeliveredOnceTheHandshakeCompletes()
    {
        var t = Listen(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=300><CTL=SYN><WND=65535><DATA=\"early\">")), "<SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>");
        Assert.Empty(t.Received);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=101><CTL=ACK><WND=65535>")), "<SEQ=101><ACK=306><CTL=ACK>");
        Assert.Equal(RefState.Established, t.State);
        Assert.Equal("early"u8.ToArray(), t.Received);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.5")]
    public void AbortInEstablishedSendsAResetAtSndNxt()
    {
        var t = Established(new RefConfig());
        Sent(t.Abort(), "<SEQ=101><ACK=301><CTL=RST,ACK>");
        Assert.Equal(RefState.Closed, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10")]
    public void UserCallsThatTheRfcAnswersWithAnErrorEmitNothingAndNotifyTheError()
    {
        var closed = Closed(new RefConfig());
        Sent(closed.Send("x"u8));
        Sent(closed.Receive(1, out _));
        Sent(closed.Close());
        Sent(closed.Abort());
        Assert.Equal(Enumerable.Repeat("connection does not exist", 4), closed.Notifications);

        var established = Established(new RefConfig());
        Sent(established.OpenActive());
        Sent(established.OpenPassive());
        Assert.Equal(Enumerable.Repeat("connection already exists", 2), established.Notifications);

        var finWait1 = FinWait1(new RefConfig());
        Sent(finWait1.Send("x"u8));
        Sent(finWait1.Close());
        Assert.Equal(Enumerable.Repeat("connection closing", 2), finWait1.Notifications);

        var closeWait = CloseWait(new RefConfig());
        Sent(closeWait.Receive(10, out var nothing));
        Assert.Empty(nothing);
        Assert.Equal(["connection closing", "connection closing"], closeWait.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.4")]
    public void CloseInSynReceivedWithNothingQueuedSendsAFinAndEntersFinWait1()
    {
        var t = SynReceivedPassive(new RefConfig());
        Sent(t.Close(), "<SEQ=101><ACK=301><CTL=FIN,ACK>");
        Assert.Equal(RefState.FinWait1, t.State);
        Sent(t.SegmentArrives(Seg("<SEQ=301><ACK=102><CTL=ACK><WND=65535>")));
        Assert.Equal(RefState.FinWait2, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void NoSegmentInAnyStateMakesTheReferenceThrow()
    {
        string[] segments =
        [
            "<SEQ=0><CTL=SYN>", "<SEQ=301><ACK=101><CTL=SYN,FIN,RST,ACK><DATA=\"x\">", "<SEQ=4294967295><ACK=0><CTL=FIN,ACK>",
            "<SEQ=301><CTL=FIN>", "<SEQ=301><ACK=102><CTL=FIN,ACK><DATA=\"zz\">", "<SEQ=2147483949><ACK=2147483749><CTL=ACK>",
        ];
        foreach (var state in Enum.GetValues<RefState>())
            foreach (var rfc5961 in new[] { true, false })
                foreach (var s in segments)
                {
                    var t = InState(state, new RefConfig(Rfc5961: rfc5961, ReceiveBuffer: 1));
                    _ = t.SegmentArrives(Seg(s));
                    _ = t.SegmentArrives(Seg(s));
                }
    }
}
