using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    private bool _finHeldNowInOrder;
    private bool _ackDeferred;
    private bool _finTrimmed;
    private TcpState _arrivalState; // the state the segment arrived in (the fifth check may move it on)
    private bool _heldFromSynDue;   // the fifth check acknowledged our SYN in FIN-WAIT-1: take what the SYN carried
    private bool _synFinTrimmed; // this segment's SYN text reached the window's edge, leaving its FIN outside

    /// <summary>SEGMENT ARRIVES, RFC 9293 §3.10.7, in the RFC's order.</summary>
    private void SegmentArrives(in Segment seg)
    {
        // POLICY drop-synfin: a SYN with FIN is dropped before any state processing (FreeBSD tcp_input for a
        // listening socket, tcp_do_segment for a connection). In TIME-WAIT only a SYN that would open a new
        // incarnation is (it is handed on to the listening socket, whose check drops it); the others get the
        // TIME-WAIT checks (tcp_input hands a TIME-WAIT connection's segments to tcp_twcheck, which has no
        // drop_synfin check)
        if (Profile.DropSynFin && seg.Syn && seg.Fin &&
            (State != TcpState.TimeWait || (Profile.ReopenFromTimeWait && Classifier.IsNewIncarnation(Tcb, seg, Profile.ReopenByTimestamp))))
            return;
        _synFinTrimmed = false;
        _heldFromSynDue = false;
        _arrivalState = State;
        switch (State)
        {
            case TcpState.Closed: // §3.10.7.1
                Fire(Classifier.InClosed(seg), seg);
                return;
            case TcpState.Listen: // §3.10.7.2
                Fire(Classifier.InListen(seg), seg);
                return;
            case TcpState.SynSent: // §3.10.7.3
                Tcb.LastReceiveAt = _now;
                if (Fire(Classifier.InSynSent(Tcb, seg), seg) == Outcome.Continue)
                    TextAndFin(seg); // "continue processing at the sixth step below where the URG bit is checked"
                return;
        }
        OtherStates(seg);
    }

    /// <summary>§3.10.7.4: the eight checks for SYN-RECEIVED through TIME-WAIT.</summary>
    private void OtherStates(in Segment seg)
    {
        // RFC 7323 §5.3 R1, PAWS: before the sequence check (Linux tcp_validate_incoming: before the segment counts
        // as received at all; FreeBSD tcp_do_segment: after t_rcvtime, the RST and the SYN checks, not in TIME-WAIT)
        if (Profile.TimestampRule != TimestampRule.FreeBsd && PawsRejects(seg)) return;
        Tcb.LastReceiveAt = _now;
        ArmKeepAlive();
        if (Profile.TimestampRule == TimestampRule.FreeBsd && State != TcpState.TimeWait && PawsRejects(seg)) return;
        AcceptProbeAck(seg);

        // Checks that precede the first: TIME-WAIT demultiplexing (RFC 1122 §4.2.2.13), the
        // retransmitted FIN in TIME-WAIT, and the SYN,ACK of a simultaneous open (Appendix A.2).
        if (State == TcpState.TimeWait)
        {
            // POLICY time-wait-reopen-by-timestamp: RFC 6191 lets a SYN with a newer TSval reopen at any sequence number
            if (Classifier.IsNewIncarnation(Tcb, seg, Profile.ReopenByTimestamp) && Fire(Trigger.SynNewIncarnation, seg) == Outcome.Drop) return;
            // POLICY time-wait-ack-rule linux: tcp_timewait_state_process answers everything else itself
            if (State == TcpState.TimeWait && Profile.TimeWaitAckRule == TimeWaitAckRule.Linux)
            {
                LinuxTimeWait(seg);
                return;
            }
            // POLICY time-wait-drop-without-ack (BSD tcp_twcheck): "if ((thflags & TH_ACK) == 0) goto drop"
            if (State == TcpState.TimeWait && Profile.TimeWaitDropsSegmentsWithoutAck && !seg.HasAck && !seg.Rst) return;
            // POLICY time-wait-drop-without-ack-or-syn: the same, but a SYN still gets the SYN rules
            if (State == TcpState.TimeWait && Profile.TimeWaitDropsNonSynWithoutAck && !seg.HasAck && !seg.Rst && !seg.Syn) return;
            // POLICY time-wait-syn-fin-again: a SYN,FIN ending at RCV.NXT is the peer's opening SYN,FIN retransmitted: its
            // FIN restarts 2 MSL; the segment then meets the checks below (wholly old: the first check's ACK)
            if (State == TcpState.TimeWait && Classifier.IsRetransmittedSynFin(Tcb, seg)
                && (seg.HasAck || !Profile.TimeWaitSynFinAgainNeedsAck))
                RestartTimeWaitTimer();
            if (State == TcpState.TimeWait && Classifier.IsRetransmittedFin(Tcb, seg))
            {
                // POLICY timestamp-rule: RFC 7323 §4.3 records the FIN's TSval (SEG.SEQ =< Last.ACK.sent); FreeBSD
                // tcp_twcheck never records one, Linux tcp_timewait_state_process not from a segment before RCV.NXT
                if (Profile.TimestampRule == TimestampRule.Rfc7323) RecordTimestamp(seg);
                if (Profile.TimeWaitFinChecksAck)
                {
                    // POLICY time-wait-fin-ack-checks: the fifth check still applies to the FIN — no ACK: drop;
                    // SEG.ACK > SND.NXT: ACK and drop (2 MSL not restarted); too old: RFC 5961 §5.2 challenge
                    var ack = Classifier.Ack(State, Tcb, seg);
                    if ((ack is Trigger.NoAck or Trigger.AckAhead or Trigger.AckTooOld) && Fire(ack, seg) == Outcome.Drop) return;
                }
                Fire(Trigger.Fin, seg);
                return;
            }
        }
        // Appendix A.2 / Figure 7: a SYN,ACK repeating the SYN of SYN-RECEIVED. POLICY synack-rule-after-syn-sent-only:
        // after a passive OPEN no SYN,ACK of the peer's can be a repeat of Figure 7's; it meets the first check
        // (SEG.SEQ = IRS < RCV.NXT: unacceptable, ACK and drop)
        if (State == TcpState.SynReceived && Classifier.IsSynAckAtIrs(Tcb, seg) && !(Tcb.FromPassiveOpen && Profile.SynAckRuleOnlyAfterSynSent))
        {
            if (Classifier.IsSimultaneousOpenSynAck(Tcb, seg))
            {
                if (Fire(Trigger.SynAck, seg) == Outcome.Continue) TextAndFin(seg);
                return;
            }
            // POLICY repeated-synack-bad-ack: the rule trims its SYN whatever the ACK, and the fifth check finds the ACK
            // unacceptable: <SEQ=SEG.ACK><CTL=RST> (off: the first check's ACK, below)
            if (Profile.ResetRepeatedSynAckWithBadAck)
            {
                Fire(Trigger.AckUnacceptable, seg);
                return;
            }
        }
        // POLICY repeated-syn-with-fin: whether a SYN,FIN at IRS counts as the SYN again
        if (State == TcpState.SynReceived && Classifier.IsRepeatedSyn(Tcb, seg, Profile.RepeatedSynMayCarryFin))
        {
            Fire(Trigger.SynRepeated, seg); // POLICY syn-received-resend-synack chooses the cell
            return;
        }
        // POLICY syn-in-passive-syn-received Syncache: FreeBSD's syncache answers any SYN of the pair without checking its
        // sequence number (syncache_add) — a SYN without ACK is the SYN again; one with ACK is "(SYN|ACK) bogus on a
        // listen socket" (tcp_input), reset whatever its sequence number: both before the first check
        if (State == TcpState.SynReceived && Profile.SynInPassiveSynReceived == SynInPassiveSynReceivedRule.Syncache
            && Tcb.FromPassiveOpen && !Tcb.ReopenedFromTimeWait && seg.Syn && !seg.Rst)
        {
            if (!seg.HasAck && (Profile.RepeatedSynMayCarryFin || !seg.Fin)) { Fire(Trigger.SynRepeated, seg); return; }
            if (seg.HasAck) { Fire(Trigger.Syn, seg); return; }
        }

        // first, check sequence number
        // an RST by SEG.SEQ alone (§3.5.3), anything else by Table 6 with SEG.LEN
        var acceptability = Profile.Mutant == Mutant.RstValidityBySegmentLength // MUTANT rst-validity-by-segment-length
            ? Classifier.AcceptableByLength(Tcb, seg)
            : Classifier.Acceptable(Tcb, seg);
        // MUTANT acceptability-off-by-one: the right edge RCV.NXT+RCV.WND counts as inside the window
        if (acceptability == Acceptability.Unacceptable && Profile.Mutant == Mutant.AcceptabilityOffByOne &&
            Tcb.RcvWnd > 0 && seg.Seq == Tcb.RcvNxt + new SeqLen(Tcb.RcvWnd))
            acceptability = Acceptability.Acceptable;

        // POLICY rfc5961-syn-any-sequence: "If the SYN bit is set, irrespective of the sequence number, TCP
        // endpoints MUST send a 'challenge ACK'" (§3.10.7.4 fourth; RFC 5961 §4.2): a SYN the first check
        // would reject or trim as old goes to the fourth check (FreeBSD tcp_do_segment checks it before trimming)
        if (seg.Syn && !seg.Rst && Profile.ChallengeAckOnSyn && Profile.ChallengeSynIrrespectiveOfSequence
            && (acceptability == Acceptability.Unacceptable || seg.Seq < Tcb.RcvNxt)
            && !(State == TcpState.SynReceived && Tcb.FromPassiveOpen && !Tcb.ReopenedFromTimeWait))
        {
            // (a connection reopened from TIME-WAIT was not "initiated with a passive OPEN": the fourth check's
            // synchronized-state directions apply to it, as Guard.PassiveOpen reads it for the table)
            Fire(Trigger.Syn, seg);
            return;
        }

        // POLICY simultaneous-close-fin-ack (RFC 9293 Appendix A.2): in CLOSING, the peer's FIN repeated with
        // the ACK of ours lies wholly before RCV.NXT; its ACK field is still processed
        bool repeatedFinInClosing = Profile.SimultaneousCloseAckOfRepeatedFin && State == TcpState.Closing
                                    && seg.Fin && seg.Seq + seg.Length == Tcb.RcvNxt;
        if (acceptability == Acceptability.Unacceptable
            && ((Profile.ProcessAckOfOldSegment && State != TcpState.TimeWait) || repeatedFinInClosing) &&
            seg.HasAck && !seg.Rst && !seg.Syn && seg.Seq < Tcb.RcvNxt)
        {
            // POLICY old-ack-processed (BSD tcp_input): the old segment is trimmed to nothing, text included ("Send an
            // ACK to resynchronize and drop any data. But keep on processing for RST or ACK."); its ACK still counts.
            // A FIN here lies before RCV.NXT too, so it is a duplicate and is trimmed with the rest ("Any valid
            // FIN must be to the left of the window. At this point the FIN must be a duplicate", Stevens vol. 2
            // p. 960): two CLOSING ends repeating their FINs (fin-on-ack-while-fin-unacked) take each other's ACK.
            Fire(ClassifyAck(seg), seg);
            TakeHeldFromSynIfDue();
            if (State != TcpState.Closed) Tcb.AckNow = true; // the first check's ACK is still owed
            return;
        }
        if (acceptability == Acceptability.Unacceptable)
        {
            Fire(seg.Rst ? Trigger.RstInvalid : Trigger.Unacceptable, seg);
            // POLICY fin-on-ack-while-fin-unacked: an unacceptable SYN is answered like a challenge ACK, plain
            if (seg.Syn) Tcb.AckPlain = true;
            return;
        }
        // RFC 7323 §5.3 R3 / §4.3 (POLICY timestamp-rule): the segment passed the sequence check. FreeBSD
        // tcp_do_segment records after trimming, before the ACK check, never from an RST or a SYN (both answered
        // earlier); Linux only in tcp_ack, once the ACK is found acceptable (the fifth check, below)
        if (Profile.TimestampRule == TimestampRule.Rfc7323 || (Profile.TimestampRule == TimestampRule.FreeBsd && !seg.Rst && !seg.Syn))
            RecordTimestamp(seg);

        // second, check the RST bit
        if (seg.Rst)
        {
            // POLICY syn-received-rst-ack-check (BSD tcp_do_segment): after an active OPEN, an RST whose ACK does
            // not acknowledge our SYN fails the SYN_RECEIVED ACK check made first, and an RST is never answered
            if (State == TcpState.SynReceived && Profile.SynReceivedRstAckCheck && !Tcb.FromPassiveOpen &&
                seg.HasAck && !(Tcb.SndUna < seg.Ack && seg.Ack <= Tcb.SndNxt))
                return;
            Fire(Profile.Mutant == Mutant.RstAcceptedAnywhereInWindow ? Trigger.RstValid : Classifier.Rst(Tcb, seg), seg); // MUTANT rst-accepted-anywhere-in-window
            return;
        }

        // third, check security: the model has no compartments (§3.10.7.4 third; Appendix A.1)

        // fourth, check the SYN bit
        if (seg.Syn && seg.Seq >= Tcb.RcvNxt)
        {
            Fire(Trigger.Syn, seg);
            return;
        }
        // A SYN before RCV.NXT (its end in the window: Table 6 admitted the segment) reaches here only when
        // POLICY rfc5961-syn-any-sequence is off: "only the new parts are processed" — its SYN is old, its new
        // text goes on to the seventh check. Not in TIME-WAIT: the peer's FIN is in, nothing after RCV.NXT can
        // be new, so the segment gets the answer to an old duplicate (a challenge ACK under RFC 5961, else the
        // first check's ACK: "If the SYN is not in the window, this step would not be reached and an ACK would
        // have been sent in the first step"; BSD tcp_twcheck acknowledges it without trimming).
        if (seg.Syn && State == TcpState.TimeWait)
        {
            Fire(Profile.ChallengeAckOnSyn ? Trigger.Syn : Trigger.Unacceptable, seg);
            Tcb.AckPlain = true; // POLICY fin-on-ack-while-fin-unacked: answered like a challenge ACK, plain
            return;
        }

        // fifth, check the ACK field. POLICY timestamp-rule Linux: tcp_ack records TS.Recent
        // (tcp_replace_ts_recent) after the old-ACK (SEG.ACK < SND.UNA) and unsent-data (SEG.ACK > SND.NXT) exits
        if (Profile.TimestampRule == TimestampRule.Linux && seg.HasAck && Tcb.SndUna <= seg.Ack && seg.Ack <= Tcb.SndNxt)
            RecordTimestamp(seg);
        var fifth = Fire(ClassifyAck(seg), seg);
        TakeHeldFromSynIfDue();
        if (fifth == Outcome.Drop) return;

        if (acceptability == Acceptability.ControlOnly && Profile.Mutant != Mutant.ZeroWindowAcceptsFin) // MUTANT zero-window-accepts-fin
        {
            Tcb.AckNow = true; // zero window: the text is not accepted, but tell the peer where we are
            return;
        }
        TextAndFin(seg);
    }

    /// <summary>Sixth to eighth checks: URG, text, FIN; then acknowledge what occupied sequence space.</summary>
    private void TextAndFin(in Segment seg)
    {
        // a segment without text, FIN, SYN or URG has nothing for the sixth to eighth checks
        if (seg.Payload.IsEmpty && (seg.Control & (Control.FIN | Control.SYN | Control.URG)) == 0) return;
        TextAndFinSlow(seg);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void TextAndFinSlow(in Segment seg)
    {
        // sixth, check the URG bit (RFC 6093: the urgent pointer points to the last octet + 1)
        if (seg.Control.Has(Control.URG) && State is TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2)
        {
            var up = seg.Seq + new SeqLen(seg.Urgent);
            if (up > Tcb.RcvUp) Tcb.RcvUp = up;
        }

        _finHeldNowInOrder = false;
        _ackDeferred = false;
        _finTrimmed = _synFinTrimmed;

        var textStart = seg.Seq + new SeqLen(seg.Syn ? 1u : 0u);
        var finSeq = textStart + new SeqLen((uint)seg.Payload.Length);
        bool finBeyond = seg.Fin && finSeq > Tcb.RcvNxt;
        bool newText = !seg.Payload.IsEmpty && finSeq > Tcb.RcvNxt;

        // seventh, process the segment text (and text or FIN held for in-order delivery)
        if (newText || finBeyond)
        {
            if (Fire(Trigger.Text, seg) == Outcome.Drop) return;
        }

        // eighth, check the FIN bit. Past the peer's FIN nothing is held for in-order delivery, so a FIN after it
        // (at or beyond RCV.NXT) meets the eighth check where it lies: CLOSE-WAIT, CLOSING and LAST-ACK answer it by
        // POLICY fin-after-fin; TIME-WAIT under an RFC reading of time-wait-ack-rule acknowledges it and restarts
        // the 2 MSL timeout ("TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout")
        // (a FIN beyond the window is trimmed: "trimming off any portions that lie outside the window (including
        // SYN and FIN)"; in a zero window none is accepted)
        bool finInWindow = seg.Fin && !_finTrimmed && finSeq >= Tcb.RcvNxt && finSeq < Tcb.RcvNxt + new SeqLen(Tcb.RcvWnd);
        if (State == TcpState.TimeWait && _arrivalState == TcpState.Closing)
        {
            // the segment is CLOSING's (its ACK took the connection on to TIME-WAIT): its FIN gets CLOSING's answer,
            // POLICY fin-after-fin, and its text no ACK
            if (finInWindow && Profile.AcknowledgeFinAfterFin) Fire(Trigger.Fin, seg);
            return;
        }
        bool finAfterFin = finInWindow && finSeq > Tcb.RcvNxt
            && (State is TcpState.CloseWait or TcpState.Closing or TcpState.LastAck
                || State == TcpState.TimeWait && Profile.TimeWaitAckRule is TimeWaitAckRule.FinOnly or TimeWaitAckRule.EveryAck);
        if ((seg.Fin && !_finTrimmed && finSeq == Tcb.RcvNxt) || finAfterFin || _finHeldNowInOrder)
        {
            Fire(Trigger.Fin, seg);
            return;
        }

        // "send an acknowledgment" for any acceptable segment that occupied sequence space. A SYN
        // that gets here is one already acknowledged (SYN-SENT's handshake ACK, or the peer's SYN
        // repeated on its SYN,ACK of a simultaneous open, which Figure 7 does not acknowledge). Not past the peer's
        // FIN: in CLOSE-WAIT, CLOSING and LAST-ACK the seventh check says only "ignore the segment text"
        // (Linux tcp_rcv_state_process breaks out without queueing or acknowledging; FreeBSD tcp_do_segment drops
        // the text of a TCPS_HAVERCVDFIN connection without TF_ACKNOW); what the first check owes is sent there.
        // TIME-WAIT: POLICY time-wait-ack-rule FinOnly acknowledges text here (the other rules answer at the fifth check)
        uint occupied = seg.Length.Value - (seg.Syn ? 1u : 0u);
        bool pastPeerFin = State is TcpState.CloseWait or TcpState.Closing or TcpState.LastAck
            || State == TcpState.TimeWait && Profile.TimeWaitAckRule != TimeWaitAckRule.FinOnly;
        if (occupied > 0 && !_ackDeferred && State != TcpState.Closed && !pastPeerFin) Tcb.AckNow = true;
    }

    // the fifth check acknowledged our SYN in FIN-WAIT-1: what the SYN carried is taken now, in the state the check
    // left (FIN-WAIT-1, or FIN-WAIT-2 when the ACK covered our FIN too)
    private void TakeHeldFromSynIfDue()
    {
        if (!_heldFromSynDue) return;
        _heldFromSynDue = false;
        if (State is TcpState.FinWait1 or TcpState.FinWait2) TakeHeldFromSyn();
    }

    /// <summary>The fifth check's classification of the ACK field.</summary>
    private Trigger ClassifyAck(in Segment seg)
    {
        var trigger = Classifier.Ack(State, Tcb, seg);
        // MUTANT ack-of-fin-not-recognised: the ACK of our FIN is taken for an ordinary new ACK
        return trigger == Trigger.AckOfFin && Profile.Mutant == Mutant.AckOfFinNotRecognised ? Trigger.AckNew : trigger;
    }

    /// <summary>RFC 7323 §5.3 R1, PAWS, under POLICY timestamp-rule: true when the segment's TSval is older than
    /// TS.Recent and the segment was answered (or dropped silently) here. An RST is exempt under every rule ("and RST
    /// bit is not set").</summary>
    private bool PawsRejects(in Segment seg)
    {
        var t = Tcb;
        if (!t.TimestampsOn || seg.Rst || seg.Options.Timestamp is not { } ts) return false;
        int behind = unchecked((int)(t.TsRecent - ts.Value)); // > 0: SEG.TSval < TS.Recent (RFC 7323 §5.2, mod 2^32)
        switch (Profile.TimestampRule)
        {
            case TimestampRule.Rfc7323:
                // "treat the arriving segment as not acceptable: Send an acknowledgment in reply as specified in
                // RFC 793 page 69 and drop the segment"
                if (behind <= 0) return false;
                Fire(Trigger.Unacceptable, seg);
                return true;
            case TimestampRule.FreeBsd:
                // tcp_do_segment: "ts_recent && TSTMP_LT(to.to_tsval, tp->ts_recent)": "if (tlen) goto dropafterack;
                // goto drop" — a SYN got its RFC 5961 challenge before PAWS
                if (seg.Syn || t.TsRecent == 0 || behind <= 0) return false;
                if (!seg.Payload.IsEmpty) Fire(Trigger.Unacceptable, seg);
                return true;
            default:
                // tcp_paws_discard: !tcp_paws_check(rx_opt, TCP_PAWS_WINDOW = 1) && !tcp_disordered_ack; a SYN goes to
                // syn_challenge, anything else gets tcp_send_dupack
                if (t.TsRecent == 0 || behind <= 1 || DisorderedAck(seg, behind)) return false;
                // POLICY time-wait-ack-rule linux: tcp_timewait_state_process reschedules 2 MSL on paws_reject
                if (State == TcpState.TimeWait && Profile.TimeWaitAckRule == TimeWaitAckRule.Linux) RestartTimeWaitTimer();
                Fire(seg.Syn ? Trigger.Syn : Trigger.Unacceptable, seg);
                return true;
        }
    }

    /// <summary>POLICY time-wait-ack-rule linux (<c>tcp_timewait_state_process</c>, after PAWS and the reopening SYN).</summary>
    private void LinuxTimeWait(in Segment seg)
    {
        var t = Tcb;
        // "In window segment, it may be only reset or bare ack": SEG.SEQ = RCV.NXT and no sequence space, or an RST
        if (seg.Seq == t.RcvNxt && (seg.Length == SeqLen.Zero || seg.Rst))
        {
            if (seg.Rst) { Fire(Trigger.RstValid, seg); return; } // "TIME_WAIT assassination" unless tcp_rfc1337
            RecordTimestamp(seg); // tw_ts_recent = rcv_tsval
            Fire(Trigger.AckDuplicate, seg); // inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN), no reply
            return;
        }
        if (seg.Rst) { Fire(Trigger.RstInvalid, seg); return; } // TCP_TW_SUCCESS: dropped
        // "if (paws_reject || th->ack) inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN)"; then TCP_TW_ACK, rate-limited
        // for segments without text or FIN and for SYNs (tcp_oow_rate_limited: "Data packets without SYNs are not
        // likely part of an ACK loop")
        if (seg.HasAck) RestartTimeWaitTimer();
        if ((seg.Syn || seg.Length == SeqLen.Zero) && OutOfWindowAckLimited()) return;
        Fire(Trigger.Unacceptable, seg); // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    }

    /// <summary>Linux <c>tcp_disordered_ack</c>: a pure duplicate ACK (no text, SYN or FIN, SEG.SEQ = RCV.NXT,
    /// SEG.ACK = SND.UNA) that updates no window (<c>tcp_may_update_window</c> false), with a TSval within about an
    /// RTO of TS.Recent (<c>icsk_rto * 1024 / HZ</c> ticks), passes PAWS: ACKs reordered behind data.</summary>
    private bool DisorderedAck(in Segment seg, int behind)
    {
        var t = Tcb;
        if (!seg.HasAck || seg.Syn || seg.Fin || !seg.Payload.IsEmpty || seg.Seq != t.RcvNxt || seg.Ack != t.SndUna) return false;
        uint nwin = (uint)seg.Window << t.SndScale;
        bool mayUpdateWindow = seg.Ack > t.SndUna || seg.Seq > t.SndWl1 || (seg.Seq == t.SndWl1 && (nwin > t.SndWnd || nwin == 0));
        return !mayUpdateWindow && behind <= t.Rto * 1024 / 1_000_000;
    }

    /// <summary>RFC 7323 §4.3 under POLICY timestamp-rule: record SEG.TSval in TS.Recent. Rfc7323 and Linux
    /// (<c>tcp_replace_ts_recent</c>: <c>!after(seq, rcv_wup)</c> and <c>tcp_paws_check(rx_opt, 0)</c>): "If SEG.TSval
    /// &gt;= TS.Recent and SEG.SEQ &lt;= Last.ACK.sent, then SEG.TSval is copied to TS.Recent; otherwise, it is ignored".
    /// FreeBSD (<c>tcp_do_segment</c>): the segment, trimmed of what precedes RCV.NXT, covers Last.ACK.sent
    /// (SEG.SEQ =&lt; Last.ACK.sent =&lt; SEG.SEQ + SEG.LEN), whatever its TSval (PAWS dropped the older ones).</summary>
    private void RecordTimestamp(in Segment seg)
    {
        var t = Tcb;
        if (!t.TimestampsOn || seg.Options.Timestamp is not { } ts) return;
        if (Profile.TimestampRule == TimestampRule.FreeBsd)
        {
            var start = seg.Seq < t.RcvNxt ? t.RcvNxt : seg.Seq;
            if (start <= t.LastAckSent && t.LastAckSent <= seg.Seq + seg.Length) t.TsRecent = ts.Value;
            return;
        }
        if (unchecked((int)(ts.Value - t.TsRecent)) >= 0 && seg.Seq <= t.LastAckSent) t.TsRecent = ts.Value;
    }

    /// <summary>§3.8.6.1: a zero-window probe's octet went out at SND.NXT without advancing it; an ACK that covers it
    /// (SEG.ACK = SND.NXT + 1) says the peer took it, so it counts as sent before the ACK is classified (FreeBSD
    /// tcp_do_segment: "if (SEQ_LT(tp->snd_nxt, tp->snd_una)) tp->snd_nxt = tp->snd_una" after an ACK up to snd_max).</summary>
    private void AcceptProbeAck(in Segment seg)
    {
        var t = Tcb;
        if (!t.ProbeOutstanding || !seg.HasAck || seg.Rst || t.Unsent == 0 || seg.Ack != t.SndNxt + new SeqLen(1)) return;
        t.SndNxt += new SeqLen(1);
        t.ProbeOutstanding = false;
    }
}
