using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>POLICY rfc5961-syn-any-sequence: RFC 9293 §3.10.7.4 fourth / RFC 5961 §4.2, "If the SYN bit is set,
/// irrespective of the sequence number, TCP endpoints MUST send a 'challenge ACK'".</summary>
public sealed class OldSynInASynchronizedState
{
    private static Profile Off => With(p => p with { ChallengeSynIrrespectiveOfSequence = false });

    [Fact, Trait("RFC", "5961 §4.2")]
    public void ASynStraddlingRcvNxt_GetsAChallengeAckAndItsTextIsNotTaken_WhenOn()
    {
        var c = Established();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><DATA=\"abc\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(Trigger.Syn, c.FirstTrigger);
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ASynStraddlingRcvNxt_IsTrimmedAsOldAndItsTextTaken_WhenOff()
    {
        var c = Established(Off);
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><DATA=\"abc\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 4}><CTL=ACK><WND={OurWnd - 3}>");
        Assert.Equal(3, c.Tcb.ReceiveQueue.Count);
    }

    [Theory, Trait("RFC", "5961 §4.2"), Trait("RFC", "5961 §7")]
    [InlineData(true, 10)]  // challenge ACKs: throttled to the limit
    [InlineData(false, 11)] // the first check's ACK for an old duplicate: not throttled
    public void ElevenOldSynsInOneSecond_AreAnsweredAsChallengesOnlyWhenOn(bool on, int answered)
    {
        var c = Established(With(p => p with { ChallengeSynIrrespectiveOfSequence = on }));
        int acks = 0;
        for (int i = 0; i < 11; i++)
        {
            acks += c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>").Count;
            Assert.Equal(on ? Trigger.Syn : Trigger.Unacceptable, c.FirstTrigger);
            c.Now += 1000;
        }
        Assert.Equal(answered, acks);
    }

    [Fact, Trait("RFC", "5961 §4.2")]
    public void TheBuiltInProfiles_ChallengeOldSynsExceptRfc793()
    {
        Assert.True(Profile.Rfc9293.ChallengeSynIrrespectiveOfSequence);
        Assert.True(Profile.Standard.ChallengeSynIrrespectiveOfSequence);
        Assert.True(Profile.FreeBsd.ChallengeSynIrrespectiveOfSequence);
        Assert.False(Profile.Rfc793.ChallengeSynIrrespectiveOfSequence);
    }
}

/// <summary>POLICY time-wait-fin-ack-checks: TIME-WAIT's retransmitted-FIN shortcut and the fifth check.</summary>
public sealed class RetransmittedFinInTimeWait
{
    private static Conn TimeWaitAfterASecond(bool on)
    {
        var c = TimeWait(With(p => p with { TimeWaitFinChecksAck = on }));
        c.Now += Second;
        return c;
    }

    private static string AckOfTheirFin => $"<SEQ={Iss + 2}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>";

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void AFinWithAnAcceptableAck_IsAcknowledgedAndRestarts2Msl(bool on)
    {
        var c = TimeWaitAfterASecond(on);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}>"), AckOfTheirFin);
        Assert.Equal(c.Now + 2 * c.Endpoint.Profile.Msl, c.Deadline(TimerKind.TimeWait));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void AFinWithoutAck_IsDroppedAndDoesNotRestart2Msl_WhenOn()
    {
        var c = TimeWaitAfterASecond(on: true);
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><CTL=FIN><WND={PeerWnd}>"));
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void AFinAckingBeyondSndNxt_IsAnsweredWithAnAckWithoutRestarting2Msl_WhenOn()
    {
        var c = TimeWaitAfterASecond(on: true);
        long deadline = c.Deadline(TimerKind.TimeWait);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 9}><CTL=FIN,ACK><WND={PeerWnd}>"), AckOfTheirFin);
        Assert.Equal(Trigger.AckAhead, c.FirstTrigger);
        Assert.Equal(deadline, c.Deadline(TimerKind.TimeWait));
    }

