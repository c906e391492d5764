using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 9293 §3.8.6.1 (MUST-36, MUST-37, SHLD-29, SHLD-30), RFC 1122 §4.2.2.17: a zero window is
/// probed with one octet, the same octet while the window stays zero, at exponentially growing intervals;
/// nothing is retransmitted into the closed window, and a peer that answers keeps the connection open.</summary>
public sealed class ZeroWindowProbing
{
    /// <summary>Active OPEN whose SYN,ACK offers WND=0 (RTO 1 s after the 10 ms handshake sample).</summary>
    internal static Conn EstablishedIntoAZeroWindow(Profile p)
    {
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND=0><OPT=MSS:1460>");
        Assert.Equal(TcpState.Established, c.State);
        return c;
    }

    private static string ZeroWindowAck(SeqNum ack) => $"<SEQ={Irs + 1}><ACK={ack}><CTL=ACK><WND=0>";

    /// <summary>The run: "hello" into a zero window, the peer answering every probe with a
    /// zero-window ACK of SND.UNA, for 400 s of virtual time.</summary>
    internal static void TheProbeIsOneOctetRetransmittedWithBackoffAndTheConnectionStaysOpen(Profile p)
    {
        var c = EstablishedIntoAZeroWindow(p);
        AssertSent(c.Send("hello"));
        var sentAt = c.Now;
        var probes = new List<long>();
        while (c.Now < 400 * Second)
        {
            var sent = c.FireNextTimer();
            Assert.Equal(TcpState.Established, c.State);
            Assert.Empty(c.Notices);
            // one octet, always the first unacknowledged one: never "e", never "he", "hel"…
            AssertSent(sent, $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
            probes.Add(c.Now);
            c.Now += PeerDelay;
            AssertSent(c.Arrive(ZeroWindowAck(Iss + 1)));
        }
        // the probe's octet is out, SND.NXT stays before it (FreeBSD tcp_output in persist mode: snd_max only), so
        // our ACKs keep SEQ = the zero-window peer's RCV.NXT
        Assert.Equal(Iss + 1, c.Tcb.SndNxt);
        Assert.True(c.Tcb.ProbeOutstanding);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        // the intervals double from the RTO (SHLD-30) and stay bounded by the maximum RTO (60 s)
        // the first probe goes out one RTO (1 s after the 10 ms handshake sample) after the window closed (SHLD-29)
        Assert.Equal(Second, probes[0] - sentAt);
        var gaps = probes.Zip(probes.Skip(1), (a, b) => b - a).ToArray();
        Assert.Equal([2 * Second, 4 * Second, 8 * Second, 16 * Second, 32 * Second, 60 * Second], gaps.Take(6));
        Assert.All(gaps.Skip(5), g => Assert.Equal(60 * Second, g));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-37"), Trait("RFC", "SHLD-29"), Trait("RFC", "SHLD-30")]
    public void AZeroWindowAnsweredForever_GetsTheSameOneOctetProbeWithBackoff_AndStaysEstablished() =>
        TheProbeIsOneOctetRetransmittedWithBackoffAndTheConnectionStaysOpen(Profile.Rfc9293);

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void AnUnansweredProbeOfOutstandingText_IsSentAgainAfterTwiceTheInterval()
    {
        // the window closed on text already sent, nothing queued behind it: the persist timer re-arms itself with the
        // backed-off interval (there is no unsent text whose output would arm it)
        var c = Established();
        AssertSent(c.Send("hello"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"hello\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 1)));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
        var first = c.Now;
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
        Assert.Equal(2 * Second, c.Now - first);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void WhenTheWindowOpens_TheRestFollowsTheProbe()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
        c.Now += PeerDelay;
        // the peer did not take the probe's octet (its window was zero): it goes out again with the rest
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=100>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"hello\">");
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        Assert.NotEqual(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
    }

    [Theory, Trait("RFC", "9293 §3.8.6.1")]
    [InlineData(ZeroWindowProbeForm.OneOctet, "<DATA=\"h\">", 1)] // the first unacknowledged octet again
    [InlineData(ZeroWindowProbeForm.OldSequence, "", 0)]         // tcp_xmit_probe_skb: SEQ = SND.UNA − 1, no data
    public void TextOutstandingInAClosedWindow_IsProbed_AndNothingIsOnceItIsAcknowledged(ZeroWindowProbeForm form, string data, int at)
    {
        // POLICY zero-window-probe-form with POLICY closed-window-retransmit off: the persist timer probes the window the
        // outstanding text met; once that text is acknowledged, with nothing queued, there is nothing left to probe for
        var c = Established(With(p => p with { ZeroWindowProbeForm = form }));
        AssertSent(c.Send("hello"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"hello\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 1)));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + at}><ACK={Irs + 1}><CTL=ACK>{data}");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 6)));
        if (c.Endpoint.NextDeadline != TimerSet.Off) AssertSent(c.FireNextTimer());
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void UnderLinux_TheProbeIsAnOldSequenceNumberWithoutData_AndTheWindowReopensTheFlow()
    {
        // POLICY zero-window-probe-form: Linux tcp_write_wakeup → tcp_xmit_probe_skb(sk, 0), SEQ = snd_una − 1
        var c = EstablishedIntoAZeroWindow(Profile.Linux);
        c.Send("hello");
        var probe = c.FireNextTimer().Single();
        Assert.Equal((Iss, Irs + 1, Control.ACK, 0), (probe.Seq, probe.Ack, probe.Control, probe.Payload.Length));
        Assert.Equal(Iss + 1, c.Tcb.SndNxt);
        Assert.NotEqual(TimerSet.Off, c.Deadline(TimerKind.Persist));
        c.Now += PeerDelay;
        var sent = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=100>");
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(sent.Single().Payload.Span));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "9293 §3.10.4")]
    public void InLastAck_DataQueuedAheadOfTheFin_IsProbedLikeAnyOther()
    {
        // CLOSE in CLOSE-WAIT queues the FIN behind the unsent text (§3.10.4) and enters LAST-ACK: without a probe
        // the text and the FIN would wait for ever behind a zero window whose update was lost
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=0>");
        Assert.Equal(TcpState.CloseWait, c.State);
        c.User(Input.Close);
        Assert.Equal(TcpState.LastAck, c.State);
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><DATA=\"h\">");
        AssertFired(c, TcpState.LastAck, Trigger.PersistTimeout);
        Assert.NotEqual(TimerSet.Off, c.Deadline(TimerKind.Persist));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "9293 §3.10.4")]
    public void InClosing_DataQueuedAheadOfTheFin_IsProbedLikeAnyOther()
    {
        // CLOSE in ESTABLISHED queues the FIN behind the unsent text and enters FIN-WAIT-1; the peer's FIN then
        // takes it to CLOSING with the text still unsent
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=0>");
        Assert.Equal(TcpState.Closing, c.State);
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><DATA=\"h\">");
        AssertFired(c, TcpState.Closing, Trigger.PersistTimeout);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "9293 §3.10.7.4")]
    public void WhileAProbeIsOut_OurAcksCarryTheSequenceNumberTheZeroWindowPeerExpects()
    {
        // Table 6: with RCV.WND = 0 only SEG.SEQ = RCV.NXT is acceptable; the probe's octet does not advance SND.NXT
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=0><DATA=\"xy\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 3}><CTL=ACK><WND=65533>");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void AProbeTheReceiverAccepts_IsFollowedByANewOctet()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"h\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 2)));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 2}><ACK={Irs + 1}><CTL=ACK><DATA=\"e\">");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-35")]
    public void AWindowThatClosesWithDataOutstanding_IsProbed_NotRetransmittedInto()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        AssertSent(c.Send("hello"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"hello\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 3))); // "he" taken, the window closed
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        for (int i = 0; i < 8; i++)
        {
            AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 3}><ACK={Irs + 1}><CTL=ACK><DATA=\"l\">");
            c.Now += PeerDelay;
            c.Arrive(ZeroWindowAck(Iss + 3));
        }
        Assert.Equal(TcpState.Established, c.State);
    }

    [Theory, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-35")]
    [InlineData(true)]
    [InlineData(false)]
    public void AWindowThatClosesWithTextAndFinOutstanding_IsProbed_NotRetransmittedInto_InLastAckAndClosing(bool lastAck)
    {
        // the text and the FIN went out together (CLOSE after SEND), then the window closes with "llo" and the FIN
        // unacknowledged: in LAST-ACK and CLOSING as in ESTABLISHED, the persist timer takes over
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        if (lastAck)
        {
            c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=8192>");
            c.Send("hello");
            c.User(Input.Close);
            Assert.Equal(TcpState.LastAck, c.State);
        }
        else
        {
            c.Send("hello");
            c.User(Input.Close);
            c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND=8192>");
            Assert.Equal(TcpState.Closing, c.State);
        }
        Assert.True(c.Tcb.FinSent);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 3}><CTL=ACK><WND=0>")); // "he" taken, the window closed
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        for (int i = 0; i < 4; i++)
        {
            AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 3}><ACK={Irs + 2}><CTL=ACK><DATA=\"l\">");
            c.Now += PeerDelay;
            c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 3}><CTL=ACK><WND=0>");
        }
        Assert.Equal(lastAck ? TcpState.LastAck : TcpState.Closing, c.State);
        // and a peer that stops answering the probes is given up after R2 of silence (MUST-37 only protects one that answers)
        long lastHeard = c.Now;
        while (c.State != TcpState.Closed && c.Now - lastHeard < 10 * Profile.Rfc9293.R2) c.FireNextTimer();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(c.Now - lastHeard >= Profile.Rfc9293.R2 && c.Now - lastHeard < Profile.Rfc9293.R2 + Profile.Rfc9293.RtoMax);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-35")]
    public void AnAckOfTheProbeThatDoesNotUpdateTheWindow_LeavesTheRestToTheProbes_NotToARetransmission()
    {
        // "abc" is out; an ACK with SEG.SEQ = RCV.NXT+1 (in the window) closes it, so SND.WL1 = RCV.NXT+1; the probe "a"
        // is acknowledged by an ACK with SEG.SEQ = RCV.NXT, below SND.WL1: SND.UNA advances, the window is not updated
        // (§3.10.7.4 fifth) and stays zero — "bc" must not be retransmitted into it; the next probe is "b"
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        AssertSent(c.Send("abc"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"abc\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 2}><ACK={Iss + 1}><CTL=ACK><WND=0>"));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><DATA=\"a\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=ACK><WND=65534>"));
        Assert.Equal(0u, c.Tcb.SndWnd);
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 2}><ACK={Irs + 1}><CTL=ACK><DATA=\"b\">");
    }

    /// <summary>POLICY closed-window-retransmit, on (linux): the retransmissions of the outstanding segment are the
    /// probes (tcp_retransmit_timer), backing off; a peer that answers is never timed out, not even past R2.</summary>
    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-37")]
    public void UnderLinux_AWindowThatClosesWithDataOutstanding_IsProbedByRetransmittingTheSegment()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Linux);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        Assert.Single(c.Send("hello"));
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 3))); // "he" taken, the window closed
        Assert.NotEqual(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        long last = 0, lastGap = 0;
        while (c.Now < 150 * Second)
        {
            var sent = c.FireNextTimer();
            Assert.Equal(TcpState.Established, c.State);
            var probe = Assert.Single(sent);
            Assert.Equal(Iss + 3, probe.Seq);
            Assert.Equal("llo", System.Text.Encoding.ASCII.GetString(probe.Payload.Span));
            if (last > 0) { Assert.True(c.Now - last >= lastGap, "the interval between probes never shrinks"); lastGap = c.Now - last; }
            last = c.Now;
            c.Now += PeerDelay;
            c.Arrive(ZeroWindowAck(Iss + 3));
        }
        Assert.Equal(TcpState.Established, c.State); // past R2 (100 s): answered probes keep it open
    }

    /// <summary>POLICY closed-window-retransmit, on (linux), with text still unsent behind the outstanding segment:
    /// the unsent text does not bring the persist timer back (tcp_check_probe_timer arms it only when nothing is in
    /// flight); the outstanding segment's retransmission is still the probe.</summary>
    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-37")]
    public void UnderLinux_AWindowThatClosesWithTextUnsentBehindTheOutstandingSegment_IsProbedByRetransmittingTheSegment()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Linux);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=5>");
        var sent = Assert.Single(c.Send("hello world"));
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(sent.Payload.Span));
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 3))); // "he" taken, the window closed, " world" still unsent
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        var probe = Assert.Single(c.FireNextTimer());
        AssertFired(c, TcpState.Established, Trigger.RetransmitTimeout);
        Assert.Equal(Iss + 3, probe.Seq);
        Assert.Equal("llo", System.Text.Encoding.ASCII.GetString(probe.Payload.Span));
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void UnderLinux_APeerSilentForTheMaximumRtoWhileTheWindowIsClosed_IsGivenUp()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Linux);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        c.Send("hello");
        c.Now += PeerDelay;
        c.Arrive(ZeroWindowAck(Iss + 3));
        long answered = c.Now;
        while (c.State == TcpState.Established && c.Now < 600 * Second) c.FireNextTimer();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.True(c.Now - answered > Profile.Linux.RtoMax, $"given up {c.Now - answered} µs after the last answer");
        Assert.True(c.Now - answered <= 2 * Profile.Linux.RtoMax + Second, $"given up {c.Now - answered} µs after the last answer");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1")]
    public void AWindowThatClosesWithNothingToSend_ArmsNoTimer()
    {
        // probing is for data waiting to be sent (MUST-36): with nothing queued the closed window needs no timer
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 1)));
        Assert.Equal(0u, c.Tcb.SndWnd);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "6298 §5.1"), Trait("RFC", "9293 §3.8.6.1")]
    public void AWindowThatReopensWithDataStillOutstanding_RestartsTheRetransmissionTimer_AndTheDataIsRetransmitted()
    {
        // RFC 6298 §5.1 keeps the timer running while data is outstanding; the closed window only suspended it
        // (probing instead): when the window reopens and nothing new is to be sent, a lost "llo" must still be resent
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        AssertSent(c.Send("hello"), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"hello\">");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 3))); // "he" taken, the window closed with "llo" outstanding
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Retransmit));
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 3}><CTL=ACK><WND=8192>"));
        Assert.Equal(TimerSet.Off, c.Deadline(TimerKind.Persist));
        Assert.Equal(c.Now + c.Tcb.Rto, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 3}><ACK={Irs + 1}><CTL=PSH,ACK><DATA=\"llo\">");
        Assert.Equal(TcpState.Established, c.State);
    }

    [Fact, Trait("RFC", "6298 §5.1"), Trait("RFC", "6298 §5.3"), Trait("RFC", "9293 §3.8.6.1")]
    public void AWindowThatReopensWithoutAcknowledgingAnything_DoesNotRestartARunningRetransmissionTimer()
    {
        // the FIN sent into the closed window started the timer (§5.1: "if the timer is not running, start it");
        // only an ACK of new data restarts it (§5.3), so a window update cannot postpone the retransmission
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND=8192>");
        c.Send("hello");
        c.Now += PeerDelay;
        AssertSent(c.Arrive(ZeroWindowAck(Iss + 3))); // "he" taken, the window closed with "llo" outstanding
        c.Now += PeerDelay;
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 6}><ACK={Irs + 1}><CTL=FIN,ACK>");
        long finAt = c.Now;
        Assert.Equal(finAt + c.Tcb.Rto, c.Deadline(TimerKind.Retransmit));
        c.Now += 100_000;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 3}><CTL=ACK><WND=8192>"));
        Assert.Equal(finAt + c.Tcb.Rto, c.Deadline(TimerKind.Retransmit));
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss + 3}><ACK={Irs + 1}><CTL=FIN,PSH,ACK><DATA=\"llo\">");
        Assert.Equal(finAt + Second, c.Now);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "1122 §4.2.3.5")]
    public void APeerThatStopsAnsweringProbes_IsGivenUpAfterR2OfSilence()
    {
        var c = EstablishedIntoAZeroWindow(Profile.Rfc9293);
        c.Send("hello");
        long lastHeard = c.Now;
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal([Notice.RetransmissionTimeout], c.Notices);
        Assert.True(c.Now - lastHeard >= Profile.Rfc9293.R2, $"given up after {c.Now - lastHeard} µs of silence");
        Assert.True(c.Now - lastHeard < Profile.Rfc9293.R2 + Profile.Rfc9293.RtoMax);
    }

    [Fact, Trait("RFC", "9293 §3.10.8"), Trait("RFC", "9293 §3.8.6.1")]
    public void WithAUserTimeoutShorterThanR2_ASilentPeerIsGivenUpByTheUserTimeoutAtTheNextProbe()
    {
        var p = Profile.Rfc9293 with { UserTimeout = 20 * Second };
        var c = EstablishedIntoAZeroWindow(p);
        c.Send("hello");
        long lastHeard = c.Now;
        while (c.State == TcpState.Established) c.FireNextTimer();
        Assert.Equal([Notice.UserTimeout], c.Notices);
        Assert.True(c.Now - lastHeard >= p.UserTimeout && c.Now - lastHeard < p.UserTimeout + p.RtoMax, $"given up after {c.Now - lastHeard} µs");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MUST-37")]
    public void WithAUserTimeoutShorterThanTheRun_APeerThatAnswersEveryProbeStillKeepsTheConnectionOpen() =>
        TheProbeIsOneOctetRetransmittedWithBackoffAndTheConnectionStaysOpen(Profile.Rfc9293 with { UserTimeout = 20 * Second });

    /// <summary>POLICY user-timeout-ends-closed-window, on (linux): TCP_USER_TIMEOUT ends a window that stays closed
    /// although every probe is answered, one probe interval or less after the timeout from the first probe.</summary>
    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void UnderLinux_AUserTimeoutEndsAWindowThatStaysClosed_EvenWhileEveryProbeIsAnswered()
    {
        var p = Profile.Linux with { UserTimeout = 20 * Second };
        var c = EstablishedIntoAZeroWindow(p);
        c.Send("hello");
        long firstProbe = -1;
        while (c.State == TcpState.Established && c.Now < 400 * Second)
        {
            c.FireNextTimer();
            if (firstProbe < 0) firstProbe = c.Now;
            c.Now += PeerDelay;
            if (c.State == TcpState.Established) c.Arrive(ZeroWindowAck(Iss + 1));
        }
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal([Notice.UserTimeout], c.Notices);
        Assert.True(c.Now - firstProbe >= p.UserTimeout && c.Now - firstProbe <= p.UserTimeout + PeerDelay, $"ended {c.Now - firstProbe} µs after the first probe");
    }

    [Fact, Trait("Mutant", "probe-advances-into-zero-window")]
    public void TheRegressionTestFails_WhenTheProbeAdvancesIntoTheZeroWindow() =>
        MutantCheck.FailsUnder(Mutant.ProbeAdvancesIntoZeroWindow, Profile.Rfc9293,
            TheProbeIsOneOctetRetransmittedWithBackoffAndTheConnectionStaysOpen);
}
