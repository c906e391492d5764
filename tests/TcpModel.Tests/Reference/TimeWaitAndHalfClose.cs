using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>TIME-WAIT's 2 MSL timer and reopening (RFC 9293 §3.6 MAY-2, RFC 1122 §4.2.2.13), and
/// RECEIVE after the peer's FIN (§3.10.3, half-close).</summary>
public sealed class TimeWaitAndHalfClose
{
    private const string TimeWaitAck = "<SEQ=4294967292><ACK=2><CTL=ACK>";

    /// <summary>Active close to TIME-WAIT at time <paramref name="at"/>: our FIN at 4294967291, the peer's FIN at 1
    /// after the text "x" at 0. SND.NXT = 4294967292, RCV.NXT = 2.</summary>
    private static ReferenceTcp TimeWait(TcpModel.Machine.Profile profile, long at = 0)
    {
        var t = Established(profile);
        Sent(t.Close(), "<SEQ=4294967291><ACK=0><CTL=FIN,ACK>");
        Sent(t.SegmentArrives(Ack(0, 4294967292)));
        Assert.Equal(RefState.FinWait2, t.State);
        t.AdvanceTo(at);
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "x", extra: Control.FIN)), TimeWaitAck);
        Assert.Equal(RefState.TimeWait, t.State);
        return t;
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.8, §3.6 (MUST-13)")]
    public void TimeWaitEndsTwoMslAfterItWasEntered()
    {
        var t = TimeWait(Rfc9293, at: 5 * Second);
        Assert.Equal(5 * Second + 240 * Second, t.NextDeadline);
        Sent(t.AdvanceTo(245 * Second - 1));
        Assert.Equal(RefState.TimeWait, t.State);
        Sent(t.AdvanceTo(245 * Second));
        Assert.Equal(RefState.Closed, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void ARetransmittedFinIsAcknowledgedAndRestartsTheTwoMslTimeout()
    {
        var t = TimeWait(Rfc9293 with { Msl = 30 * Second });
        t.AdvanceTo(50 * Second);
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "x", extra: Control.FIN)), TimeWaitAck);
        Assert.Equal(110 * Second, t.TimeWaitDeadline);
        Sent(t.AdvanceTo(109 * Second));
        Assert.Equal(RefState.TimeWait, t.State);
        t.AdvanceTo(110 * Second);
        Assert.Equal(RefState.Closed, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4")]
    public void AnAckInTimeWaitDoesNotRestartTheTimeout()
    {
        var t = TimeWait(Rfc9293);
        t.AdvanceTo(50 * Second);
        Sent(t.SegmentArrives(Ack(2, 4294967292)));
        Assert.Equal(240 * Second, t.TimeWaitDeadline);
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.2.13")]
    public void ASynAboveRcvNxtReopensTimeWaitWithAnIssAboveTheOldSndNxtAndAFreshTcb()
    {
        var t = TimeWait(Rfc9293);
        Assert.Equal([(byte)'x'], t.Received);
        // NextIss (4294967290) is not above the old SND.NXT (4294967292): the ISS is SND.NXT + 1.
        Sent(t.SegmentArrives(Seg("<SEQ=5000><CTL=SYN><WND=4000><OPT=MSS:1000>")),
            "<SEQ=4294967293><ACK=5001><CTL=SYN,ACK><OPT=MSS:1460>");
        Assert.Equal(RefState.SynReceived, t.State);
        Assert.Empty(t.Received);            // the old incarnation's unread octet went with its TCB
        Assert.Equal(1000, t.SendMss);
        Assert.Equal(1 * Second, t.NextDeadline); // SYN,ACK retransmission, not the old 2 MSL
        Sent(t.SegmentArrives(Ack(5001, 4294967294, wnd: 3000)));
        Assert.Equal(RefState.Established, t.State);
        Assert.Equal(3000u, t.SendWindow);
        Sent(t.Send("new"u8), "<SEQ=4294967294><ACK=5001><CTL=ACK>" + Data("new"));
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.2.13")]
    public void AReopeningUsesNextIssWhenItLiesAboveTheOldSndNxt()
    {
        var t = TimeWait(Rfc9293);
        t.NextIss = new SeqNum(100); // 100 is above 4294967292 in sequence space
        Sent(t.SegmentArrives(Seg("<SEQ=5000><CTL=SYN><WND=4000>")), "<SEQ=100><ACK=5001><CTL=SYN,ACK><OPT=MSS:1460>");
    }

    [Fact]
    [Trait("RFC", "1122 §4.2.2.13")]
    public void WhenTheReopeningSynTurnsOutToBeAnOldDuplicateTheConnectionReturnsToTimeWait()
    {
        var t = TimeWait(Rfc9293);
        t.SegmentArrives(Seg("<SEQ=5000><CTL=SYN><WND=4000>"));
        Sent(t.SegmentArrives(Seg("<SEQ=5001><CTL=RST>")));
        Assert.Equal(RefState.TimeWait, t.State);
        Assert.DoesNotContain(t.Notifications, n => n != "connection closing");
        // The old incarnation again: its retransmitted FIN is acknowledged as before.
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "x", extra: Control.FIN)), TimeWaitAck);
        Assert.Equal([(byte)'x'], t.Received);
        Assert.NotNull(t.TimeWaitDeadline);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true, 2)]     // SYN at RCV.NXT: not above it
    [InlineData(false, 5000)] // reopening off
    public void ASynThatDoesNotReopenTimeWaitGetsTheSynchronizedStateChallengeAck(bool reopen, uint seq)
    {
        var t = TimeWait(Rfc9293 with { ReopenFromTimeWait = reopen });
        Sent(t.SegmentArrives(Seg($"<SEQ={seq}><CTL=SYN><WND=4000>")), TimeWaitAck);
        Assert.Equal(RefState.TimeWait, t.State);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.3")]
    public void InCloseWaitReceiveDeliversTheOctetsOnHandThenSaysConnectionClosing()
    {
        var t = Established(Rfc9293);
        Sent(t.SegmentArrives(Ack(0, 4294967291, data: "hello", extra: Control.FIN)), "<SEQ=4294967291><ACK=6><CTL=ACK>");
        Assert.Equal(RefState.CloseWait, t.State);
        AssertReadsThenClosing(t, "hel", "lo");
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.3")]
    public void InClosingReceiveDeliversTheOctetsOnHandThenSaysConnectionClosing()
    {
        var t = Established(Rfc9293);
        t.Close();
        Sent(t.SegmentArrives(Ack(0, 4294967291, data: "hello", extra: Control.FIN)), "<SEQ=4294967292><ACK=6><CTL=ACK>");
        Assert.Equal(RefState.Closing, t.State);
        AssertReadsThenClosing(t, "hel", "lo");
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.3")]
    public void InLastAckReceiveDeliversTheOctetsOnHandThenSaysConnectionClosing()
    {
        var t = Established(Rfc9293);
        t.SegmentArrives(Ack(0, 4294967291, data: "hello", extra: Control.FIN));
        Sent(t.Close(), "<SEQ=4294967291><ACK=6><CTL=FIN,ACK>");
        Assert.Equal(RefState.LastAck, t.State);
        AssertReadsThenClosing(t, "hel", "lo");
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.3")]
    public void InTimeWaitReceiveDeliversTheOctetsOnHandThenSaysConnectionClosing()
    {
        var t = Established(Rfc9293);
        t.Close();
        t.SegmentArrives(Ack(0, 4294967292));
        Sent(t.SegmentArrives(Ack(0, 4294967292, data: "hello", extra: Control.FIN)), "<SEQ=4294967292><ACK=6><CTL=ACK>");
        Assert.Equal(RefState.TimeWait, t.State);
        AssertReadsThenClosing(t, "hel", "lo");
    }

    private static void AssertReadsThenClosing(ReferenceTcp t, string first, string second)
    {
        var before = t.Notifications.Count;
        Sent(t.Receive(first.Length, out var a));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(first), a);
        Sent(t.Receive(100, out var b));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(second), b);
        Assert.Equal(before, t.Notifications.Count);
        Sent(t.Receive(100, out var c));
        Assert.Empty(c);
        Assert.Equal("connection closing", t.Notifications[^1]);
        Assert.Equal(before + 1, t.Notifications.Count);
    }
}