    [Theory, Trait("RFC", "9293 §3.10.7.4")]
    [InlineData("")]
    [InlineData("<ACK=4294967209><CTL=FIN,ACK>")]
    public void AnyRetransmittedFin_IsAcknowledgedAndRestarts2Msl_WhenOff(string fields)
    {
        var c = TimeWaitAfterASecond(on: false);
        var seg = fields.Length == 0 ? $"<SEQ={Irs + 1}><CTL=FIN><WND={PeerWnd}>" : $"<SEQ={Irs + 1}>{fields}<WND={PeerWnd}>";
        AssertSent(c.Arrive(seg), AckOfTheirFin);
        Assert.Equal(Trigger.Fin, c.FirstTrigger);
        Assert.Equal(c.Now + 2 * c.Endpoint.Profile.Msl, c.Deadline(TimerKind.TimeWait));
    }

    [Fact]
    public void OnlyTheFreeBsdProfile_SkipsTheAckChecks() =>
        Assert.Equal(["freebsd"], Profile.BuiltIn.Values.Where(p => !p.TimeWaitFinChecksAck).Select(p => p.Name));
}

/// <summary>POLICY synack-rule-after-syn-sent-only: Figure 7's SYN,ACK in SYN-RECEIVED (Appendix A.2).</summary>
public sealed class SynAckInSynReceived
{
    private static string SynAck => $"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>";

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void AfterAPassiveOpen_ASynAckAtIrsFailsTheFirstCheck_WhenOn()
    {
        var c = SynReceived();
        AssertSent(c.Arrive(SynAck), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(Trigger.Unacceptable, c.FirstTrigger);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 Appendix A.2")]
    public void AfterAPassiveOpen_ASynAckAtIrsEstablishes_WhenOff()
    {
        var c = SynReceived(With(p => p with { SynAckRuleOnlyAfterSynSent = false }));
        AssertSent(c.Arrive(SynAck));
        Assert.Equal(TcpState.Established, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.5")]
    [InlineData(true)]
    [InlineData(false)]
    public void AfterSynSent_TheSimultaneousOpenSynAckEstablishes_EitherWay(bool on)
    {
        var c = SynReceivedFromSynSent(With(p => p with { SynAckRuleOnlyAfterSynSent = on }));
        AssertSent(c.Arrive(SynAck));
        Assert.Equal(Trigger.SynAck, c.FirstTrigger);
        Assert.Equal(TcpState.Established, c.State);
    }
}

/// <summary>POLICY syn-received-resend-synack: the peer's SYN again in a passive SYN-RECEIVED.</summary>
public sealed class RetransmittedSynInSynReceived
{
    private static string SynAgain => $"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>";

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void IsAnsweredByOurSynAckAgain_WithTheTimersUnchanged_WhenOn()
    {
        var c = SynReceived(With(p => p with { ResendSynAckOnRetransmittedSyn = true }));
        long rto = c.Deadline(TimerKind.Retransmit);
        c.Now += PeerDelay;
        AssertSent(c.Arrive(SynAgain), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(Trigger.SynRepeated, c.FirstTrigger);
        Assert.Equal(rto, c.Deadline(TimerKind.Retransmit));
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void IsAnsweredWithAnAck_WhenOff()
    {
        var c = SynReceived();
        AssertSent(c.Arrive(SynAgain), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(Trigger.SynRepeated, c.FirstTrigger);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ANewSynInTheWindow_StillReturnsToListen_WhenOn()
    {
        var c = SynReceived(With(p => p with { ResendSynAckOnRetransmittedSyn = true }));
        AssertSent(c.Arrive($"<SEQ={Irs + 5}><CTL=SYN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact]
    public void TheStackProfilesResend_TheRfcProfilesDoNot()
    {
        Assert.True(Profile.Standard.ResendSynAckOnRetransmittedSyn);
        Assert.True(Profile.FreeBsd.ResendSynAckOnRetransmittedSyn);
        Assert.False(Profile.Rfc9293.ResendSynAckOnRetransmittedSyn);
        Assert.False(Profile.Rfc793.ResendSynAckOnRetransmittedSyn);
    }
}

/// <summary>POLICY receiver-sws-every-ack: RFC 9293 §3.8.6.2.2 (MUST-39) on every segment we send.</summary>
public sealed class ReceiverSillyWindowAvoidance
{
    private static Conn AfterReading(int octets, bool on)
    {
        var c = Established(With(p => p with { ReceiverSwsOnEveryAck = on }));
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(octets)}\">");
        c.Receive();
        Assert.Equal(octets, c.Delivered.Length);
        return c;
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void ASmallOpening_IsNotAnnouncedOnTheNextAck_WhenOn()
    {
        var c = AfterReading(100, on: true);
        AssertSent(c.Arrive($"<SEQ={Irs + 101}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(10)}\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 111}><CTL=ACK><WND={OurWnd - 110}>"); // the right edge stays at IRS+1+65535
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void ASmallOpening_IsAnnouncedOnTheNextAck_WhenOff()
    {
        var c = AfterReading(100, on: false);
        AssertSent(c.Arrive($"<SEQ={Irs + 101}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(10)}\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 111}><CTL=ACK><WND={OurWnd - 10}>");
    }

    [Theory, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "5961 §3.2")]
    [InlineData(true, false)] // RCV.WND is the window announced: the held edge is outside it, the RST is dropped silently
    [InlineData(false, true)] // RCV.WND is the free buffer: in the window but not at RCV.NXT, a challenge ACK
    public void AnRstAtTheRightEdgeTheRuleHeld_IsOutsideTheWindowOnlyWhenOn(bool on, bool challenged)
    {
        var c = AfterReading(100, on);
        var heldEdge = Irs + 1 + OurWnd; // announced with the ACK of the 100 octets: IRS+101 + (65535 - 100)
        var sent = c.Arrive($"<SEQ={heldEdge}><CTL=RST>");
        Assert.Equal(challenged ? 1 : 0, sent.Count);
        Assert.Equal(TcpState.Established, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "9293 §3.10.7.4")]
    [InlineData(true, OurWnd - 100)] // RCV.WND = 65535 - 100: the text beyond the edge the rule held is trimmed
    [InlineData(false, OurWnd)]      // RCV.WND = the free buffer, 65535
    public void TextBeyondTheRightEdgeTheRuleHeld_IsTrimmedOnlyWhenOn(bool on, int taken)
    {
        var c = AfterReading(100, on); // an opening of 100 < min(65535/2, 1460): not announced, the right edge stays
        c.Arrive($"<SEQ={Irs + 101}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(OurWnd)}\">");
        Assert.Equal(taken, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void SmallReadsThatTogetherReachOneEffectiveMss_SendOneWindowUpdate_WhenOn()
    {
        var c = Established(With(p => p with { ReceiverSwsOnEveryAck = true }));
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(1500)}\">");
        AssertSent(c.Receive(1000)); // the reduction is 1000 < 1460: RCV.NXT+RCV.WND stays
        AssertSent(c.Receive(500), $"<SEQ={Iss + 1}><ACK={Irs + 1501}><CTL=ACK><WND={OurWnd}>"); // 1500 >= 1460
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void SmallReadsThatTogetherReachOneEffectiveMss_SendNoUpdate_WhenOff()
    {
        var c = Established(With(p => p with { ReceiverSwsOnEveryAck = false }));
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(1500)}\">");
        AssertSent(c.Receive(1000)); // each read grows the window by less than 1460
        AssertSent(c.Receive(500));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "5961 §3.2")]
    public void AfterAReadThatMovesTheRightEdge_AnRstAtTheOldEdgeIsInTheWindow_WhenOn()
    {
        var c = Established(With(p => p with { ReceiverSwsOnEveryAck = true }));
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(1500)}\">");
        c.Receive(); // 1500 >= 1460: RCV.WND = RCV.BUFF - RCV.USER, the edge moves to IRS+1501+65535
        Assert.Single(c.Arrive($"<SEQ={Irs + 1 + OurWnd}><CTL=RST>")); // in the window, not at RCV.NXT: a challenge ACK
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void AnOpeningAnnouncedOnTheAckOfText_MovesRcvWndToTheNewEdge_WhenOnAndUpdatesWaitForADoubledWindow()
    {
        // POLICY window-update-only-when-doubled sends no update for this read (64075 to 65535 is not double), so the
        // opening is first announced on the ACK of the next text, and RCV.NXT+RCV.WND moves with what it announced
        var c = Established(With(p => p with { ReceiverSwsOnEveryAck = true, WindowUpdateOnlyWhenDoubled = true }));
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(1460)}\">");
        AssertSent(c.Receive());
        AssertSent(c.Arrive($"<SEQ={Irs + 1461}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1462}><CTL=ACK><WND={OurWnd - 1}>"); // the opening 1460 >= Eff.snd.MSS
        Assert.Equal(Irs + 1462 + (OurWnd - 1), c.Tcb.RcvAdv);
        Assert.Equal((uint)(OurWnd - 1), c.Tcb.RcvWnd);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void AnOpeningOfOneEffectiveMss_IsAnnounced_WhenOn()
    {
        var c = AfterReading(1460, on: true);
        AssertSent(c.Arrive($"<SEQ={Irs + 1461}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1462}><CTL=ACK><WND={OurWnd - 1}>");
    }
}

/// <summary>POLICY simultaneous-close-fin-ack: RFC 9293 Appendix A.2, simultaneous close.</summary>
public sealed class RepeatedFinInClosing
{
    private static string RepeatedFinAckingOurs => $"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}>";

    [Fact, Trait("RFC", "9293 Appendix A.2")]
    public void ThePeersFinAgainAckingOurs_EntersTimeWaitAndIsAcknowledged_WhenOn()
    {
        var c = Closing();
        AssertSent(c.Arrive(RepeatedFinAckingOurs), $"<SEQ={Iss + 2}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ThePeersFinAgainAckingOurs_IsOnlyAnswered_WhenOff()
    {
        var c = Closing(With(p => p with { SimultaneousCloseAckOfRepeatedFin = false }));
        AssertSent(c.Arrive(RepeatedFinAckingOurs), $"<SEQ={Iss + 2}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Closing, c.State);
        Assert.Equal(Iss + 1, c.Tcb.SndUna);
    }
}

/// <summary>POLICY syn-sent-queued-send-notice: RFC 9293 §3.10.4 and §3.10.5, SYN-SENT.</summary>
public sealed class QueuedSendsInSynSent
{
    [Theory, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.10.5")]
    [InlineData(true, true, Notice.Closing)]
    [InlineData(true, false, Notice.ConnectionReset)]
    public void CloseOrAbortWithQueuedSends_TellsTheUser_WhenOn(bool on, bool close, Notice notice)
    {
        var c = SynSent(With(p => p with { NoticeQueuedSendsInSynSent = on }));
        AssertSent(c.Send("queued"));
        AssertSent(c.User(close ? Input.Close : Input.Abort));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal([notice], c.Notices);
    }

    [Theory, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.10.5")]
    [InlineData(true, Notice.Closing)]
    [InlineData(false, Notice.ConnectionReset)]
    public void EachQueuedSend_GetsItsOwnAnswer(bool close, Notice notice)
    {
        // "return 'error: closing' responses to any queued SENDs" (§3.10.4); "All queued SENDs and RECEIVEs should be
        // given 'connection reset' notification" (§3.10.5): one answer per call, not one per TCB
        var c = SynSent();
        c.Send("one");
        c.Send("two");
        c.Send("three");
        AssertSent(c.User(close ? Input.Close : Input.Abort));
        Assert.Equal([notice, notice, notice], c.Notices);
    }

    [Fact, Trait("RFC", "9293 §3.10.2"), Trait("RFC", "9293 §3.10.4")]
    public void TheSendThatTurnsListenIntoSynSent_IsQueuedToo()
    {
        var c = Listen(remoteSpecified: true);
        c.Send("first");
        Assert.Equal(TcpState.SynSent, c.State);
        c.Send("second");
        c.User(Input.Close);
        Assert.Equal([Notice.Closing, Notice.Closing], c.Notices);
    }

    [Theory, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.10.5")]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void CloseOrAbort_SaysNothing_WhenOffOrNothingIsQueued(bool on, bool close)
    {
        var c = SynSent(With(p => p with { NoticeQueuedSendsInSynSent = on }));
        if (!on) c.Send("queued");
        AssertSent(c.User(close ? Input.Close : Input.Abort));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Empty(c.Notices);
    }
}
