using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>LAST-ACK, from <see cref="Fixtures.LastAck"/>: the peer's FIN received, our FIN at ISS+1
/// outstanding, SND.NXT=ISS+2, RCV.NXT=IRS+2.</summary>
public sealed class InLastAck
{
    private static string OurFin => $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=FIN,ACK><WND={OurWnd}>";

    [Fact, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.8.6.1")]
    public void WindowUpdate_SendsTheTextQueuedBeforeClose_WithTheFinAfterIt()
    {
        // §3.10.4 CLOSE in CLOSE-WAIT: "Queue this request until all preceding SENDs have been segmentized; then
        // send a FIN segment, enter LAST-ACK state" — text a zero window held back goes out in LAST-ACK, FIN last
        var c = Fidelity.ZeroWindowProbing.EstablishedIntoAZeroWindow(Profile.Rfc9293);
        AssertSent(c.Send("hello"));
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=0>");
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.LastAck, c.State);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 1}><CTL=ACK><WND=100>"), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=FIN,PSH,ACK><DATA=\"hello\">");
        Assert.Equal(TcpState.LastAck, c.State);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 7}><CTL=ACK><WND=100>"));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurFin_DeletesTheTcbAndEntersClosed()
    {
        var c = LastAck();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinAfterThePeersFin_IsAcknowledged_AndLastAckRemains()
    {
        // POLICY fin-after-fin on: "send an acknowledgment for the FIN"; "LAST-ACK STATE: Remain in the LAST-ACK state"
        var c = LastAck();
        var rcvNxt = c.Tcb.RcvNxt;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={rcvNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Contains(c.Fired, f => f == new CellKey(TcpState.LastAck, Trigger.Fin, Guard.AckFinAfterFin));
        Assert.Equal(TcpState.LastAck, c.State);
        Assert.Equal(rcvNxt, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinAfterThePeersFin_IsIgnored_WhereTheKernelsIgnoreIt()
    {
        var c = LastAck(Profile.Rfc9293 with { AcknowledgeFinAfterFin = false });
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"));
        Assert.Contains(c.Fired, f => f == new CellKey(TcpState.LastAck, Trigger.Fin, Guard.IgnoreFinAfterFin));
        Assert.Equal(TcpState.LastAck, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckThatDoesNotAckOurFin_StaysInLastAck() => DuplicateAckIsIgnored(LastAck());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfSomethingNotYetSent_SendsAck() => AckAheadIsAcked(LastAck());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheRetransmittedFin_IsAcknowledgedAgain()
    {
        var c = LastAck();
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.LastAck, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingUnacceptableSegment_SendsAckAndDropsIt() => UnacceptableIsAcked(LastAck());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ClosesWithoutNotice() => RstAtRcvNxtCloses(LastAck());

    [Fact, Trait("RFC", "5961 §3.2")]
    public void ReceivingRstInWindow_SendsChallengeAck_UnderRfc5961() => RstInWindowIsChallenged(LastAck());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_Closes_UnderRfc793() => RstInWindowCloses(LastAck(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped() => RstOutsideWindowIsDropped(LastAck());

    [Fact, Trait("RFC", "5961 §4.2")]
    public void ReceivingSyn_SendsChallengeAck_UnderRfc5961() => SynIsChallenged(LastAck());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_ResetsTheConnection_UnderRfc793() => SynResets(LastAck(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void Open_AnswersConnectionAlreadyExists() => OpenAnswersAlreadyExists(LastAck());

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionClosing() => UserCallAnswers(LastAck(), Input.Send(Bytes("x")), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_AnswersConnectionClosing() => UserCallAnswers(LastAck(), Input.Receive(new byte[16]), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionClosing() => UserCallAnswers(LastAck(), Input.Close, Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_DeletesTheTcbWithoutSending() => AbortClosesSilently(LastAck());

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing() => StatusChangesNothing(LastAck());

    [Fact, Trait("RFC", "6298 §5")]
    public void RetransmissionTimeout_ResendsOurFinAndDoublesTheRto()
    {
        var c = LastAck();
        long sentAt = c.Now;
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 1 * Second, c.Now);
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 3 * Second, c.Now);
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 7 * Second, c.Now);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    public void RetransmissionsForR2_CloseTheConnection()
    {
        var c = LastAck();
        long sentAt = c.Now;
        while (c.State == TcpState.LastAck) c.FireNextTimer();
        Assert.Equal(sentAt + 123 * Second, c.Now);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }

    // ---- RECEIVE with octets on hand (issue 7 item 1)

    [Fact, Trait("RFC", "9293 §3.6"), Trait("RFC", "9293 §3.10.3")]
    public void Receive_DeliversTheOctetsOnHand_ThenAnswersConnectionClosing() =>
        AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.LastAckWithUnreadText(Profile.Rfc9293));

    // ---- RST while the user still holds the connection (POLICY rst-after-fin-reports-reset)

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ReportsConnectionReset_WhenRstAfterFinReportsReset() =>
        RstAtRcvNxtCloses(LastAck(With(p => p with { ReportResetAfterPeerFin = true })), Notice.ConnectionReset);
}
