using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>
    /// The output routine run at the end of every step: send queued data the window allows
    /// (segmentized by the send MSS), then a queued FIN, then an owed ACK if nothing else carried it
    /// (MUST-58/59: one ACK per step however many reasons there were).
    /// </summary>
    private void Output()
    {
        var t = Tcb;
        if (!t.AckNow && t.SendQueue.Count == 0 && !t.FinQueued && State is TcpState.Established or TcpState.CloseWait)
            return; // the receive path's common case: nothing owed, nothing queued
        OutputSlow();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void OutputSlow()
    {
        var t = Tcb;
        if (State is TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.TimeWait)
        {
            if (t.AckNow && State == TcpState.TimeWait) SendAck();
            t.AckNow = t.AckPlain = false;
            return;
        }
        if (State == TcpState.SynReceived)
        {
            if (t.AckNow) SendAck();
            return;
        }

        if (t.SendQueue.Count == 0 && !t.FinQueued)
        {
            // nothing queued to send (the common case on the receive path): at most an owed ACK
            if (t.AckNow) SendAck();
            return;
        }
        bool dataAllowed = State is TcpState.Established or TcpState.CloseWait
                           || (t.FinQueued && !t.FinSent && State is TcpState.FinWait1 or TcpState.LastAck or TcpState.Closing);
        while (dataAllowed && t.Unsent > 0)
        {
            long usable = (long)t.SndWnd - t.DataInFlight + (Profile.Mutant == Mutant.SendWindowOffByOne ? 1 : 0); // MUTANT send-window-off-by-one
            int len = (int)Math.Min(Math.Min(t.Unsent, EffectiveSendMss()), Math.Max(0, usable));
            if (len <= 0)
            {
                // POLICY closed-window-retransmit: with data outstanding Linux's retransmissions are the probes
                // (tcp_check_probe_timer arms the probe timer only when nothing is in flight)
                if (t.SndWnd == 0 && t.Timers.Get(TimerKind.Persist) == TimerSet.Off
                    && !(Profile.RetransmitIntoClosedWindow && t.DataInFlight > 0))
                    t.Timers.Set(TimerKind.Persist, _now + PersistInterval()); // §3.8.6.1 zero-window probing (SHLD-29)
                break;
            }
            bool fin = t.FinQueued && !t.FinSent && len == t.Unsent;
            var payload = t.SendQueue.Peek(t.DataInFlight, len);
            var ctl = Control.ACK | (len == t.Unsent ? Control.PSH : 0) | (fin ? Control.FIN : 0);
            Emit(new Segment(t.SndNxt, t.RcvNxt, ctl, AdvertisedWindow(), payload, DataOptions()));
            SentNew(t.SndNxt + new SeqLen((uint)len + (fin ? 1u : 0u)));
            if (fin) { t.FinSent = true; t.FinSeq = t.SndNxt + new SeqLen((uint)len); } // the FIN follows the data (§3.4)
            t.SndNxt += new SeqLen((uint)len + (fin ? 1u : 0u));
            ScheduleLossProbe(advancingRto: false); // Linux tcp_write_xmit: "Send one loss probe per tail loss episode"
        }
        if (t.FinQueued && !t.FinSent && t.Unsent == 0 && State is TcpState.FinWait1 or TcpState.LastAck or TcpState.Closing)
        {
            Emit(new Segment(t.SndNxt, t.RcvNxt, Control.FIN | Control.ACK, AdvertisedWindow(), default, DataOptions()));
            SentNew(t.SndNxt + new SeqLen(1));
            t.FinSent = true;
            t.FinSeq = t.SndNxt;
            t.SndNxt += new SeqLen(1);
            ScheduleLossProbe(advancingRto: false);
        }
        if (t.AckNow) SendAck();
    }

    /// <summary>The plain ACK <c>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;</c> (or, under POLICY
    /// fin-on-ack-while-fin-unacked, the FIN repeated at its own sequence number).</summary>
    private void SendAck()
    {
        var t = Tcb;
        if (Profile.FinOnAckWhileFinUnacked && t.FinSent && !t.FinAcked && !t.AckPlain)
            Emit(new Segment(t.FinSeq, t.RcvNxt, Control.FIN | Control.ACK, AdvertisedWindow(), default, DataOptions()));
        else
            Emit(new Segment(t.SndNxt, t.RcvNxt, Control.ACK, AdvertisedWindow(), default, DataOptions()));
    }

    /// <summary>Bookkeeping for a segment that occupies new sequence space up to <paramref name="end"/>:
    /// RTT timing (one at a time), the retransmission and user timers (RFC 6298 §5.1).</summary>
    private void SentNew(SeqNum end)
    {
        var t = Tcb;
        t.ProbeOutstanding = false; // the window opened: the probe's octet goes out as data from SND.NXT
        if (!t.RttTiming)
        {
            t.RttTiming = true;
            t.RttSeq = end;
            t.RttSentAt = _now;
        }
        if (t.Timers.Get(TimerKind.Retransmit) == TimerSet.Off)
        {
            t.Timers.Set(TimerKind.Retransmit, _now + t.Rto);
            t.RetransmitEpoch = _now;
        }
        if (UserTimeout > 0 && t.Timers.Get(TimerKind.User) == TimerSet.Off)
            t.Timers.Set(TimerKind.User, _now + UserTimeout);
    }

    /// <summary>POLICY tail-loss-probe (RFC 8985 §7.2; Linux <c>tcp_schedule_loss_probe</c>): with SACK negotiated, the
    /// connection synchronized, data or the FIN outstanding and no RTO since the last new ACK (icsk_ca_state Open), the
    /// retransmission timer becomes the probe timeout: 2·SRTT + RTO.min with one segment outstanding, + 2 ms with more
    /// (TCP_TIMEOUT_MIN_US), 1 s without an RTT sample (TCP_TIMEOUT_INIT) — no later than the RTO: from now when an ACK
    /// restarts it (<paramref name="advancingRto"/>), otherwise from when the timer was started. One probe per
    /// episode: while one is outstanding the RTO runs (tcp_send_loss_probe would only re-arm it).</summary>
    private void ScheduleLossProbe(bool advancingRto)
    {
        var t = Tcb;
        if (!Profile.TailLossProbe || !t.SackPermittedOn || t.TlpOutstanding || t.Retransmissions > 0 || t.SynUnacked
            || t.SndUna == t.SndNxt || t.Timers.Get(TimerKind.Retransmit) == TimerSet.Off)
            return;
        if (State is not (TcpState.Established or TcpState.FinWait1 or TcpState.CloseWait or TcpState.Closing or TcpState.LastAck))
            return;
        long pto;
        if (t.Srtt >= 0) // Tcb.Srtt = -1: no sample yet; a sample of 0 µs is one (Linux keeps srtt_us >= 1 after any)
        {
            // tcp_packets_out == 1: the model keeps no segment boundaries; what is outstanding fits one segment
            bool oneSegment = t.DataInFlight <= EffectiveSendMss();
            pto = 2 * t.Srtt + (oneSegment ? Profile.RtoMin : 2_000);
        }
        else pto = 1_000_000;
        long rtoAt = advancingRto ? _now + t.Rto : t.RetransmitEpoch + t.Rto;
        long at = Math.Min(_now + pto, Math.Max(rtoAt, _now + 1));
        t.Timers.Set(TimerKind.Retransmit, at);
        t.LossProbeArmed = true;
    }

    /// <summary>POLICY tail-loss-probe, the probe timeout (RFC 8985 §7.3; Linux <c>tcp_send_loss_probe</c>): no new
    /// data can go (the model sends what the window allows at once), so "retransmit the most recently sent segment" —
    /// the last Eff.snd.MSS octets before SND.NXT, with the FIN when it is outstanding; record SND.NXT (tlp_high_seq);
    /// then the retransmission timer restarts with the RTO, neither backed off nor counted as a retransmission.</summary>
    private void SendLossProbe()
    {
        var t = Tcb;
        t.LossProbeArmed = false;
        int inFlight = t.DataInFlight;
        int len = Math.Min(inFlight, EffectiveSendMss());
        bool fin = t.FinSent && !t.FinAcked;
        var dataEnd = fin ? t.FinSeq : t.SndNxt;
        // PSH as when it was first sent: it reaches the end of the data queued (Linux keeps the skb's flags)
        var ctl = Control.ACK | (fin ? Control.FIN : 0) | (len > 0 && inFlight == t.SendQueue.Count ? Control.PSH : 0);
        Emit(new Segment(dataEnd - new SeqLen((uint)len), t.RcvNxt, ctl, AdvertisedWindow(), t.SendQueue.Peek(inFlight - len, len), DataOptions()));
        t.AckNow = false;
        t.RttTiming = false; // Karn: a retransmitted segment is not timed
        t.TlpOutstanding = true;
        t.TlpHighSeq = t.SndNxt;
        t.Timers.Set(TimerKind.Retransmit, _now + t.Rto); // tcp_rearm_rto after "icsk_pending = 0": the RTO from now
    }

    /// <summary>Our SYN (or SYN,ACK) at ISS with the options the profile offers (§3.7.1 MSS; RFC 7323; RFC 2018).</summary>
    private void SendSyn(bool ack)
    {
        var t = Tcb;
        Emit(SynSegment(ack));
        if (t.SndNxt == t.Iss)
        {
            SentNew(t.Iss + new SeqLen(1));
            t.SndNxt = t.Iss + new SeqLen(1);
        }
    }

    private Segment SynSegment(bool ack)
    {
        var t = Tcb;
        t.OurMss = AnnouncedMss;
        TcpTimestamp? ts = Profile.Timestamps && (!ack || t.TimestampsOn) ? new TcpTimestamp(TsClock(), ack ? t.TsRecent : 0) : null;
        byte? ws = Profile.WindowScale is { } w && (!ack || t.RcvScale != 0 || t.SndScale != 0) ? w : null;
        bool sack = Profile.SackPermitted && (!ack || t.SackPermittedOn);
        var opts = new TcpOptions(t.OurMss, ws, sack, ts);
        // a SYN's window is never scaled; under POLICY receiver-sws-every-ack a SYN,ACK sent again after an edge was
        // announced keeps that edge as every other segment does (§3.8.6.2.2: text delivered before our SYN was
        // acknowledged and read by the user is not a reason to announce a small opening). No edge is announced before
        // a SYN (RcvAdvSet is clear until the first segment with an ACK), so a SYN gets the free buffer
        var window = (ushort)Math.Min(SwsWindow(), 65535u);
        var edge = t.RcvNxt + new SeqLen(window);
        if (t.RcvAdvSet && edge > t.RcvAdv) t.RcvAdv = edge;
        return new Segment(t.Iss, ack ? t.RcvNxt : default, ack ? Control.SYN | Control.ACK : Control.SYN, window, default, opts);
    }

    /// <summary>RFC 9293 §3.7.1 (MUST-16), RFC 6691 §2: Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize -
    /// IPoptionsize, where MMS_S is the largest transport message our interface can send (its MTU less
    /// the fixed IP header) and TCPhdrsize counts the options of the segment: a data segment carries the
    /// 12 octets of timestamps (10, padded to 12) when they are in use, so 1460 becomes 1448. The model
    /// sends no IP options.</summary>
    private int EffectiveSendMss()
    {
        var t = Tcb;
        if (Profile.Mutant == Mutant.PeerMssUnbounded) return t.SendMss; // MUTANT peer-mss-unbounded
        int mmsS = Profile.Mtu - (Options.IPv6 ? 40 : 20);
        int tcpHeader = 20 + (t.TimestampsOn ? 12 : 0);
        return Math.Max(1, Math.Min(t.SendMss + 20, mmsS) - tcpHeader);
    }

    private TcpOptions DataOptions() =>
        Tcb.TimestampsOn ? new TcpOptions(timestamp: new TcpTimestamp(TsClock(), Tcb.TsRecent)) : TcpOptions.None;

    private uint TsClock() => unchecked((uint)(_now / 1000) + 100); // RFC 7323 §5.4: a 1 ms clock

    /// <summary>The window field we send: RCV.WND scaled down by our shift (RFC 7323 §2.3). Under POLICY
    /// receiver-sws-every-ack, receiver silly-window avoidance (§3.8.6.2.2, MUST-39) holds on every segment:
    /// "keep RCV.NXT+RCV.WND fixed until the reduction satisfies RCV.BUFF - RCV.USER - RCV.WND >=
    /// min(Fr * RCV.BUFF, Eff.snd.MSS)" with Fr = 1/2; the edge announced is remembered.</summary>
    private ushort AdvertisedWindow()
    {
        var t = Tcb;
        uint wnd = SwsWindow();
        uint field = Math.Min(wnd >> t.RcvScale, 65535u);
        var edge = t.RcvNxt + new SeqLen(field << t.RcvScale);
        if (!t.RcvAdvSet || edge > t.RcvAdv)
        {
            t.RcvAdv = edge;
            t.RcvAdvSet = true;
        }
        return (ushort)field;
    }

    /// <summary>The window to announce before scaling: the free buffer, or under POLICY receiver-sws-every-ack, once an
    /// edge was announced, that edge while the opening is below the threshold (a small opening is not announced: the
    /// right edge stays).</summary>
    private uint SwsWindow()
    {
        var t = Tcb;
        uint wnd = t.FreeWindow;
        if (Profile.ReceiverSwsOnEveryAck && t.RcvAdvSet)
        {
            uint held = t.AnnouncedWindow;
            if (wnd > held && !SwsOpeningAnnounced(wnd - held)) wnd = held;
        }
        return wnd;
    }

    /// <summary>RFC 9293 §3.8.6.2.2 (MUST-39): a reduction of the window is given up once "RCV.BUFF - RCV.USER -
    /// RCV.WND >= min(Fr * RCV.BUFF, Eff.snd.MSS)", Fr = 1/2 compared exactly.</summary>
    private bool SwsOpeningAnnounced(uint opening) =>
        2L * opening >= Tcb.ReceiveBufferSize || opening >= (uint)EffectiveSendMss();

    /// <summary>RFC 6298 §5.4–5.6: retransmit the earliest unacknowledged segment, double the RTO,
    /// restart the timer; Karn: stop timing.</summary>
    private void Retransmit()
    {
        var t = Tcb;
        if (t.SndUna == t.SndNxt) return;
        if (t.LossProbeArmed) { SendLossProbe(); return; } // POLICY tail-loss-probe: the timer was the PTO
        t.TlpOutstanding = false; // tcp_enter_loss: "tp->tlp_high_seq = 0"
        t.Retransmissions++;
        // RFC 1122 §4.2.3.5: at R1 retransmissions, "pass negative advice to the IP layer" — the model
        // has no IP layer, so the user (or host) is told; the connection goes on until R2
        if (t.Retransmissions == Profile.R1) _out.Notify(Notice.ExcessiveRetransmissions);
        t.RttTiming = false;
        // POLICY syn-linear-timeouts: in SYN-SENT the first N retransmissions keep the RTO (Linux tcp_retransmit_timer:
        // the RTO doubles only once "icsk_backoff > sysctl_tcp_syn_linear_timeouts", the backoff counting this one)
        bool linear = State == TcpState.SynSent && t.Retransmissions <= Profile.SynLinearTimeouts;
        if (Profile.Mutant != Mutant.RtoNotBackedOff && !linear) t.Rto = Math.Min(t.Rto * 2, Profile.RtoMax); // MUTANT rto-not-backed-off
        if (Profile.Mutant != Mutant.RetransmitTimerNotRearmed) t.Timers.Set(TimerKind.Retransmit, _now + t.Rto); // MUTANT retransmit-timer-not-rearmed
        if (t.SynUnacked)
        {
            t.SynTimedOut = true;
            // Once the peer's SYN is in (any state after SYN-SENT, e.g. FIN-WAIT-1 after a CLOSE in
            // SYN-RECEIVED), ours is retransmitted as <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (RFC 9293 §3.10.7.3, Figure 8)
            Emit(SynSegment(ack: State != TcpState.SynSent));
            return;
        }
        int inFlight = t.DataInFlight;
        int len = Math.Min(inFlight, EffectiveSendMss());
        bool fin = t.FinSent && !t.FinAcked && len == inFlight;
        // PSH as the first sending set it: only on a segment that reaches the end of the data queued (Linux
        // __tcp_retransmit_skb resends the skb with its flags, tcp_mark_push having marked a write's last one; FreeBSD
        // tcp_output: "if (off + len == sbused(&so->so_snd)) flags |= TH_PUSH")
        var ctl = Control.ACK | (fin ? Control.FIN : 0) | (len > 0 && len == t.SendQueue.Count ? Control.PSH : 0);
        var from = Profile.Mutant == Mutant.RetransmitFromSndNxt ? t.SndNxt : t.SndUna; // MUTANT retransmit-from-snd-nxt
        Emit(new Segment(from, t.RcvNxt, ctl, AdvertisedWindow(), t.SendQueue.Peek(0, len), DataOptions()));
        t.AckNow = false;
    }

    /// <summary>§3.8.6.1 (MUST-36): with a zero send window, probe it with one octet. While the window
    /// stays zero the probe is the same octet, retransmitted at SND.UNA, not a new one beyond it ("the
    /// probe segment" of RFC 1122 §4.2.2.17); the persist timer backs off exponentially (SHLD-30),
    /// bounded by the maximum RTO, and covers the probe alone: the retransmission timer is stopped
    /// (BSD tcp_output "cancel pending retransmit ... set the persist timer"), so nothing is
    /// retransmitted into the closed window and R2 does not abort a peer that answers (MUST-37).</summary>
    private void ZeroWindowProbe()
    {
        var t = Tcb;
        if (t.SndWnd != 0) return;
        if (Profile.Mutant == Mutant.ProbeAdvancesIntoZeroWindow) // MUTANT probe-advances-into-zero-window
        {
            if (t.Unsent == 0) return;
            Emit(new Segment(t.SndNxt, t.RcvNxt, Control.ACK, AdvertisedWindow(), t.SendQueue.Peek(t.DataInFlight, 1), DataOptions()));
            SentNew(t.SndNxt + new SeqLen(1));
            t.SndNxt += new SeqLen(1);
            t.Timers.Set(TimerKind.Persist, _now + Math.Min(t.Rto * (1L << Math.Min(t.Retransmissions, 6)), Profile.RtoMax));
            t.AckNow = false;
            return;
        }
        if (Profile.ZeroWindowProbeForm == ZeroWindowProbeForm.OldSequence)
        {
            // POLICY zero-window-probe-form (Linux tcp_xmit_probe_skb): "Use a previous sequence. This should cause the
            // other end to send an ack." — no data, SEG.SEQ = SND.UNA − 1, answered with the peer's window
            if (t.DataInFlight == 0 && t.Unsent == 0) return;
            Emit(new Segment(t.SndUna - new SeqLen(1), t.RcvNxt, Control.ACK, AdvertisedWindow(), default, DataOptions()));
        }
        else if (t.DataInFlight > 0)
        {
            // the probe (or data sent before the window closed) is outstanding: its first octet again
            Emit(new Segment(t.SndUna, t.RcvNxt, Control.ACK, AdvertisedWindow(), t.SendQueue.Peek(0, 1), DataOptions()));
        }
        else if (t.Unsent > 0)
        {
            // the first unsent octet at SND.NXT, which stays where it is (FreeBSD tcp_output, persist mode: "update
            // snd_max but since we are in persist mode (no window) we do not update snd_nxt"): our ACKs meanwhile carry
            // SEQ = SND.NXT, the RCV.NXT of a peer whose window is zero, so they stay acceptable to it (Table 6); an
            // ACK that covers the octet counts it as sent (AcceptProbeAck)
            Emit(new Segment(t.SndNxt, t.RcvNxt, Control.ACK, AdvertisedWindow(), t.SendQueue.Peek(t.DataInFlight, 1), DataOptions()));
            t.ProbeOutstanding = true;
        }
        else
        {
            return;
        }
        // POLICY user-timeout-ends-closed-window: the user timeout runs from the first probe, and a zero-window answer
        // (not a new ACK) does not restart it (Linux tcp_probe_timer, icsk_probes_tstamp)
        if (Profile.UserTimeoutEndsClosedWindow && UserTimeout > 0 && t.Timers.Get(TimerKind.User) == TimerSet.Off)
            t.Timers.Set(TimerKind.User, _now + UserTimeout);
        t.Timers.Set(TimerKind.Retransmit, TimerSet.Off);
        t.LossProbeArmed = false;
        if (t.PersistBackoff < 30) t.PersistBackoff++;
        t.Timers.Set(TimerKind.Persist, _now + PersistInterval());
        t.AckNow = false;
    }

    /// <summary>The persist interval: the RTO doubled per probe sent (SHLD-30), at most the maximum RTO.</summary>
    private long PersistInterval() =>
        Math.Min(Tcb.PersistBackoff >= 30 ? long.MaxValue : Tcb.Rto << Tcb.PersistBackoff, Profile.RtoMax);

    private void ArmKeepAlive()
    {
        if (Profile.KeepAliveIdle > 0 && State is TcpState.Established or TcpState.CloseWait)
            Tcb.Timers.Set(TimerKind.KeepAlive, _now + Profile.KeepAliveIdle);
    }

    private void Emit(in Segment s)
    {
        _out.Emit(s);
        if (s.HasAck && Tcb.TimestampsOn) Tcb.LastAckSent = s.Ack; // RFC 7323 §4.3 Last.ACK.sent
        if (Profile.QuickAcks > 0 && s.HasAck && !s.Rst)
        {
            // Linux tcp_event_ack_sent → tcp_dec_quickack_mode: an ACK of received text uses one quick ACK
            if (Tcb.QuickAcks > 0 && (Tcb.AckNow || Tcb.UnackedSegments > 0 || Tcb.Timers.Get(TimerKind.DelayedAck) != TimerSet.Off)) Tcb.QuickAcks--;
            // tcp_event_data_sent: "if ((u32)(now - icsk->icsk_ack.lrcvtime) < icsk->icsk_ack.ato)
            // inet_csk_inc_pingpong_cnt(sk)" — text sent within the delayed-ACK time of text received
            if (!s.Payload.IsEmpty && Tcb.DataSeen && _now - Tcb.LastDataAt < Profile.DelayedAck) Tcb.PingPong = true;
        }
        if (s.HasAck && !s.Rst)
        {
            Tcb.AckNow = Tcb.AckPlain = false;
            Tcb.UnackedSegments = 0;
            Tcb.Timers.Set(TimerKind.DelayedAck, TimerSet.Off);
        }
    }
}
