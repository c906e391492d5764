using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>CLOSING, from <see cref="Fixtures.Closing"/>: both FINs sent, ours at ISS+1 not yet
/// acknowledged, SND.NXT=ISS+2, RCV.NXT=IRS+2.</summary>
public sealed class InClosing
{
    [Fact, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.8.6.1")]
    public void WindowUpdate_SendsTheTextQueuedBeforeClose_WithTheFinAfterIt()
    {
        // the FIN of a CLOSE in ESTABLISHED waits behind the text a zero window holds back (§3.10.4); the peer's FIN
        // takes FIN-WAIT-1 to CLOSING with both still unsent, and the window update sends them there
        var c = Fidelity.ZeroWindowProbing.EstablishedIntoAZeroWindow(Profile.Rfc9293);
        AssertSent(c.Send("hello"));
        AssertSent(c.User(Input.Close));
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=0>");
        Assert.Equal(TcpState.Closing, c.State);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 1}><CTL=ACK><WND=100>"), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=FIN,PSH,ACK><DATA=\"hello\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 7}><CTL=ACK><WND=100>"));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurFin_EntersTimeWait()
    {
        var c = Closing();
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(c.Now + 240 * Second, c.Endpoint.NextDeadline);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurFinWithText_EntersTimeWait_WithoutAcknowledgingTheText()
    {
        // the segment is CLOSING's: its text "should not occur" and is ignored unacknowledged (seventh check), though
        // its ACK moved the connection on to TIME-WAIT, where the FinOnly reading acknowledges text
        var c = Closing();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"late\">"));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurFinWithAFinAfterThePeersFin_EntersTimeWait_AndAnswersTheFinAsClosingWould()
    {
        // the segment is CLOSING's: POLICY fin-after-fin decides whether its FIN is acknowledged
        var acks = Closing();
        AssertSent(acks.Arrive($"<SEQ={acks.PeerNxt}><ACK={acks.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"), $"<SEQ={acks.OurNxt}><ACK={acks.PeerNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.TimeWait, acks.State);
        var ignores = Closing(Profile.Rfc9293 with { AcknowledgeFinAfterFin = false });
        AssertSent(ignores.Arrive($"<SEQ={ignores.PeerNxt}><ACK={ignores.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.TimeWait, ignores.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinAfterThePeersFin_IsAcknowledged_AndClosingRemains()
    {
        // POLICY fin-after-fin on; the ACK (SND.UNA) does not acknowledge our FIN, so the state stays CLOSING
        var c = Closing();
        var rcvNxt = c.Tcb.RcvNxt;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={rcvNxt}><CTL=ACK><WND={OurWnd}>");
        Assert.Contains(c.Fired, f => f == new CellKey(TcpState.Closing, Trigger.Fin, Guard.AckFinAfterFin));
        Assert.Equal(TcpState.Closing, c.State);
        Assert.Equal(rcvNxt, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckThatDoesNotAckOurFin_StaysInClosing() => DuplicateAckIsIgnored(Closing());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfSomethingNotYetSent_SendsAck() => AckAheadIsAcked(Closing());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheRetransmittedFin_IsAcknowledgedAgain()
    {
        var c = Closing();
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.Closing, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingUnacceptableSegment_SendsAckAndDropsIt() => UnacceptableIsAcked(Closing());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ClosesWithoutNotice() => RstAtRcvNxtCloses(Closing());

    [Fact, Trait("RFC", "5961 §3.2")]
    public void ReceivingRstInWindow_SendsChallengeAck_UnderRfc5961() => RstInWindowIsChallenged(Closing());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_Closes_UnderRfc793() => RstInWindowCloses(Closing(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped() => RstOutsideWindowIsDropped(Closing());

    [Fact, Trait("RFC", "5961 §4.2")]
    public void ReceivingSyn_SendsChallengeAck_UnderRfc5961() => SynIsChallenged(Closing());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_ResetsTheConnection_UnderRfc793() => SynResets(Closing(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void Open_AnswersConnectionAlreadyExists() => OpenAnswersAlreadyExists(Closing());

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionClosing() => UserCallAnswers(Closing(), Input.Send(Bytes("x")), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_AnswersConnectionClosing() => UserCallAnswers(Closing(), Input.Receive(new byte[16]), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionClosing() => UserCallAnswers(Closing(), Input.Close, Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_DeletesTheTcbWithoutSending() => AbortClosesSilently(Closing());

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing() => StatusChangesNothing(Closing());

    [Fact, Trait("RFC", "6298 §5")]
    public void RetransmissionTimeout_ResendsOurFin()
    {
        var c = Closing();
        long sentAt = c.Now;
        string fin = $"<SEQ={Iss + 1}><ACK={c.PeerNxt}><CTL=FIN,ACK><WND={OurWnd}>";
        AssertSent(c.FireNextTimer(), fin);
        Assert.Equal(sentAt + Second, c.Now);
        AssertSent(c.FireNextTimer(), fin);
        Assert.Equal(sentAt + 3 * Second, c.Now);
    }

    // ---- RECEIVE with octets on hand (issue 7 item 1)

    [Fact, Trait("RFC", "9293 §3.6"), Trait("RFC", "9293 §3.10.3")]
    public void Receive_DeliversTheOctetsOnHand_ThenAnswersConnectionClosing() =>
        AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.ClosingWithUnreadText(Profile.Rfc9293));

    // ---- RST while the user still holds the connection (POLICY rst-after-fin-reports-reset)

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ReportsConnectionReset_WhenRstAfterFinReportsReset() =>
        RstAtRcvNxtCloses(Closing(With(p => p with { ReportResetAfterPeerFin = true })), Notice.ConnectionReset);

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_ReportsConnectionReset_UnderRfc793_WhenRstAfterFinReportsReset() =>
        RstInWindowCloses(Closing(Profile.Rfc793 with { ReportResetAfterPeerFin = true }), Notice.ConnectionReset);
}
