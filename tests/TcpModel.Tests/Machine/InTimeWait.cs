using TcpModel.Machine;
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
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-13")]
    public void ReceivingTheRetransmittedFin_AcknowledgesItAndRestartsThe2MslTimeout()
    {
        var c = TimeWait();
        long first = c.Deadline(TimerKind.TimeWait);
        c.Now += 3 * Second;
        AssertSent(c.Arrive(PeerFinAgain(c)), Ack(c));
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(first + 3 * Second, c.Deadline(TimerKind.TimeWait));
        AssertSent(c.TickAt(first));
        Assert.Equal(TcpState.TimeWait, c.State);
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
}
