using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>SYN-RECEIVED, from <see cref="Fixtures.SynReceived"/> (passive OPEN) or
/// <see cref="Fixtures.SynReceivedFromSynSent"/> (simultaneous open): our SYN,ACK at ISS is
/// outstanding, SND.NXT=ISS+1, RCV.NXT=IRS+1.</summary>
public sealed class InSynReceived
{
    private static string AckOfSyn(string ctl = "ACK", string extra = "") => $"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL={ctl}><WND={PeerWnd}>{extra}";
    private static string Ack => $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>";
    private static string SynAckAgain => $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>";

    [Fact, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "7323 §2.2")]
    public void OurSynAckRetransmitted_MovesTheAnnouncedRightEdgeForward_UnderReceiverSwsOnEveryAck()
    {
        // POLICY receiver-sws-every-ack: the edge an ACK announced (the window scaled down: 511 << 7 = 65408) stays
        // until the opening is worth announcing (MUST-39: here 127 octets, at least the peer's MSS of 100); the
        // SYN,ACK sent again carries the unscaled 65535 and so moves the edge to RCV.NXT + 65535, never back
        var c = Listen(With(p => p with { ReceiverSwsOnEveryAck = true, WindowScale = 7 }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:100,WS:7>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:7>");
        AssertSent(c.Arrive($"<SEQ={Irs + 100000}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND=511>");
        Assert.Equal(Irs + 1 + 65408, c.Tcb.RcvAdv);
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:7>");
        Assert.Equal(Irs + 1 + 65535, c.Tcb.RcvAdv);
        Assert.Equal(65535u, c.Tcb.RcvWnd);
    }

    // ---- first, check sequence number

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheSynAgain_IsUnacceptableAndAnsweredWithAck()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"), Ack);
        AssertFired(c, TcpState.SynReceived, Trigger.SynRepeated, Guard.AckRepeatedSyn);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASynFinAtIrs_IsNotTheSynAgain_ItPassesTheFirstCheckAndIsDroppedForWantOfAnAck()
    {
        // SEG.LEN 2: the FIN at IRS+1 = RCV.NXT is new, the SYN is trimmed as old, and with no ACK bit the
        // fifth check drops it (POLICY repeated-syn-with-fin off; Linux tcp_check_req: flg != TCP_FLAG_SYN)
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}><OPT=MSS:1460>"));
        Assert.DoesNotContain(c.Fired, f => f.Trigger == Trigger.SynRepeated);
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt); // the FIN was not taken
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASynFinAtIrs_WhereTheSynAgainMayCarryFin_ResendsTheSynAck()
    {
        // POLICY repeated-syn-with-fin on (FreeBSD: syncache_add finds the entry whatever the FIN)
        var c = SynReceived(With(p => p with { ResendSynAckOnRetransmittedSyn = true, RepeatedSynMayCarryFin = true }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}><OPT=MSS:1460>"), SynAckAgain);
        AssertFired(c, TcpState.SynReceived, Trigger.SynRepeated, Guard.ResendSynAck);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void TextOnTheSyn_IsDelivered_WhenACloseInSynReceivedLetsTheHandshakeCompleteInFinWait1()
    {
        // "queue them for processing after the ESTABLISHED state has been reached": the ACK of our SYN synchronizes
        // the connection in FIN-WAIT-1 too (a CLOSE in SYN-RECEIVED sent our FIN first)
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"hi\">");
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        c.Arrive($"<SEQ={Irs + 3}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.FinWait1, c.State);
        Assert.Equal(Irs + 3, c.Tcb.RcvNxt);
        c.Receive();
        Assert.Equal("hi", System.Text.Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void AFinOnTheSyn_IsProcessed_WhenTheHandshakeCompletesInFinWait1_AndOurFinIsAcknowledgedWithIt()
    {
        // the ACK covers our SYN and FIN: FIN-WAIT-2, then the held FIN: TIME-WAIT
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}><DATA=\"hi\">");
        c.User(Input.Close);
        c.Arrive($"<SEQ={Irs + 4}><ACK={Iss + 2}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(Irs + 4, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextAtIrsWithoutSyn_IsUnacceptableAndAnsweredWithAck()
    {
        // only the peer's SYN again (SYN at IRS, no ACK) is the repeated SYN; an octet at IRS without the SYN
        // lies before RCV.NXT = IRS+1 and fails the first check
        var c = SynReceived(With(p => p with { ResendSynAckOnRetransmittedSyn = true }));
        AssertSent(c.Arrive($"<SEQ={Irs}><WND={PeerWnd}><DATA=\"x\">"), Ack);
        AssertFired(c, TcpState.SynReceived, Trigger.Unacceptable);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingASegmentBeyondTheWindow_SendsAckAndDropsIt()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs + 1 + OurWnd}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"), Ack);
        AssertFired(c, TcpState.SynReceived, Trigger.Unacceptable);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    // ---- second, check the RST bit

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-11")]
    public void ReceivingRstAtRcvNxt_AfterPassiveOpen_ReturnsToListen()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><CTL=RST>"));
        Assert.Equal(TcpState.Listen, c.State);
        AssertFired(c, TcpState.SynReceived, Trigger.RstValid, Guard.PassiveOpen);
        AssertNotices(c);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    [Trait("RFC", "MUST-11")]
    public void ReceivingRstAtRcvNxt_AfterActiveOpen_ClosesWithConnectionRefused()
    {
        var c = SynReceivedFromSynSent();
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertFired(c, TcpState.SynReceived, Trigger.RstValid, Guard.ActiveOpen, Guard.NoTimeWaitToRestore);
        AssertNotices(c, Notice.ConnectionRefused);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxtWhoseAckIsNotForOurSyn_AfterActiveOpen_ClosesWithConnectionRefused_WhenTheAckIsNotChecked()
    {
        var c = SynReceivedFromSynSent(With(p => p with { SynReceivedRstAckCheck = false }));
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionRefused);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(0)] // SEG.ACK = SND.UNA (ISS)
    [InlineData(2)] // SEG.ACK = SND.NXT + 1
    public void ReceivingRstAtRcvNxtWhoseAckIsNotForOurSyn_AfterActiveOpen_IsDropped_UnderSynReceivedRstAckCheck(int ackOffset)
    {
        var c = SynReceivedFromSynSent(With(p => p with { SynReceivedRstAckCheck = true }));
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + ackOffset}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxtThatAcksOurSyn_AfterActiveOpen_ClosesWithConnectionRefused_UnderSynReceivedRstAckCheck()
    {
        var c = SynReceivedFromSynSent(With(p => p with { SynReceivedRstAckCheck = true }));
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionRefused);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxtWhoseAckIsNotForOurSyn_AfterPassiveOpen_ReturnsToListen_UnderSynReceivedRstAckCheck()
    {
        var c = SynReceived(With(p => p with { SynReceivedRstAckCheck = true }));
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss}><CTL=RST,ACK>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "5961 §3.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstInWindowNotAtRcvNxt_SendsChallengeAck_UnderRfc5961()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs + 100}><CTL=RST>"), Ack);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_AfterPassiveOpen_ReturnsToListen_UnderRfc793()
    {
        var c = SynReceived(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={Irs + 100}><CTL=RST>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_AfterActiveOpen_ClosesWithConnectionRefused_UnderRfc793()
    {
        var c = SynReceivedFromSynSent(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={Irs + 100}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionRefused);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=RST>"));
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    // ---- fourth, check the SYN bit

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("rfc9293")]
    [InlineData("rfc793")]
    public void ReceivingSynInWindow_AfterPassiveOpen_ReturnsToListen(string profile)
    {
        var c = SynReceived(Profile.BuiltIn[profile]);
        AssertSent(c.Arrive($"<SEQ={Irs + 50}><CTL=SYN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynInWindow_AfterPassiveOpen_ReturnsToListenWithAReset_UnderTheRequestSockRule()
    {
        // POLICY syn-in-passive-syn-received RequestSock (linux): tcp_check_req's embryonic_reset — send_reset, the
        // request dropped
        var c = SynReceived(With(p => p with { SynInPassiveSynReceived = SynInPassiveSynReceivedRule.RequestSock }));
        AssertSent(c.Arrive($"<SEQ={Irs + 50}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={Irs + 51}><CTL=RST,ACK>");
        AssertFired(c, TcpState.SynReceived, Trigger.Syn, Guard.PassiveOpen, Guard.SynResetsToListen);
        Assert.Equal(TcpState.Listen, c.State);
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynOutsideTheWindow_AfterPassiveOpen_IsAcknowledged_UnderTheRequestSockRule()
    {
        // tcp_check_req: "Out of window: send ACK and drop"
        var c = SynReceived(With(p => p with { SynInPassiveSynReceived = SynInPassiveSynReceivedRule.RequestSock }));
        AssertSent(c.Arrive($"<SEQ={Irs - 5000}><CTL=SYN><WND={PeerWnd}>"), Ack);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(50)]
    [InlineData(-5000)]
    public void ReceivingSynAtAnySequence_AfterPassiveOpen_ResendsTheSynAck_UnderTheSyncacheRule(int offset)
    {
        // POLICY syn-in-passive-syn-received Syncache (freebsd): syncache_add does not check the sequence number — the
        // SYN,ACK again, still acknowledging the first SYN (RCV.NXT unchanged)
        var c = SynReceived(With(p => p with { SynInPassiveSynReceived = SynInPassiveSynReceivedRule.Syncache, ResendSynAckOnRetransmittedSyn = true }));
        AssertSent(c.Arrive($"<SEQ={(offset >= 0 ? Irs + offset : Irs - -offset)}><CTL=SYN><WND={PeerWnd}>"), SynAckAgain);
        AssertFired(c, TcpState.SynReceived, Trigger.SynRepeated, Guard.ResendSynAck);
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(50)]
    [InlineData(-5000)]
    public void ReceivingSynAckAtAnySequence_AfterPassiveOpen_ReturnsToListenWithAReset_UnderTheSyncacheRule(int offset)
    {
        // tcp_input on the listen socket: "(SYN|ACK) is bogus" — syncache_badack drops the entry, tcp_dropwithreset
        var c = SynReceived(With(p => p with { SynInPassiveSynReceived = SynInPassiveSynReceivedRule.Syncache }));
        AssertSent(c.Arrive($"<SEQ={(offset >= 0 ? Irs + offset : Irs - -offset)}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}>"), $"<SEQ={Iss + 1}><CTL=RST>");
        AssertFired(c, TcpState.SynReceived, Trigger.Syn, Guard.PassiveOpen, Guard.SynResetsToListen);
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void TheStackProfiles_AnswerASynInAPassiveSynReceivedAsTheirKernels()
    {
        Assert.Equal(SynInPassiveSynReceivedRule.RfcListen, Profile.Rfc9293.SynInPassiveSynReceived);
        Assert.Equal(SynInPassiveSynReceivedRule.RfcListen, Profile.Standard.SynInPassiveSynReceived);
        Assert.Equal(SynInPassiveSynReceivedRule.Syncache, Profile.FreeBsd.SynInPassiveSynReceived);
        Assert.Equal(SynInPassiveSynReceivedRule.RequestSock, Profile.Linux.SynInPassiveSynReceived);
    }

    [Fact, Trait("RFC", "5961 §4.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSynInWindow_AfterActiveOpen_SendsChallengeAck_UnderRfc5961()
    {
        var c = SynReceivedFromSynSent();
        AssertSent(c.Arrive($"<SEQ={Irs + 50}><CTL=SYN><WND={PeerWnd}>"), Ack);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_AfterActiveOpen_ResetsTheConnection_UnderRfc793()
    {
        var c = SynReceivedFromSynSent(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={Irs + 50}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={Irs + 51}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    [Fact, Trait("RFC", "9293 §3.5"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingThePeersSynAckOfASimultaneousOpen_EntersEstablished()
    {
        var c = SynReceivedFromSynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>"));
        Assert.Equal(TcpState.Established, c.State);
        AssertFired(c, TcpState.SynReceived, Trigger.SynAck);
        AssertNotices(c, Notice.Established);
        Assert.Equal(Iss + 1, c.Tcb.SndUna);
    }

    [Theory, Trait("RFC", "9293 §3.5"), Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("hi")]
    [InlineData("h")] // one octet: the text after the SYN ends at IRS+2, one past RCV.NXT
    public void ReceivingThePeersSynAckOfASimultaneousOpen_WithText_DeliversTheTextAndAcknowledgesIt(string text)
    {
        // Figure 7's SYN,ACK repeats the SYN already received (its SYN is old) and acknowledges ours: ESTABLISHED,
        // and "continue processing" — the text after the SYN is new, goes to the seventh check and is acknowledged
        var c = SynReceivedFromSynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460><DATA=\"{text}\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1 + text.Length}><CTL=ACK><WND={OurWnd - text.Length}>");
        Assert.Equal(TcpState.Established, c.State);
        AssertFired(c, TcpState.SynReceived, Trigger.SynAck);
        c.Receive();
        Assert.Equal(text, System.Text.Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "9293 Appendix A.2")]
    public void ReceivingThePeersSynAckThatDoesNotAcknowledgeOurSyn_IsReset_WhenTheRuleTrimsItsSyn()
    {
        // POLICY repeated-synack-bad-ack on (rfc9293, freebsd): the A.2 rule trims the SYN at IRS, and the fifth
        // check finds SEG.ACK = ISS not acceptable: "form a reset segment <SEQ=SEG.ACK><CTL=RST>", stay
        var c = SynReceivedFromSynSent();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>"), $"<SEQ={Iss}><CTL=RST>");
        AssertFired(c, TcpState.SynReceived, Trigger.AckUnacceptable);
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertNotices(c);
        Assert.Equal(Iss, c.Tcb.SndUna);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingThePeersSynAckThatDoesNotAcknowledgeOurSyn_IsAnsweredWithAnAckAndStays_WhenTheRuleAdmitsOnlyAnAcceptableAck()
    {
        // POLICY repeated-synack-bad-ack off (linux): Figure 7's SYN,ACK completes the open only if SND.UNA < SEG.ACK =<
        // SND.NXT; at SEG.ACK = ISS it acknowledges nothing of ours, and its SYN (at IRS, before RCV.NXT) gets an ACK
        var c = SynReceivedFromSynSent(With(p => p with { ResetRepeatedSynAckWithBadAck = false }));
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertNotices(c);
        Assert.Equal(Iss, c.Tcb.SndUna);
    }

    // ---- fifth, check the ACK field

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSyn_EntersEstablishedSendingNothing()
    {
        var c = SynReceived();
        c.Now += PeerDelay;
        AssertSent(c.Arrive(AckOfSyn()));
        Assert.Equal(TcpState.Established, c.State);
        AssertNotices(c, Notice.Established);
        AssertFired(c, TcpState.SynReceived, Trigger.AckNew);
        Assert.Equal(Iss + 1, c.Tcb.SndUna);
        Assert.Equal((uint)PeerWnd, c.Tcb.SndWnd);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSynWithText_EntersEstablishedAndAcknowledgesTheText()
    {
        var c = SynReceived();
        AssertSent(c.Arrive(AckOfSyn("PSH,ACK", "<DATA=\"hi\">")), $"<SEQ={Iss + 1}><ACK={Irs + 3}><CTL=ACK><WND={OurWnd - 2}>");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "7323 §2.3"), Trait("RFC", "5961 §5.2")]
    public void ReceivingAckOfOurSyn_ScalesItsWindowByThePeersShift_AndKeepsTheLargestWindowSeen()
    {
        // §3.10.7.4 fifth: "set SND.WND <- SEG.WND"; RFC 7323 §2.3: the window of a segment without SYN is shifted by
        // Snd.Wind.Shift (here 2: 1000 becomes 4000). MAX.SND.WND, the bound of RFC 5961 §5.2's ACK check, is the
        // largest window seen: the ACK's 4000, not the SYN's 1000
        var c = Listen(With(p => p with { WindowScale = 7 }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND=1000><OPT=MSS:1460,WS:2>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460,WS:7>");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=1000>"));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(4000u, c.Tcb.SndWnd);
        var sent = c.Send(Text(2920));
        Assert.Equal(new[] { 1460, 1460 }, sent.Select(s => s.Payload.Length).ToArray());
        // an ACK 2000 below SND.UNA lies inside MAX.SND.WND: a duplicate, its text accepted (no challenge ACK)
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1 - 2000}><CTL=ACK><WND=1000><DATA=\"abc\">"),
            $"<SEQ={Iss + 1 + 2920}><ACK={Irs + 4}><CTL=ACK>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "7323 §2.2")]
    public void ReceivingAckOfOurSyn_LiftsTheSynAcksWindowLimit_WhenCompressedStateIsOn()
    {
        // POLICY compressed-state-window (FreeBSD syncache): until ESTABLISHED RCV.WND is the SYN,ACK's unscaled
        // window (at most 65535); once established the whole buffer is offered, scaled — and with rcvbuf-mss-rounding
        // off the buffer keeps its configured size
        var c = Listen(With(p => p with { CompressedStateWindow = true, WindowScale = 7 }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 100_000 });
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,WS:0>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,WS:7>");
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(100_000, c.Tcb.ReceiveBufferSize);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"abc\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 4}><CTL=ACK><WND={(100_000 - 3) >> 7}>");
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(2500, 3000)]
    [InlineData(3000, 3000)]
    [InlineData(2999, 3000)]
    [InlineData(900, 900)]
    public void ReceivingAckOfOurSyn_RoundsTheReceiveBufferToTheMssInUse_WhenCompressedStateAndMssRoundingAreOn(int buffer, int rounded)
    {
        // POLICY compressed-state-window with rcvbuf-mss-rounding (FreeBSD): the SYN,ACK offers the configured buffer;
        // once established it is rounded up to a multiple of the smaller MSS (tcp_mss: t_maxseg = min(offer, ours),
        // "if (bufsize > mss)" roundup(bufsize, mss)) — the peer's 1000 here, not our 1460
        var c = Listen(With(p => p with { CompressedStateWindow = true, RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = buffer });
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1000>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={buffer}><OPT=MSS:1460>");
        Assert.Equal(buffer, c.Tcb.ReceiveBufferSize);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(rounded, c.Tcb.ReceiveBufferSize);
    }

    [Fact, Trait("RFC", "9293 §3.7.1"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSyn_AfterASynAnnouncingAnMssOfZero_EntersEstablished_WhenCompressedStateAndMssRoundingAreOn()
    {
        // the model never throws on a segment: an MSS option of 0 leaves no segment size to round the receive buffer to
        var c = Listen(With(p => p with { CompressedStateWindow = true, RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 2500 });
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:0>");
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Established, c.State);
        AssertNotices(c, Notice.Established);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSynWithFin_EntersCloseWait()
    {
        var c = SynReceived();
        AssertSent(c.Arrive(AckOfSyn("FIN,ACK")), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        AssertFired(c, TcpState.SynReceived, Trigger.AckNew);
        Assert.Equal(TcpState.CloseWait, c.State);
        AssertNotices(c, Notice.Established, Notice.ConnectionClosing);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSyn_ProcessesTextQueuedFromTheSyn()
    {
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"early\">");
        AssertSent(c.Arrive(AckOfSyn().Replace($"<SEQ={Irs + 1}>", $"<SEQ={Irs + 6}>")));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 6}><CTL=ACK><WND={OurWnd - 5}>");
        c.Receive();
        Assert.Equal("early", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurSyn_ProcessesAFinQueuedFromTheSyn()
    {
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}>");
        AssertSent(c.Arrive(AckOfSyn().Replace($"<SEQ={Irs + 1}>", $"<SEQ={Irs + 2}>")),
            $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.CloseWait, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(0)]
    [InlineData(2)]
    public void ReceivingAckOutsideSndUnaToSndNxt_AnswersRstAtSegAck(int offset)
    {
        var c = SynReceived();
        var ack = Iss + offset;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={ack}><CTL=ACK><WND={PeerWnd}>"), $"<SEQ={ack}><CTL=RST>");
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSegmentWithoutAck_IsDropped()
    {
        var c = SynReceived();
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><WND={PeerWnd}><DATA=\"x\">"));
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    // ---- user calls

    [Theory, Trait("RFC", "9293 §3.10.1")]
    [InlineData(true)]
    [InlineData(false)]
    public void Open_AnswersConnectionAlreadyExists(bool active)
    {
        var c = SynReceived();
        AssertSent(c.User(active ? Input.OpenActive : Input.OpenPassive()));
        AssertNotices(c, Notice.ConnectionAlreadyExists);
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_QueuesTheDataUntilEstablished()
    {
        var c = SynReceived();
        AssertSent(c.Send("hello"));
        AssertSent(c.Arrive(AckOfSyn()), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><WND={OurWnd}><DATA=\"hello\">");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_IsQueuedAndSendsNothing()
    {
        var c = SynReceived();
        AssertSent(c.Receive());
        AssertNotices(c);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_WithNothingToSend_SendsFinAndEntersFinWait1()
    {
        var c = SynReceived();
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_WithQueuedSends_WaitsForEstablishedThenSendsTheDataAndFin()
    {
        var c = SynReceived();
        c.Send("hello");
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.SynReceived, c.State);
        AssertSent(c.Arrive(AckOfSyn()), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,PSH,ACK><WND={OurWnd}><DATA=\"hello\">");
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_SendsRstAtSndNxtAndCloses()
    {
        var c = SynReceived();
        AssertSent(c.User(Input.Abort), $"<SEQ={Iss + 1}><CTL=RST>");
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing()
    {
        var c = SynReceived();
        AssertSent(c.User(Input.Status));
        AssertNotices(c);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    // ---- timeouts

    [Fact, Trait("RFC", "6298 §5")]
    public void RetransmissionTimeout_ResendsTheSynAckAndDoublesTheRto()
    {
        var c = SynReceived();
        Assert.Equal(1 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), SynAckAgain);
        Assert.Equal(3 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), SynAckAgain);
        Assert.Equal(7 * Second, c.Endpoint.NextDeadline);
        AssertSent(c.FireNextTimer(), SynAckAgain);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    public void RetransmissionsForR2Syn_CloseTheConnection()
    {
        var c = SynReceived();
        while (c.State == TcpState.SynReceived) c.FireNextTimer();
        Assert.Equal(183 * Second, c.Now);
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    public void RetransmissionsOfTheSynAck_KeepR2Syn_AfterACloseInSynReceivedEnteredFinWait1()
    {
        // "R2 for a SYN segment MUST be set large enough to provide retransmission of the segment for at least 3
        // minutes": the segment retransmitted is still our SYN,ACK, whatever state the CLOSE took us to
        var c = SynReceived();
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        while (c.State == TcpState.FinWait1) c.FireNextTimer();
        Assert.Equal(183 * Second, c.Now);
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }

    // ---- a FIN held with the SYN (POLICY held-fin-dropped-at-establishment)

    /// <summary>SYN-SENT, then the peer's SYN,FIN with "abc" (simultaneous open): SYN-RECEIVED with text and FIN held.</summary>
    private static Conn SynReceivedHoldingTextAndFin(Profile profile)
    {
        var c = SynSent(profile);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}><OPT=MSS:1460><DATA=\"abc\">"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        return c;
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3")]
    public void ReceivingTheAckOfOurSyn_DeliversTheHeldTextAndForgetsTheHeldFin_WhenHeldFinIsDroppedAtEstablishment()
    {
        var c = SynReceivedHoldingTextAndFin(With(p => p with { DropHeldFinAtEstablishment = true }));
        c.Arrive($"<SEQ={Irs + 4}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 4, c.Tcb.RcvNxt);
        c.Receive(100);
        Assert.Equal(Bytes("abc"), c.Delivered);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.3"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTheAckOfOurSyn_ProcessesTheHeldFin_Otherwise()
    {
        var c = SynReceivedHoldingTextAndFin(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 4}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.CloseWait, c.State);
        Assert.Equal(Irs + 5, c.Tcb.RcvNxt);
    }
}
