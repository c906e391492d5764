using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>FIN-WAIT-1, from <see cref="Fixtures.FinWait1"/>: our FIN at ISS+1 is outstanding,
/// SND.NXT=ISS+2, RCV.NXT=IRS+1.</summary>
public sealed class InFinWait1
{
    private static string OurFin => $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>";

    // ---- the FIN queued behind text a zero window holds back

    [Fact, Trait("RFC", "9293 §3.10.4"), Trait("RFC", "9293 §3.8.6.1")]
    public void WindowUpdate_SendsTheTextQueuedBeforeClose_AndTheFinOnlyWithItsLastOctet()
    {
        // §3.10.4 CLOSE in ESTABLISHED: "Queue this until all preceding SENDs have been segmentized, then form a
        // FIN segment and send it" — the text held back by the zero window still goes out in FIN-WAIT-1, and the
        // FIN rides only on the segment that carries the last queued octet
        var c = Fidelity.ZeroWindowProbing.EstablishedIntoAZeroWindow(Profile.Rfc9293);
        AssertSent(c.Send("hello"));
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.FinWait1, c.State);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=3>"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"hel\">");
        Assert.False(c.Tcb.FinSent);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 4}><CTL=ACK><WND=100>"), $"<SEQ={Iss + 4}><ACK={Irs + 1}><CTL=FIN,PSH,ACK><DATA=\"lo\">");
        Assert.Equal(Iss + 7, c.Tcb.SndNxt);
        Assert.Equal(Iss + 6, c.Tcb.FinSeq);
    }

    [Fact, Trait("RFC", "6298 §3"), Trait("RFC", "9293 §3.8.1")]
    public void AnAckOfTheTextButNotTheFinASegmentCarried_GivesNoRttSample_TheAckOfItsFinDoes()
    {
        // a segment is timed to the end of the sequence space it occupies, its FIN included: an ACK that stops
        // short of the FIN does not acknowledge the segment timed
        var c = Fidelity.ZeroWindowProbing.EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        c.User(Input.Close);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=100>"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,PSH,ACK><DATA=\"hello\">");
        Assert.Equal(PeerDelay, c.Tcb.Srtt); // the handshake's sample
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 6}><CTL=ACK><WND=100>"));
        Assert.Equal(PeerDelay, c.Tcb.Srtt);
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 7}><CTL=ACK><WND=100>"));
        Assert.Equal(TcpState.FinWait2, c.State);
        Assert.Equal((7 * PeerDelay + 200_000) / 8, c.Tcb.Srtt); // R = 200 ms, from the segment's sending
    }

    // ---- fifth, check the ACK field

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfOurFin_EntersFinWait2()
    {
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait2, c.State);
        AssertNotices(c, Notice.CloseAcknowledged);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfDataButNotOfOurFin_StaysInFinWait1()
    {
        var c = Established();
        c.Send("hello");
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 6}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>");
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 6}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait1, c.State);
        Assert.Equal(Iss + 6, c.Tcb.SndUna);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 7}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait2, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "9293 §3.10.4")]
    public void ReceivingAckOfPartOfTheDataBeforeOurFin_RemovesOnlyThoseOctets_AndTheRestIsRetransmittedWithTheFin()
    {
        // fifth: "Any segments on the retransmission queue that are thereby entirely acknowledged are removed";
        // the FIN, not yet acknowledged, takes no octet of the queue with it
        var c = Established();
        c.Send("hello");
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 6}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>");
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 3}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait1, c.State);
        Assert.Equal(3, c.Tcb.SendQueue.Count);
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 3}><ACK={Irs + 1}><CTL=FIN,PSH,ACK><DATA=\"llo\">");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingDuplicateAck_IsIgnored() => DuplicateAckIsIgnored(FinWait1());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAckOfSomethingNotYetSent_SendsAck() => AckAheadIsAcked(FinWait1());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingSegmentWithoutAck_IsDropped()
    {
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=FIN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait1, c.State);
    }

    // ---- eighth, check the FIN bit

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingFinThatAcksOurFin_EntersTimeWait()
    {
        var c = FinWait1();
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.TimeWait, c.State);
        Assert.Equal(c.Now + 240 * Second, c.Deadline(TimerKind.TimeWait));
        Assert.Equal(c.Now + 240 * Second, c.Endpoint.NextDeadline); // the other timers are off
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingFinThatDoesNotAckOurFin_EntersClosing()
    {
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Closing, c.State);
        AssertNotices(c, Notice.ConnectionClosing);
    }

    // ---- text the peer's SYN carried, after a CLOSE in SYN-RECEIVED

    [Fact, Trait("RFC", "9293 §3.10.7.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnAckThatDoesNotAcknowledgeOurSyn_LeavesTheTextTheSynCarriedHeld()
    {
        // LISTEN: the SYN's text is "queued for processing later", once the connection is synchronized — in
        // FIN-WAIT-1 after a CLOSE in SYN-RECEIVED, when the ACK of our SYN arrives. An ACK of nothing new
        // (SEG.ACK = SND.UNA = ISS: a duplicate, "it can be ignored") does not synchronize it
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"hi\">");
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        AssertSent(c.Arrive($"<SEQ={Irs + 3}><ACK={Iss}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait1, c.State);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt);
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.DelayedAck));
        // the ACK of our SYN then takes it
        c.Arrive($"<SEQ={Irs + 3}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(Irs + 3, c.Tcb.RcvNxt);
        c.Receive();
        Assert.Equal("hi", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2"), Trait("RFC", "9293 Appendix A.2")]
    public void AnOldSegmentAckingOurSyn_TakesTheTextTheSynCarried_WhenOldAckProcessingIsOn()
    {
        // POLICY old-ack-processed: a segment wholly before RCV.NXT still has its ACK field processed; when that ACK
        // synchronizes the connection (our SYN acknowledged in FIN-WAIT-1) the SYN's queued text is taken with it
        var c = Listen(With(p => p with { ProcessAckOfOldSegment = true }));
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"hi\">");
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 2}><ACK={Irs + 3}><CTL=ACK><WND={OurWnd - 2}>");
        Assert.Equal(Iss + 1, c.Tcb.SndUna);
        Assert.Equal(Irs + 3, c.Tcb.RcvNxt);
        c.Receive();
        Assert.Equal("hi", Encoding.ASCII.GetString(c.Delivered));
    }

    // ---- sixth, check the URG bit

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingTextWithUrg_AdvancesRcvUpToTheUrgentPointer()
    {
        // "ESTABLISHED STATE, FIN-WAIT-1 STATE, FIN-WAIT-2 STATE: If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP)"
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=URG,ACK><WND={PeerWnd}><UP=2><DATA=\"more\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 4}>");
        Assert.Equal(c.PeerNxt + 2, c.Tcb.RcvUp);
    }

    // ---- seventh, process the segment text

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingText_DeliversItAndAcknowledges()
    {
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"more\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + 4}><CTL=ACK><WND={OurWnd - 4}>");
        Assert.Equal(TcpState.FinWait1, c.State);
        c.Receive();
        Assert.Equal("more", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingText_IsAcknowledgedWithAPlainAck_WhenFinOnAckIsOff()
    {
        var c = FinWait1();
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"),
            $"<SEQ={Iss + 2}><ACK={c.PeerNxt + 1}><CTL=ACK><WND={OurWnd - 1}>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingText_IsAcknowledgedByRepeatingTheFin_WhenFinOnAckIsOn()
    {
        var c = FinWait1(With(p => p with { FinOnAckWhileFinUnacked = true }));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"),
            $"<SEQ={Iss + 1}><ACK={c.PeerNxt + 1}><CTL=FIN,ACK><WND={OurWnd - 1}>");
    }

    // ---- first, second, fourth checks

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingAnUnacceptableSegment_IsAcknowledgedByRepeatingTheFin_WhenFinOnAckIsOn()
    {
        // POLICY fin-on-ack-while-fin-unacked (BSD tcp_output): the first check's ACK is an ordinary ACK, so it repeats
        // our unacknowledged FIN
        var c = FinWait1(With(p => p with { FinOnAckWhileFinUnacked = true }));
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>");
        AssertFired(c, TcpState.FinWait1, Trigger.Unacceptable);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "5961 §4.2")]
    public void ReceivingAnUnacceptableSyn_IsAnsweredWithAPlainAck_WhenFinOnAckIsOn()
    {
        // POLICY fin-on-ack-while-fin-unacked: an unacceptable SYN is answered like a challenge ACK (BSD tcp_respond),
        // plain <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> — here with rfc5961-syn-any-sequence off, so the first check meets it
        var c = FinWait1(With(p => p with { FinOnAckWhileFinUnacked = true, ChallengeSynIrrespectiveOfSequence = false }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ={Iss + 2}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        AssertFired(c, TcpState.FinWait1, Trigger.Unacceptable);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingUnacceptableSegment_SendsAckAndDropsIt() => UnacceptableIsAcked(FinWait1());

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstAtRcvNxt_ClosesWithConnectionReset() => RstAtRcvNxtCloses(FinWait1(), Notice.ConnectionReset);

    [Fact, Trait("RFC", "5961 §3.2")]
    public void ReceivingRstInWindow_SendsChallengeAck_UnderRfc5961() => RstInWindowIsChallenged(FinWait1());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingRstInWindow_ResetsTheConnection_UnderRfc793() => RstInWindowCloses(FinWait1(Profile.Rfc793), Notice.ConnectionReset);

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void ReceivingRstOutsideTheWindow_IsDropped() => RstOutsideWindowIsDropped(FinWait1());

    [Fact, Trait("RFC", "5961 §4.2")]
    public void ReceivingSyn_SendsChallengeAck_UnderRfc5961() => SynIsChallenged(FinWait1());

    [Fact, Trait("RFC", "793 §3.4")]
    public void ReceivingSynInWindow_ResetsTheConnection_UnderRfc793() => SynResets(FinWait1(Profile.Rfc793));

    // ---- user calls

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void Open_AnswersConnectionAlreadyExists() => OpenAnswersAlreadyExists(FinWait1());

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionClosing() => UserCallAnswers(FinWait1(), Input.Send(Bytes("x")), Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_DeliversQueuedText()
    {
        var c = FinWait1();
        c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"abc\">");
        AssertSent(c.Receive());
        Assert.Equal("abc", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionClosing() => UserCallAnswers(FinWait1(), Input.Close, Notice.ErrorConnectionClosing);

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_SendsRstAtSndNxtAndCloses() => AbortSendsRst(FinWait1());

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing() => StatusChangesNothing(FinWait1());

    // ---- timeouts

    [Fact, Trait("RFC", "6298 §5")]
    public void RetransmissionTimeout_ResendsTheFinAndDoublesTheRto()
    {
        var c = FinWait1();
        long sentAt = c.Now;
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 1 * Second, c.Now);
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 3 * Second, c.Now);
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + 7 * Second, c.Now);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "6298 §5")]
    public void AZeroWindowWhileOnlyOurFinIsOutstanding_ArmsNoPersistTimer_TheFinIsRetransmitted()
    {
        // with no text left to send there is nothing to probe the window with (§3.8.6.1 "at least one octet of new
        // data (if available)"); the FIN, which a zero window still accepts, stays with the retransmission timer
        var c = FinWait1();
        long sentAt = c.Now;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={Iss + 1}><CTL=ACK><WND=0>"));
        Assert.Equal(0u, c.Tcb.SndWnd);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        AssertSent(c.FireNextTimer(), OurFin);
        Assert.Equal(sentAt + Second, c.Now);
        AssertFired(c, TcpState.FinWait1, Trigger.RetransmitTimeout);
    }

    [Fact, Trait("RFC", "1122 §4.2.3.5")]
    public void RetransmissionsForR2_CloseTheConnection()
    {
        var c = FinWait1();
        long sentAt = c.Now;
        while (c.State == TcpState.FinWait1) c.FireNextTimer();
        Assert.Equal(sentAt + 123 * Second, c.Now);
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.RetransmissionTimeout);
    }
}
