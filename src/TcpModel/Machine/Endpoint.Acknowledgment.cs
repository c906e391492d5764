using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    /// <summary>§3.10.7.4 fifth: SND.UNA advances; acknowledged data leaves the retransmission queue;
    /// RTT sampling (RFC 6298 §3 with Karn's rule) and the retransmission timer (§5.2, §5.3).</summary>
    private void AdvanceUna(SeqNum ack)
    {
        var t = Tcb;
        if (!(ack > t.SndUna)) return;
        uint acked = (ack - t.SndUna).Value;
        bool synAcked = t.SynUnacked;
        if (synAcked) acked--;
        bool finNowAcked = t.FinSent && ack == t.FinSeq + new SeqLen(1);
        if (finNowAcked) acked--;
        t.SendQueue.Discard((int)Math.Min(acked, (uint)t.SendQueue.Count));
        t.SndUna = ack;
        if (t.RttTiming && ack >= t.RttSeq)
        {
            SampleRtt(_now - t.RttSentAt);
            t.RttTiming = false;
        }
        // RFC 6298 §5.7: "If the timer expires awaiting the ACK of a SYN segment and the TCP implementation is using
        // an RTO less than 3 seconds, the RTO MUST be re-initialized to 3 seconds when data transmission begins (i.e.,
        // after the three-way handshake completes)": when this ACK acknowledges our SYN, in whatever state (a CLOSE
        // in SYN-RECEIVED completes the handshake in FIN-WAIT-1), before the timer is re-armed below. "Using an RTO
        // less than 3 seconds" is the implementation's initial RTO (RFC 6298 §2.1's 1 s), so the backed-off RTO of the
        // SYN is re-initialized too, down to 3 s (Linux tcp_init_metrics: icsk_rto = TCP_TIMEOUT_FALLBACK without an
        // RTT sample from the handshake)
        if (synAcked && t.SynTimedOut && Profile.RtoInitial < 3_000_000) t.Rto = 3_000_000;
        // the handshake completes in FIN-WAIT-1 (a CLOSE in SYN-RECEIVED): what the SYN carried is taken after this
        // segment's ACK check (SegmentArrives), in the state that check leaves
        if (synAcked && State == TcpState.FinWait1) _heldFromSynDue = true;
        t.Retransmissions = 0;
        t.RetransmitEpoch = _now;
        t.LossProbeArmed = false;
        // POLICY tail-loss-probe: the episode ends once the probe's SND.NXT is acknowledged (tcp_process_tlp_ack)
        if (t.TlpOutstanding && t.SndUna >= t.TlpHighSeq) t.TlpOutstanding = false;
        if (t.SndUna == t.SndNxt)
        {
            t.Timers.Set(TimerKind.Retransmit, TimerSet.Off);
            t.Timers.Set(TimerKind.User, TimerSet.Off);
        }
        else if (t.SndWnd == 0 && ProbesOutstanding())
        {
            // §3.8.6.1: the send window is still zero (this ACK may not update it: SND.WL1 is past its SEG.SEQ), so what
            // is outstanding stays the persist timer's (BSD tcp_output: no retransmission timer while TT_PERSIST runs);
            // a window update in this segment ends it below
            ProbeInsteadOfRetransmitting();
            if (UserTimeout > 0) t.Timers.Set(TimerKind.User, _now + UserTimeout);
        }
        else
        {
            t.Timers.Set(TimerKind.Retransmit, _now + t.Rto);
            if (UserTimeout > 0) t.Timers.Set(TimerKind.User, _now + UserTimeout);
            ScheduleLossProbe(advancingRto: true); // tcp_set_xmit_timer: tcp_schedule_loss_probe(sk, true)
        }
    }

    /// <summary>RFC 6298 §2.2–2.5 (alpha 1/8, beta 1/4, K 4, clock granularity 1 µs).</summary>
    private void SampleRtt(long r)
    {
        var t = Tcb;
        if (t.Srtt < 0)
        {
            t.Srtt = r;
            t.RttVar = r / 2;
        }
        else
        {
            t.RttVar = (3 * t.RttVar + Math.Abs(t.Srtt - r)) / 4;
            t.Srtt = (7 * t.Srtt + r) / 8;
        }
        t.Rto = Profile.RtoMinOnVariance
            ? Math.Min(t.Srtt + Math.Max(4 * t.RttVar, Profile.RtoMin), Profile.RtoMax) // POLICY rto-min-on-variance (Linux tcp_set_rto)
            : Math.Clamp(t.Srtt + Math.Max(1, 4 * t.RttVar), Profile.RtoMin, Profile.RtoMax);
    }

    /// <summary>The user timeout in force: the connection's (<see cref="Tcb.UserTimeout"/>) or the profile's.</summary>
    private long UserTimeout => Tcb.UserTimeout ?? Profile.UserTimeout;

    /// <summary>Changes the connection's user timeout (RFC 9293 §3.9.1: "If specified, the current user timeout
    /// for this connection is changed to the new one"); 0 turns it off. A running user timer is restarted
    /// with the new value.</summary>
    public void SetUserTimeout(long microseconds, long now)
    {
        Tcb.UserTimeout = Math.Max(0, microseconds);
        if (Tcb.Timers.Get(TimerKind.User) != TimerSet.Off)
            Tcb.Timers.Set(TimerKind.User, microseconds > 0 ? now + microseconds : TimerSet.Off);
    }

    /// <summary>§3.10.7.4 fifth, window update: "If SND.WL1 &lt; SEG.SEQ or (SND.WL1 = SEG.SEQ and
    /// SND.WL2 =&lt; SEG.ACK), set SND.WND &lt;- SEG.WND, SND.WL1 &lt;- SEG.SEQ, and SND.WL2 &lt;- SEG.ACK."</summary>
    private void UpdateSendWindow(in Segment seg)
    {
        var t = Tcb;
        if (t.SndWl1 < seg.Seq || (t.SndWl1 == seg.Seq && t.SndWl2 <= seg.Ack)
            || Profile.Mutant == Mutant.WindowUpdateFromOldAck) // MUTANT window-update-from-old-ack
            SetSendWindow(seg, scaled: true);
    }

    private void SetSendWindow(in Segment seg, bool scaled)
    {
        var t = Tcb;
        t.SndWnd = scaled ? (uint)seg.Window << t.SndScale : seg.Window;
        t.SndWl1 = seg.Seq;
        t.SndWl2 = seg.Ack;
        t.MaxSndWnd = Math.Max(t.MaxSndWnd, t.SndWnd);
        if (Profile.Mutant == Mutant.ProbeAdvancesIntoZeroWindow) // MUTANT probe-advances-into-zero-window
        {
            if (t.SndWnd != 0) t.Timers.Set(TimerKind.Persist, TimerSet.Off);
            return;
        }
        if (t.SndWnd != 0)
        {
            // the window opened: probing ends; what is outstanding is the retransmission timer's again
            if (t.Timers.Get(TimerKind.Persist) != TimerSet.Off)
            {
                t.Timers.Set(TimerKind.Persist, TimerSet.Off);
                if (t.DataInFlight > 0 && t.Timers.Get(TimerKind.Retransmit) == TimerSet.Off)
                {
                    t.LossProbeArmed = false;
                    t.Timers.Set(TimerKind.Retransmit, _now + t.Rto);
                    t.RetransmitEpoch = _now;
                }
            }
            t.PersistBackoff = 0;
        }
        else if (ProbesOutstanding())
        {
            // §3.8.6.1: the window closed with data outstanding: no retransmission into it; probe instead
            // (BSD tcp_output: "If window shrank to 0, cancel pending retransmit ... and set the persist timer")
            ProbeInsteadOfRetransmitting();
        }
    }

    /// <summary>With the send window zero, what is outstanding is the persist timer's to probe (§3.8.6.1: nothing is
    /// retransmitted into a closed window) — unless POLICY closed-window-retransmit (Linux: "our retransmits become
    /// zero probes") keeps the retransmission timer; a SYN still unacknowledged keeps it too.</summary>
    private bool ProbesOutstanding() =>
        Tcb.DataInFlight > 0 && !Tcb.SynUnacked && State.MaySend() && !Profile.RetransmitIntoClosedWindow;

    /// <summary>The retransmission timer (and a loss probe) stops; the persist timer runs, keeping a deadline it has.</summary>
    private void ProbeInsteadOfRetransmitting()
    {
        var t = Tcb;
        t.Timers.Set(TimerKind.Retransmit, TimerSet.Off);
        t.LossProbeArmed = false;
        if (t.Timers.Get(TimerKind.Persist) == TimerSet.Off) t.Timers.Set(TimerKind.Persist, _now + PersistInterval());
    }
}
