using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.ReferenceKit;

namespace TcpModel.Tests.Reference;

/// <summary>
/// A RST arriving in each state, with RFC 5961 on and off (RFC 9293 §3.5.3, §3.10.7); a RST in
/// TIME-WAIT with RFC 1337 on and off.
/// </summary>
public sealed class ResetCells
{
    private static string Rst(uint seq) => $"<SEQ={seq}><CTL=RST><WND=0>";

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(RefState.Established, true)]
    [InlineData(RefState.Established, false)]
    [InlineData(RefState.FinWait1, true)]
    [InlineData(RefState.FinWait1, false)]
    [InlineData(RefState.FinWait2, true)]
    [InlineData(RefState.FinWait2, false)]
    [InlineData(RefState.CloseWait, true)]
    [InlineData(RefState.CloseWait, false)]
    public void ARstExactlyAtRcvNxtInAStateWithAnOpenUserSideResetsAndSignalsConnectionReset(RefState state, bool rfc5961)
    {
        var t = InState(state, new RefConfig(Rfc5961: rfc5961));
        Sent(t.SegmentArrives(Seg(Rst(RcvNxt(state)))));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal("connection reset", t.Notifications[^1]);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(RefState.Closing, true)]
    [InlineData(RefState.Closing, false)]
    [InlineData(RefState.LastAck, true)]
    [InlineData(RefState.LastAck, false)]
    [InlineData(RefState.TimeWait, true)]
    [InlineData(RefState.TimeWait, false)]
    public void ARstExactlyAtRcvNxtInClosingLastAckOrTimeWaitClosesWithoutASignal(RefState state, bool rfc5961)
    {
        var t = InState(state, new RefConfig(Rfc5961: rfc5961));
        var before = t.Notifications.Count;
        Sent(t.SegmentArrives(Seg(Rst(RcvNxt(state)))));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(before, t.Notifications.Count);
    }

    [Theory]
    [Trait("RFC", "5961 §3.2")]
    [InlineData(RefState.Established)]
    [InlineData(RefState.FinWait1)]
    [InlineData(RefState.FinWait2)]
    [InlineData(RefState.CloseWait)]
    [InlineData(RefState.Closing)]
    [InlineData(RefState.LastAck)]
    [InlineData(RefState.TimeWait)]
    [InlineData(RefState.SynReceived)]
    public void WithRfc5961AnInWindowRstNotAtRcvNxtDrawsAChallengeAckAndChangesNothing(RefState state)
    {
        var t = InState(state, new RefConfig(Rfc5961: true));
        var sndNxt = state == RefState.SynReceived ? 101u : SndNxt(state);
        var rcvNxt = state == RefState.SynReceived ? 301u : RcvNxt(state);
        Sent(t.SegmentArrives(Seg(Rst(rcvNxt + 10))), $"<SEQ={sndNxt}><ACK={rcvNxt}><CTL=ACK>");
        Assert.Equal(state, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.5.3")]
    [InlineData(RefState.Established, RefState.Closed)]
    [InlineData(RefState.FinWait2, RefState.Closed)]
    [InlineData(RefState.LastAck, RefState.Closed)]
    [InlineData(RefState.SynReceived, RefState.Listen)]
    public void WithoutRfc5961AnyInWindowRstResets(RefState state, RefState after)
    {
        var t = InState(state, new RefConfig(Rfc5961: false));
        var rcvNxt = state == RefState.SynReceived ? 301u : RcvNxt(state);
        Sent(t.SegmentArrives(Seg(Rst(rcvNxt + 10))));
        Assert.Equal(after, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(RefState.Established, true)]
    [InlineData(RefState.Established, false)]
    [InlineData(RefState.CloseWait, true)]
    [InlineData(RefState.LastAck, false)]
    [InlineData(RefState.TimeWait, true)]
    [InlineData(RefState.SynReceived, false)]
    public void ARstOutsideTheWindowIsSilentlyDropped(RefState state, bool rfc5961)
    {
        var t = InState(state, new RefConfig(Rfc5961: rfc5961));
        var rcvNxt = state == RefState.SynReceived ? 301u : RcvNxt(state);
        Sent(t.SegmentArrives(Seg(Rst(rcvNxt - 1))));
        Sent(t.SegmentArrives(Seg(Rst(rcvNxt + 65535))));
        Assert.Equal(state, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void ARstAtRcvNxtInSynReceivedAfterAPassiveOpenReturnsToListenSilently(bool rfc5961)
    {
        var t = SynReceivedPassive(new RefConfig(Rfc5961: rfc5961));
        Sent(t.SegmentArrives(Seg(Rst(301))));
        Assert.Equal(RefState.Listen, t.State);
        Assert.Empty(t.Notifications);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void ARstAtRcvNxtInSynReceivedAfterAnActiveOpenClosesWithConnectionRefused(bool rfc5961)
    {
        var t = SynReceivedActive(new RefConfig(Rfc5961: rfc5961));
        Sent(t.SegmentArrives(Seg(Rst(301))));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(["connection refused"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.3")]
    public void InSynSentARstWhoseAckAcknowledgesOurSynClosesWithConnectionReset()
    {
        var t = SynSent(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=0><ACK=101><CTL=RST,ACK>")));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(["connection reset"], t.Notifications);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.3")]
    [InlineData("<SEQ=0><CTL=RST>")]                   // no ACK
    [InlineData("<SEQ=0><ACK=100><CTL=RST,ACK>")]      // SEG.ACK =< ISS
    [InlineData("<SEQ=0><ACK=102><CTL=RST,ACK>")]      // SEG.ACK > SND.NXT
    public void InSynSentARstWithoutAnAcceptableAckIsDropped(string rst)
    {
        var t = SynSent(new RefConfig());
        Sent(t.SegmentArrives(Seg(rst)));
        Assert.Equal(RefState.SynSent, t.State);
        Assert.Empty(t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.2")]
    public void InListenARstIsIgnored()
    {
        var t = Listen(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=RST>")));
        Sent(t.SegmentArrives(Seg("<SEQ=5><ACK=7><CTL=RST,ACK>")));
        Assert.Equal(RefState.Listen, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.1")]
    public void InClosedARstIsDiscardedAndAnythingElseDrawsAReset()
    {
        var t = Closed(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=5><CTL=RST>")));
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=5><CTL=SYN><DATA=\"ab\">")), "<SEQ=0><ACK=8><CTL=RST,ACK><WND=0>");
        SentWithWindow(t.SegmentArrives(Seg("<SEQ=5><ACK=9><CTL=ACK>")), "<SEQ=9><CTL=RST><WND=0>");
        Assert.Equal(RefState.Closed, t.State);
    }

    [Theory]
    [Trait("RFC", "1337 §3")]
    [InlineData(true)]
    [InlineData(false)]
    public void WithRfc1337ARstInTimeWaitIsIgnored(bool rfc5961)
    {
        var t = TimeWait(new RefConfig(Rfc5961: rfc5961, Rfc1337: true));
        Sent(t.SegmentArrives(Seg(Rst(302))));
        Sent(t.SegmentArrives(Seg(Rst(312))));
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void WithoutRfc1337ARstInTimeWaitClosesTheConnection()
    {
        var t = TimeWait(new RefConfig(Rfc1337: false));
        Sent(t.SegmentArrives(Seg(Rst(302))));
        Assert.Equal(RefState.Closed, t.State);
    }
}

/// <summary>A SYN arriving in a synchronized state, RFC 9293 §3.10.7.4 fourth check.</summary>
public sealed class SynInSynchronizedStateCells
{
    [Theory]
    [Trait("RFC", "5961 §4.2")]
    [InlineData(301u)]      // at RCV.NXT
    [InlineData(400u)]      // in the window
    [InlineData(200u)]      // before the window
    public void WithRfc5961AnySynInEstablishedDrawsAChallengeAckWhateverItsSequenceNumber(uint seq)
    {
        var t = Established(new RefConfig(Rfc5961: true));
        Sent(t.SegmentArrives(Seg($"<SEQ={seq}><CTL=SYN><WND=65535>")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal(RefState.Established, t.State);
        Assert.Empty(t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void WithoutRfc5961AnInWindowSynInEstablishedSendsAResetAndClosesWithConnectionReset()
    {
        var t = Established(new RefConfig(Rfc5961: false));
        Sent(t.SegmentArrives(Seg("<SEQ=400><CTL=SYN><WND=65535>")), "<SEQ=101><ACK=301><CTL=RST,ACK>");
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(["connection reset"], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void WithoutRfc5961ASynOutsideTheWindowInEstablishedIsAnsweredByAnAckInTheFirstCheck()
    {
        var t = Established(new RefConfig(Rfc5961: false));
        Sent(t.SegmentArrives(Seg("<SEQ=200><CTL=SYN><WND=65535>")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal(RefState.Established, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void AnInWindowSynInSynReceivedAfterAPassiveOpenReturnsToListen()
    {
        var t = SynReceivedPassive(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=310><CTL=SYN><WND=65535>")));
        Assert.Equal(RefState.Listen, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void ARetransmittedSynInSynReceivedIsOldAndDrawsAnAck()
    {
        var t = SynReceivedPassive(new RefConfig());
        Sent(t.SegmentArrives(Seg("<SEQ=300><CTL=SYN><WND=65535>")), "<SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal(RefState.SynReceived, t.State);
    }
}
