using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>TIME-WAIT, from <see cref="Fixtures.TimeWait"/>: both FINs sent and acknowledged,
/// SND.NXT=ISS+2, RCV.NXT=IRS+2, the 2MSL timer started at the fixture's <see cref="Conn.Now"/>.</summary>
public sealed class InTimeWait
{
    private static string PeerFinAgain(Conn c) => $"<SEQ={Irs + 1}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>";

    // ---- the time-wait timeout

    [Fact, Trait("RFC", "9293 §3.10.8")]
    [Trait("RFC", "MUST-13")]
    public void TimeWaitTimeout_After2Msl_DeletesTheTcbAndEntersClosed()
    {
        var c = TimeWait();
        long entered = c.Now;
        Assert.Equal(entered + 240 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.TickAt(entered + 240 * Second - 1));
        Assert.Equal(TcpState.TimeWait, c.State);
        AssertSent(c.TickAt(entered + 240 * Second));
        Assert.Equal(TcpState.Closed, c.State);
        AssertFired(c, TcpState.TimeWait, Trigger.TimeWaitTimeout);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextAfterThePeersFin_IsAcknowledged_UnderTheFinOnlyReading()
    {
        // POLICY time-wait-ack-rule FinOnly (rfc9293): "a FIN (or text) is acknowledged"; the text itself is ignored
        var c = TimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"late\">"), Ack(c));
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait)); // only a FIN restarts the 2 MSL timeout
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinBeyondRcvNxt_IsAcknowledgedAndRestartsThe2MslTimeout_UnderTheFinOnlyReading()
    {
        // "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout." — for any FIN the
        // eighth check meets, here one after text that is ignored
        var c = TimeWait();
        c.Now += 3 * Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"late\">"), Ack(c));
        Assert.Contains(c.Fired, f => f.State == TcpState.TimeWait && f.Trigger == Trigger.Fin);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-13")]
    public void ReceivingTheRetransmittedFin_AcknowledgesItAndRestartsThe2MslTimeout()
    {
        var c = TimeWait();
        long first = c.Deadline(TimerKind.TimeWait);
        c.Now += 3 * Second;
        AssertSent(c.Arrive(PeerFinAgain(c)), Ack(c));
        AssertFired(c, TcpState.TimeWait, Trigger.Fin);
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(first + 3 * Second, c.Deadline(TimerKind.TimeWait));
        AssertSent(c.TickAt(first));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "5961 §4.2")]
    public void ReceivingASynThatStraddlesRcvNxt_GetsOneChallengeAck_AndNothingElse_WhenSynAnySequenceIsOff()
    {
        // fourth check: nothing after RCV.NXT can be new in TIME-WAIT, so a SYN before RCV.NXT whose text reaches into
        // the window is an old duplicate, answered (RFC 5961 §4.2) with a challenge ACK — its text is not taken, the
        // fifth check does not run and the 2 MSL timeout is not restarted
        var c = TimeWait(With(p => p with { ChallengeSynIrrespectiveOfSequence = false }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={c.OurNxt}><CTL=SYN,ACK><WND={PeerWnd}><DATA=\"abc\">"), Ack(c));
        Assert.Equal([new CellKey(TcpState.TimeWait, Trigger.Syn, Guard.RfcTimeWait, Guard.ChallengeSyn)], c.Fired);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingTheRetransmittedFin_IsAnsweredByTheTimeWaitRuleAlone()
    {
        // "The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge it, and
        // restart the 2 MSL timeout": the FIN lies wholly before RCV.NXT, and is taken for that retransmission before
        // the first check — it is not also an unacceptable segment (one ACK, one cell)
        var c = TimeWait();
        c.Now += Second;
        AssertSent(c.Arrive(PeerFinAgain(c)), Ack(c));
        Assert.Equal([new CellKey(TcpState.TimeWait, Trigger.Fin, Guard.None, Guard.None)], c.Fired);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "7323 §4.3")]
    public void ReceivingTheRetransmittedFin_EchoesItsTimestampInTheAck()
    {
        // RFC 7323 §4.3: the FIN lies below Last.ACK.sent, so its TSval is copied to TS.Recent and the ACK that
        // answers it echoes that value (the peer measures its RTT with it: §4.1)
        var c = Closed(With(p => p with { Timestamps = true }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460,TS:7:100>");
        c.User(Input.Close);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=ACK><WND={PeerWnd}><OPT=TS:8:110>");
        var first = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}><OPT=TS:9:110>");
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(9u, Assert.Single(first).Options.Timestamp?.Echo);
        c.Now += Second;
        var again = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}><OPT=TS:1009:110>");
        AssertFired(c, TcpState.TimeWait, Trigger.Fin);
        Assert.Equal(1009u, Assert.Single(again).Options.Timestamp?.Echo);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingUnacceptableSegment_SendsAckWithoutRestartingTheTimer()
    {
        var c = TimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        UnacceptableIsAcked(c);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingDuplicateAck_IsIgnored() => DuplicateAckIsIgnored(TimeWait());

    // ---- fifth, the ACK field (POLICY time-wait-ack-rule)

    private static string AckInsideWindow(Conn c) => $"<SEQ={c.PeerNxt + 3}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>";
    private static string ExactDuplicateAck(Conn c) => $"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>";

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnAckInsideTheWindow_IsIgnored_WhenTheRuleIsFinOnly()
    {
        var c = TimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        AssertSent(c.Arrive(AckInsideWindow(c)));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnyAck_IsAcknowledgedAndRestarts2Msl_WhenTheRuleIsEveryAck()
    {
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.EveryAck }));
        c.Now += Second;
        AssertSent(c.Arrive(ExactDuplicateAck(c)), Ack(c));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        c.Now += Second;
        AssertSent(c.Arrive(AckInsideWindow(c)), Ack(c));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnAckOtherThanTheExactDuplicate_IsAcknowledgedWithoutRestart_WhenTheRuleIsBsd()
    {
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.Bsd }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        AssertSent(c.Arrive(ExactDuplicateAck(c)));
        AssertSent(c.Arrive(AckInsideWindow(c)), Ack(c));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAPshAckWithoutText_IsAcknowledgedWithoutRestart_WhenTheRuleIsBsd()
    {
        // FreeBSD tcp_twcheck: "Acknowledge the segment if it has data or is not a duplicate ACK" — "thflags != TH_ACK":
        // a PSH,ACK at RCV.NXT acknowledging SND.NXT, with no text, is not the exact duplicate ACK
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.Bsd }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=PSH,ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASynAckInsideTheWindow_IsAcknowledgedNotReset_WhenTheRuleIsBsd()
    {
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.Bsd, ChallengeAckOnSyn = false }));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=SYN,ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    // ---- second, check the RST bit (POLICY rfc1337)

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_Closes_WhenRfc1337IsOff() => RstAtRcvNxtCloses(TimeWait());

    [Fact, Trait("RFC", "1337 §3")]
    public void ReceivingRstAtRcvNxt_IsIgnored_WhenRfc1337IsOn()
    {
        var c = TimeWait(With(p => p with { IgnoreRstInTimeWait = true }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>"));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "1337 §3")]
    public void ReceivingRstInWindow_IsIgnored_WhenRfc1337IsOn()
    {
        var c = TimeWait(With(p => p with { IgnoreRstInTimeWait = true }));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=RST>"));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "5961 §3.2")]
    public void ReceivingRstInWindow_SendsChallengeAck_WhenRfc1337IsOffUnderRfc5961() => RstInWindowIsChallenged(TimeWait());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_Closes_WhenRfc1337IsOffUnderRfc793() => RstInWindowCloses(TimeWait(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped() => RstOutsideWindowIsDropped(TimeWait());

    // ---- a SYN (POLICY time-wait-reopen)

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    [Trait("RFC", "MAY-2")]
    public void ReceivingNewSynAboveRcvNxt_ReopensWithAnIssAboveTheOldSndNxt_WhenReopenIsOn()
    {
        var c = TimeWait();
        var newIrs = c.PeerNxt + 10000;
        AssertSent(c.Arrive($"<SEQ={newIrs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={c.OurNxt + 1}><ACK={newIrs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertFired(c, TcpState.TimeWait, Trigger.SynNewIncarnation, Guard.ReopenAllowed);
        Assert.True(c.Tcb.Iss > c.OurNxt);
        Assert.True(c.Tcb.FromPassiveOpen);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingNewSynAboveRcvNxt_UsesTheNextIsnWhenItIsAlreadyAboveTheOldSndNxt()
    {
        // the ISN source's second value, ISS + 1000, wraps to 904
        var c = TimeWait(options: new EndpointOptions { Isn = new FixedIsnSource(OurIss, unchecked(OurIss + 1000)) });
        var newIrs = c.PeerNxt + 10000;
        AssertSent(c.Arrive($"<SEQ={newIrs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ=904><ACK={newIrs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingNewSynAboveRcvNxt_ReopensAboveTheOldSndNxt_WhenTheNextIsnEqualsIt()
    {
        // "new ISS larger than any sequence number used before": an ISN equal to the old SND.NXT (ISS + 2) is not
        // taken; the new incarnation starts one above it
        var c = TimeWait(options: new EndpointOptions { Isn = new FixedIsnSource(OurIss, unchecked(OurIss + 2)) });
        var newIrs = c.PeerNxt + 10000;
        AssertSent(c.Arrive($"<SEQ={newIrs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={c.OurNxt + 1}><ACK={newIrs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.Equal(c.OurNxt + 1, c.Tcb.Iss);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingNewSynAboveRcvNxt_SendsChallengeAck_WhenReopenIsOffUnderRfc5961()
    {
        var c = TimeWait(With(p => p with { ReopenFromTimeWait = false }));
        SynIsChallenged(c);
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingNewSynInWindow_ResetsTheConnection_WhenReopenIsOffUnderRfc793() => SynResets(TimeWait(Profile.Rfc793));

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnOldSynBelowRcvNxt_SendsAck()
    {
        var c = TimeWait();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    // ---- user calls

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void Open_AnswersConnectionAlreadyExists() => OpenAnswersAlreadyExists(TimeWait());

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionClosing() => UserCallAnswers(TimeWait(), Input.Send(Bytes("x")), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_AnswersConnectionClosing() => UserCallAnswers(TimeWait(), Input.Receive(new byte[16]), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionClosing() => UserCallAnswers(TimeWait(), Input.Close, Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_DeletesTheTcbWithoutSending() => AbortClosesSilently(TimeWait());

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing() => StatusChangesNothing(TimeWait());

    // ---- RECEIVE with octets on hand (issue 7 item 1)

    [Fact, Trait("RFC", "9293 §3.6"), Trait("RFC", "9293 §3.10.3")]
    public void Receive_DeliversTheOctetsOnHand_ThenAnswersConnectionClosing() =>
        AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.TimeWaitWithUnreadText(Profile.Rfc9293));

    // ---- RST (POLICY rst-after-fin-reports-reset does not cover TIME-WAIT)

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ClosesWithoutNotice_EvenWhenRstAfterFinReportsReset() =>
        RstAtRcvNxtCloses(TimeWait(With(p => p with { ReportResetAfterPeerFin = true })));

    // ---- a connection reopened by a new SYN (issue 7 item 5)

    /// <summary>TIME-WAIT, then a new incarnation's SYN: SYN-RECEIVED with a new ISS.</summary>
    internal static Conn Reopened(Profile profile)
    {
        var c = TimeWait(profile);
        var newIrs = c.PeerNxt + 10000;
        AssertSent(c.Arrive($"<SEQ={newIrs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={c.OurNxt + 1}><ACK={newIrs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        c.PeerNxt = newIrs + 1;
        c.OurNxt = c.Tcb.Iss + 1;
        return c;
    }

    internal static void RstClosesTheReopenedConnection(Profile profile)
    {
        var c = Reopened(profile);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionRefused);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingRst_AfterReopening_ClosesRatherThanReturningToListen_WhenTheReopeningDeletedTimeWait() =>
        RstClosesTheReopenedConnection(With(p => p with { RestoreTimeWaitOnReset = false }));

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingNewSynAboveRcvNxt_KeepsNothingOfTheOldTimeWait_WhenTheReopeningDeletesIt()
    {
        // POLICY reopen-reset-restores-time-wait off (FreeBSD tcp_twcheck: tcp_twclose before the syncache takes the
        // SYN; Linux TCP_TW_SYN: inet_twsk_deschedule_put): the old incarnation is gone, no copy of it is held
        var c = Reopened(With(p => p with { RestoreTimeWaitOnReset = false }));
        Assert.Null(c.Tcb.SavedTimeWait);
        Assert.True(c.Tcb.ReopenedFromTimeWait);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingRst_AfterReopening_ReturnsToTheOldTimeWait_WithTwoMslAfresh() => RstRestoresTheOldTimeWait(Profile.Rfc9293);

    internal static void RstRestoresTheOldTimeWait(Profile profile)
    {
        // POLICY reopen-reset-restores-time-wait (rfc9293): "returns to TIME-WAIT state if the SYN turns out to be an
        // old duplicate" — the peer's RST to our SYN,ACK says it never sent that SYN
        var tw = TimeWait(profile);
        var (oldSndNxt, oldRcvNxt, oldIss) = (tw.Tcb.SndNxt, tw.Tcb.RcvNxt, tw.Tcb.Iss);
        var c = Reopened(profile);
        Assert.NotNull(c.Tcb.SavedTimeWait);
        c.Now += 7 * Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>"));
        Assert.Equal(TcpState.TimeWait, c.State);
        AssertFired(c, TcpState.SynReceived, Trigger.RstValid, Guard.ActiveOpen, Guard.TimeWaitToRestore);
        AssertNotices(c);
        Assert.Equal((oldSndNxt, oldRcvNxt, oldIss), (c.Tcb.SndNxt, c.Tcb.RcvNxt, c.Tcb.Iss));
        Assert.Null(c.Tcb.SavedTimeWait);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        // TIME-WAIT does its job again: the old incarnation's retransmitted FIN gets the old ACK
        c.OurNxt = oldSndNxt;
        c.PeerNxt = oldRcvNxt;
        AssertSent(c.Arrive(PeerFinAgain(c)), Ack(c));
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13"), Trait("RFC", "5961 §3.2")]
    public void AnInWindowRst_AfterReopening_IsChallenged_AndTheHandshakeThenCompletes_ForgettingTheOldTimeWait()
    {
        var c = Reopened(Profile.Rfc9293);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 5}><CTL=RST>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.NotNull(c.Tcb.SavedTimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Null(c.Tcb.SavedTimeWait);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void AReopenedEndpoint_SavedAndLoaded_KeepsTheTimeWaitItCanRestore()
    {
        // the explorer stores endpoints as bytes: the old TIME-WAIT must travel with the SYN-RECEIVED state
        var c = Reopened(Profile.Rfc9293);
        var copy = c.Endpoint.Clone();
        var w = new StateWriter(new byte[64]);
        c.Endpoint.Save(ref w, c.Now);
        var loaded = TimeWait().Endpoint; // the fixture's profile and options, another TCB
        var r = new StateReader(w.Span);
        loaded.Load(ref r, c.Now);
        Assert.Equal(c.Tcb.SavedTimeWait, loaded.Tcb.SavedTimeWait);
        var w2 = new StateWriter(new byte[64]);
        loaded.Save(ref w2, c.Now);
        Assert.Equal(w.Span.ToArray(), w2.Span.ToArray());
        var rst = Input.Arrive(Segment.Parse($"<SEQ={c.PeerNxt}><CTL=RST>"));
        var outbox = new Outbox();
        loaded.Step(rst, c.Now, outbox);
        copy.Step(rst, c.Now, outbox);
        Assert.Equal(TcpState.TimeWait, loaded.State);
        Assert.Equal((copy.Tcb.SndNxt, copy.Tcb.RcvNxt), (loaded.Tcb.SndNxt, loaded.Tcb.RcvNxt));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingSyn_AfterReopening_ClosesWithAReset_UnderRfc793Syn()
    {
        var c = Reopened(With(p => p with { ChallengeAckOnSyn = false }));
        var sent = c.Arrive($"<SEQ={c.PeerNxt + 5}><CTL=SYN><WND={PeerWnd}>");
        Assert.Single(sent);
        Assert.True(sent[0].Rst);
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingSyn_AfterReopening_SendsChallengeAck_UnderRfc5961()
    {
        var c = Reopened(Profile.Rfc9293);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 5}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingAnOldSynFinAtIrs_AfterReopening_SendsChallengeAck_UnderRfc5961()
    {
        // a connection reopened from TIME-WAIT was not "initiated with a passive OPEN" (§3.10.7.4 fourth): a SYN —
        // here the new SYN again with a FIN, wholly or partly old — gets the challenge ACK "irrespective of the
        // sequence number", as an in-window one does; it is not trimmed as in a passive SYN-RECEIVED
        var c = Reopened(Profile.Rfc9293);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt - 1}><CTL=SYN,FIN><WND={PeerWnd}>"), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK>");
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.Contains(c.Fired, f => f.State == TcpState.SynReceived && f.Trigger == Trigger.Syn);
    }

    // ---- an ACK of something not yet sent

    [Fact, Trait("RFC", "5961 §5.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnAckBeyondSndNxt_IsDiscardedAndAnswered_UnderTheRfc5961AckRangeCheck()
    {
        // MAY-12 precedes the per-state steps: "All incoming segments whose ACK value doesn't satisfy the above
        // condition MUST be discarded and an ACK sent back"
        var c = TimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 500}><CTL=ACK><WND={PeerWnd}>"), Ack(c));
        AssertFired(c, TcpState.TimeWait, Trigger.AckAhead, Guard.AckRangeCheck, Guard.AckAheadAnswered);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "793 §3.9")]
    public void ReceivingAnAckBeyondSndNxt_IsNotAnswered_WithoutTheRangeCheck()
    {
        // TIME-WAIT's fifth step names only "a retransmission of the remote FIN"; ESTABLISHED's "If the ACK acks
        // something not yet sent ... send an ACK" is not one of its steps
        var c = TimeWait(Profile.Rfc793);
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 500}><CTL=ACK><WND={PeerWnd}>"));
        AssertFired(c, TcpState.TimeWait, Trigger.AckAhead, Guard.NoAckRangeCheck, Guard.AckAheadAnswered);
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    // ---- the suite's TIME-WAIT readings (POLICY time-wait-ack-rule all-but-duplicate-ack,
    //      time-wait-drop-without-ack-or-syn, drop-synfin)

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheExactDuplicateAck_IsNotAnswered_OthersAreAcknowledgedAndRestart2Msl_WhenTheRuleIsAllButDuplicateAck()
    {
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.AllButDuplicateAck }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += Second;
        AssertSent(c.Arrive(ExactDuplicateAck(c)));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
        AssertSent(c.Arrive(AckInsideWindow(c)), Ack(c));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAPshAckWithoutText_IsAcknowledgedAndRestarts2Msl_WhenTheRuleIsAllButDuplicateAck()
    {
        // only the exact duplicate ACK (CTL=ACK alone, no text, SEQ=RCV.NXT, ACK=SND.NXT) goes unanswered: a PSH,ACK
        // that is otherwise the duplicate is acknowledged (as FreeBSD tcp_twcheck's "thflags != TH_ACK")
        var c = TimeWait(With(p => p with { TimeWaitAckRule = TimeWaitAckRule.AllButDuplicateAck }));
        c.Now += Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=PSH,ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnInWindowSyn_IsReset_UnderRfc793_WhenTheRuleIsAllButDuplicateAck() =>
        SynResets(TimeWait(Profile.Rfc793 with { TimeWaitAckRule = TimeWaitAckRule.AllButDuplicateAck }));

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(65534)]
    [InlineData(65535)]
    public void ReceivingAFinWithoutAck_IsDroppedAnywhere_WhenTimeWaitDropsNonSynWithoutAck(int offset)
    {
        var c = TimeWait(With(p => p with { TimeWaitDropsNonSynWithoutAck = true }));
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={new TcpModel.Wire.SeqNum(unchecked(c.PeerNxt.Value + (uint)offset))}><CTL=FIN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASynWithoutAck_StillMeetsTheSynRules_WhenTimeWaitDropsNonSynWithoutAck() =>
        SynResets(TimeWait(Profile.Rfc793 with { TimeWaitDropsNonSynWithoutAck = true }));

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnInWindowSynFin_MeetsTheSynRules_EvenWhenDropSynFinIsOn()
    {
        var c = TimeWait(Profile.Rfc793 with { DropSynFin = true });
        var sent = c.Arrive($"<SEQ={c.PeerNxt}><CTL=SYN,FIN><WND={PeerWnd}>");
        Assert.Single(sent);
        Assert.True(sent[0].Rst);
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "1122 §4.2.2.13")]
    public void ReceivingASynFinThatWouldReopen_IsDropped_WhenDropSynFinIsOn()
    {
        var c = TimeWait(With(p => p with { DropSynFin = true }));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 10000}><CTL=SYN,FIN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "5961 §4.2")]
    [InlineData(true)]
    [InlineData(false)]
    public void ReceivingASynBeforeRcvNxt_IsAcknowledgedNotTrimmed(bool rfc5961)
    {
        // SEG.SEQ = RCV.NXT-1 with SYN and FIN: the segment ends at RCV.NXT, so Table 6 admits it; RFC 5961 asks
        // for a challenge ACK "irrespective of the sequence number", RFC 793 for the first check's ACK
        var c = TimeWait(rfc5961 ? Profile.Rfc9293 with { ReopenFromTimeWait = false } : Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt - 1}><CTL=SYN,FIN><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    // ---- POLICY time-wait-syn-fin-again: a peer that opened with a SYN,FIN retransmits it

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("rfc793", false)]
    [InlineData("rfc793", true)]
    [InlineData("rfc9293", false)]
    [InlineData("rfc9293", true)]
    [InlineData("standard", false)]
    [InlineData("freebsd", true)]
    [InlineData("linux", true)]
    public void ReceivingTheSynFinAgain_IsAcknowledgedAndRestartsThe2MslTimeout(string profile, bool withAck)
    {
        // SEG.SEQ = IRS, SYN and FIN: its FIN is the peer's FIN again (SEG.SEQ + SEG.LEN = RCV.NXT) — "the only thing
        // that can arrive in this state is a retransmission of the remote FIN ... restart the 2 MSL time-wait
        // timeout"; its SYN is wholly old, so the answer is the first check's ACK (FreeBSD tcp_twcheck: seq = th_seq +
        // tlen + 1 for the SYN, "seq + 1 == tw->rcv_nxt" → tcp_tw_2msl_reset)
        var c = TimeWait(TimeWaitPoliciesOf(profile));
        c.Now += 3 * Second;
        string ack = withAck ? $"<ACK={c.OurNxt}>" : "";
        string ctl = withAck ? "SYN,FIN,ACK" : "SYN,FIN";
        AssertSent(c.Arrive($"<SEQ={Irs}>{ack}<CTL={ctl}><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(c.Now + 2 * c.Endpoint.Profile.Msl, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheSynFinAgainWithoutAck_IsAcknowledgedWithoutRestart_WhenTheRestartNeedsAnAck()
    {
        // Linux tcp_timewait_state_process: an out-of-window segment is acknowledged (TCP_TW_ACK), and 2 MSL is
        // rescheduled only "if (paws_reject || th->ack)"
        var c = TimeWait(TimeWaitPoliciesOf("linux"));
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += 3 * Second;
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    /// <summary>The RFC profile with a built-in profile's TIME-WAIT policies (the fixture's handshake is the RFC one).</summary>
    private static Profile TimeWaitPoliciesOf(string name)
    {
        var p = Profile.BuiltIn[name];
        return (name == "rfc793" ? Profile.Rfc793 : Profile.Rfc9293) with
        {
            ReopenFromTimeWait = false,
            TimeWaitAckRule = p.TimeWaitAckRule,
            TimeWaitDropsSegmentsWithoutAck = p.TimeWaitDropsSegmentsWithoutAck,
            TimeWaitDropsNonSynWithoutAck = p.TimeWaitDropsNonSynWithoutAck,
            TimeWaitFinChecksAck = p.TimeWaitFinChecksAck,
            TimeWaitSynFinAgainNeedsAck = p.TimeWaitSynFinAgainNeedsAck,
        };
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("<SEQ={0}><CTL=SYN><WND={1}>")]
    [InlineData("<SEQ={2}><CTL=SYN,FIN><WND={1}>")]
    public void ReceivingAnOldSynWhoseFinIsNotThePeersFin_IsAcknowledgedWithoutRestart(string format)
    {
        // a SYN alone at IRS, or a SYN,FIN ending before RCV.NXT: nothing in it is the remote FIN again
        var c = TimeWait(Profile.Rfc793);
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += 3 * Second;
        AssertSent(c.Arrive(string.Format(format, Irs, PeerWnd, Irs - 1)), Ack(c));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    // ---- POLICY time-wait-ack-rule linux: tcp_timewait_state_process

    private static Conn LinuxTimeWait() =>
        TimeWait(Profile.Rfc9293 with { TimeWaitAckRule = TimeWaitAckRule.Linux, ChallengeAckMinInterval = 500_000, ReopenFromTimeWait = false });

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheExactDuplicateAck_RestartsThe2MslTimeoutWithoutReply_WhenTheRuleIsLinux()
    {
        // "In window segment, it may be only reset or bare ack": inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN), TCP_TW_SUCCESS
        var c = LinuxTimeWait();
        c.Now += 3 * Second;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        AssertFired(c, TcpState.TimeWait, Trigger.AckDuplicate);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnAckAboveRcvNxt_IsAcknowledgedAtMostOncePerInterval_AndRestarts2MslEachTime_WhenTheRuleIsLinux()
    {
        // out of window: "if (paws_reject || th->ack) inet_twsk_reschedule"; TCP_TW_ACK through tcp_oow_rate_limited
        var c = LinuxTimeWait();
        c.Now += 3 * Second;
        string ack = $"<SEQ={c.PeerNxt + 100}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>";
        AssertSent(c.Arrive(ack), Ack(c));
        c.Now += 100_000;
        AssertSent(c.Arrive(ack)); // within 500 ms of the last: not answered
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        c.Now += 400_000;
        AssertSent(c.Arrive(ack), Ack(c));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingText_IsAcknowledgedEveryTime_AndRestarts2Msl_WhenTheRuleIsLinux()
    {
        // tcp_oow_rate_limited: "Data packets without SYNs are not likely part of an ACK loop"
        var c = LinuxTimeWait();
        c.Now += 3 * Second;
        string late = $"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"late\">";
        AssertSent(c.Arrive(late), Ack(c));
        AssertSent(c.Arrive(late), Ack(c));
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAFinWithoutAck_IsAcknowledgedWithoutRestart_WhenTheRuleIsLinux()
    {
        var c = LinuxTimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        c.Now += 3 * Second;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><CTL=FIN><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "5961 §3.2")]
    public void ReceivingAnRstInTheWindowButNotAtRcvNxt_IsDroppedWithoutChallenge_WhenTheRuleIsLinux()
    {
        var c = LinuxTimeWait();
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 10}><CTL=RST>"));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>")); // at RCV.NXT: "TIME_WAIT assassination" (tcp_rfc1337 = 0)
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact]
    public void OnlyTheLinuxProfile_UsesTheLinuxTimeWaitRule() =>
        Assert.Equal(["linux"], Profile.BuiltIn.Values.Where(p => p.TimeWaitAckRule == TimeWaitAckRule.Linux).Select(p => p.Name).ToArray());
}
