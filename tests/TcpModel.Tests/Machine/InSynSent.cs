using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>SYN-SENT, from <see cref="Fixtures.SynSent"/>: our SYN at ISS is outstanding (SND.NXT=ISS+1).</summary>
public sealed class InSynSent
{
    private static string SynAck(string extra = "") => $"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>{extra}";

    // ---- the retransmission timeout

    [Fact, Trait("RFC", "6298 §5.5")]
    public void RetransmittingTheSyn_KeepsTheInitialRtoForTheFirstFour_ThenDoublesIt_UnderSynLinearTimeouts()
    {
        // POLICY syn-linear-timeouts (Linux tcp_retransmit_timer: the RTO doubles only once "icsk_backoff >
        // sysctl_tcp_syn_linear_timeouts", the backoff counting this retransmission)
        var c = SynSent(With(p => p with { SynLinearTimeouts = 4 }));
        var at = new List<long>();
        for (int i = 0; i < 7; i++)
        {
            AssertSent(c.FireNextTimer(), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
            at.Add(c.Now / Second);
        }
        Assert.Equal([1, 2, 3, 4, 5, 7, 11], at);
    }

    // ---- first, check the ACK bit

    [Theory, Trait("RFC", "9293 §3.10.7.3")]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(2)]
    public void ReceivingAckOutsideIssToSndNxt_AnswersRstAtSegAck(int offset)
    {
        var c = SynSent();
        var ack = Iss + new TcpModel.Wire.SeqLen(unchecked((uint)offset));
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={ack}><CTL=ACK><WND={PeerWnd}>"), $"<SEQ={ack}><CTL=RST>");
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingSynAckWithUnacceptableAck_AnswersRstAtSegAck()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss}><CTL=SYN,ACK><WND={PeerWnd}>"), $"<SEQ={Iss}><CTL=RST>");
        Assert.Equal(TcpState.SynSent, c.State);
    }

    // ---- second, check the RST bit

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingRstWithUnacceptableAck_IsDropped()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 9}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3"), Trait("RFC", "5961 §3.2")]
    public void ReceivingRstWithAcceptableAck_ClosesWithConnectionReset()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ=0><ACK={Iss + 1}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingRstWithoutAck_IsDropped()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=RST>"));
        Assert.Equal(TcpState.SynSent, c.State);
    }

    // ---- fourth, check the SYN bit

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingSynAckThatAcksOurSyn_EntersEstablishedAndAcknowledges()
    {
        var c = SynSent();
        c.Now += PeerDelay;
        AssertSent(c.Arrive(SynAck()), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        AssertNotices(c, Notice.Established);
        Assert.Equal(Irs, c.Tcb.Irs);
        Assert.Equal(Iss + 1, c.Tcb.SndUna);
        Assert.Equal((uint)PeerWnd, c.Tcb.SndWnd);
        Assert.Equal(1460, c.Tcb.SendMss);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.7.1")]
    [Trait("RFC", "MUST-14")]
    [Trait("RFC", "MUST-15")]
    public void ReceivingSynAckWithoutMss_Assumes536()
    {
        var c = SynSent();
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>");
        Assert.Equal(536, c.Tcb.SendMss);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingSynAckWithText_DeliversTheTextAndAcknowledgesIt()
    {
        var c = SynSent();
        AssertSent(c.Arrive(SynAck("<DATA=\"hi\">")), $"<SEQ={Iss + 1}><ACK={Irs + 3}><CTL=ACK><WND={OurWnd - 2}>");
        c.Receive();
        Assert.Equal("hi", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynAckWithMoreTextThanTheWindow_KeepsOnlyWhatFitsTheWindow()
    {
        var c = SynSent();
        AssertSent(c.Arrive(SynAck($"<DATA=\"{Text(100_000)}\">")), $"<SEQ={Iss + 1}><ACK={Irs + 1 + OurWnd}><CTL=ACK><WND=0>");
        Assert.Equal(Irs + 1 + OurWnd, c.Tcb.RcvNxt);
        Assert.Equal(OurWnd, c.Tcb.ReceiveQueue.Count);
        Assert.True(c.Tcb.Reassembly.IsEmpty);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynAckWithTextFillingTheWindowAndFin_LeavesTheFinOutsideTheWindow()
    {
        var c = SynSent();
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,FIN,ACK><WND={PeerWnd}><DATA=\"{Text(OurWnd)}\">");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 1 + OurWnd, c.Tcb.RcvNxt);
        Assert.Equal(OurWnd, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynAckWithUrg_AdvancesRcvUp()
    {
        // "If there are other controls or text in the segment, then continue processing at the sixth step below where
        // the URG bit is checked": now ESTABLISHED, RCV.UP <- max(RCV.UP,SEG.UP), the pointer counted from SEG.SEQ (IRS)
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK,URG><WND={PeerWnd}><UP=3><OPT=MSS:1460><DATA=\"hi\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 3}><CTL=ACK><WND={OurWnd - 2}>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 3, c.Tcb.RcvUp);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingSynAckWithFin_EntersCloseWait()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.CloseWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    [Trait("RFC", "MUST-10")]
    public void ReceivingSyn_EntersSynReceivedAndSendsSynAck()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.False(c.Tcb.FromPassiveOpen);
        Assert.Equal(Iss + 1, c.Tcb.SndNxt);
    }

    // ---- fifth, neither SYN nor RST

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingAcceptableAckWithoutSyn_IsDropped()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"));
        AssertFired(c, TcpState.SynSent, Trigger.AckNew);
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingSegmentWithoutControlBits_IsDropped()
    {
        var c = SynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><WND={PeerWnd}><DATA=\"x\">"));
        AssertFired(c, TcpState.SynSent, Trigger.NoAck);
        Assert.Equal(TcpState.SynSent, c.State);
    }

    // ---- user calls

    [Theory, Trait("RFC", "9293 §3.10.1")]
    [InlineData(true)]
    [InlineData(false)]
    public void Open_AnswersConnectionAlreadyExists(bool active)
    {
        var c = SynSent();
        AssertSent(c.User(active ? Input.OpenActive : Input.OpenPassive()));
        AssertNotices(c, Notice.ConnectionAlreadyExists);
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_QueuesTheDataUntilEstablished_ThenSendsItWithTheHandshakeAck()
    {
        var c = SynSent();
        AssertSent(c.Send("hello"));
        Assert.Equal(5, c.Accepted);
        AssertSent(c.Arrive(SynAck()), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><WND={OurWnd}><DATA=\"hello\">");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_IsQueuedAndSendsNothing()
    {
        var c = SynSent();
        AssertSent(c.Receive());
        AssertNotices(c);
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_DeletesTheTcbWithoutSending()
    {
        var c = SynSent();
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_DeletesTheTcbWithoutSending()
    {
        var c = SynSent();
        AssertSent(c.User(Input.Abort));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing()
    {
        var c = SynSent();
        AssertSent(c.User(Input.Status));
        AssertNotices(c);
        Assert.Equal(TcpState.SynSent, c.State);
    }

    // ---- timeouts

    [Fact, Trait("RFC", "6298 §5"), Trait("RFC", "9293 §3.8.1")]
    public void RetransmissionTimeout_ResendsTheSynAndDoublesTheRto()
    {
        var c = SynSent();
        string syn = $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>";
        Assert.Equal(1 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), syn);
        Assert.Equal(3 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), syn);
        Assert.Equal(7 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), syn);
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "6298 §2.1")]
    public void RetransmissionTimeout_StartsFromTheProfilesInitialRto()
    {
        var c = SynSent(With(p => p with { RtoInitial = 3 * Second }));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(3 * Second, c.Now);
        Assert.Equal(9 * Second, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    [Trait("RFC", "MUST-22")]
    [Trait("RFC", "MUST-23")]
    public void RetransmissionsForR2Syn_CloseTheConnection()
    {
        var c = SynSent();
        var times = new List<long>();
        while (c.State == TcpState.SynSent)
            if (c.FireNextTimer().Count > 0) times.Add(c.Now / Second);
        Assert.Equal([1L, 3, 7, 15, 31, 63, 123], times);
        Assert.Equal(183 * Second, c.Now); // the first timeout at or after R2 for SYNs (180 s)
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }
}
