using TcpModel.Wire;

namespace TcpModel.Reference;

/// <summary>SEGMENT ARRIVES, RFC 9293 §3.10.7, in the RFC's order of checks.</summary>
public sealed partial class ReferenceTcp
{
    /// <summary>Text (and FIN) not yet in order: octets from <c>Seq</c>, FIN after them if <c>Fin</c>;
    /// <c>WithSyn</c>: the text and controls that came with the peer's SYN, queued "for processing after the
    /// ESTABLISHED state has been reached" (§3.10.7.2, §3.10.7.3) — processed once our SYN is acknowledged.</summary>
    private sealed record HeldText(SeqNum Seq, byte[] Data, bool Fin, bool WithSyn);

    /// <summary>SEGMENT ARRIVES: processes one incoming segment and returns what is sent in reply.</summary>
    public IReadOnlyList<Segment> SegmentArrives(Segment seg)
    {
        // POLICY drop-synfin: any segment with both SYN and FIN is dropped silently (FreeBSD
        // net.inet.tcp.drop_synfin); off: processed like any other (RFC 9293 §3.10.7).
        if (_profile.DropSynFin && seg.Syn && seg.Fin) return Flush();
        switch (State)
        {
            case RefState.Closed: ArrivesInClosed(seg); break;
            case RefState.Listen: ArrivesInListen(seg); break;
            case RefState.SynSent: ArrivesInSynSent(seg); break;
            default: ArrivesInOtherStates(seg); break;
        }
        return Flush();
    }

    // ---------------------------------------------------------------- §3.10.7.1 CLOSED

    private void ArrivesInClosed(Segment seg)
    {
        // "all data in the incoming segment is discarded. An incoming segment containing a RST is discarded."
        if (seg.Rst) return;

        // "An incoming segment not containing a RST causes a RST to be sent in response."
        if (!seg.HasAck)
        {
            // "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
            Emit(new Segment(new SeqNum(0), seg.Seq + seg.Length, Control.RST | Control.ACK, 0));
        }
        else
        {
            // "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
            SendResetFromAck(seg, 0);
        }
    }

    // ---------------------------------------------------------------- §3.10.7.2 LISTEN

    private void ArrivesInListen(Segment seg)
    {
        // First, check for a RST: "An incoming RST should be ignored. Return."
        if (seg.Rst) return;

        // Second, check for an ACK: "Any acknowledgment is bad if it arrives on a connection still in
        // the LISTEN state. An acceptable reset segment should be formed for any arriving ACK-bearing
        // segment ... <SEQ=SEG.ACK><CTL=RST>. Return." (WND=0: no connection exists yet.)
        if (seg.HasAck)
        {
            SendResetFromAck(seg, 0);
            return;
        }

        // Third, check for a SYN (security is not modelled).
        if (seg.Syn)
        {
            // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control or text should
            // be queued for processing later. ISS should be selected and a SYN segment sent of the
            // form: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"
            AcceptSyn(seg, NextIss);
            _passive = true;
            return;
        }

        // Fourth, other data or control: "This should not be reached. Drop the segment and return."
    }

    /// <summary>
    /// A SYN received in LISTEN (or reopening TIME-WAIT): "Set RCV.NXT to SEG.SEQ+1, IRS is set to
    /// SEG.SEQ ... ISS should be selected and a SYN segment sent of the form:
    /// &lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;. SND.NXT is set to ISS+1 and SND.UNA to ISS.
    /// The connection state should be changed to SYN-RECEIVED" (§3.10.7.2).
    /// </summary>
    private void AcceptSyn(Segment seg, SeqNum iss)
    {
        _irs = seg.Seq;
        _rcvNxt = seg.Seq + new SeqLen(1);
        _iss = iss;
        _sndBufSeq = _iss + new SeqLen(1);
        _sndNxt = _iss + new SeqLen(1);
        _sndUna = _iss;
        State = RefState.SynReceived;
        // §3.7.1 SendMSS, RFC 7323 §2.2 window scale: the SYN,ACK answers the SYN's options.
        TakePeerSynOptions(seg);
        StartReceiveWindow();
        Emit(SynAckSegment());
        OnNewSequenceSpaceSent(_sndNxt);

        // INTERPRETATION: the RFC sets SND.WND only when the handshake ACK arrives; the SYN's
        // window (never scaled, RFC 7323 §2.2) is kept meanwhile (as SYN-SENT does on entering
        // SYN-RECEIVED) so that a FIN sent from SYN-RECEIVED and the first window update have
        // defined values.
        SetSendWindow(seg.Window, seg.Seq, _iss);

        // "Note that any other incoming control or data (combined with SYN) will be processed in
        // the SYN-RECEIVED state" — text is held until ESTABLISHED (§3.10.7.4 seventh step), or until our SYN
        // is acknowledged in FIN-WAIT-1 after a CLOSE in SYN-RECEIVED (see DeliverInOrder).
        HoldText(seg, withSyn: true);
    }

    // ---------------------------------------------------------------- §3.10.7.3 SYN-SENT

    private void ArrivesInSynSent(Segment seg)
    {
        // First, check the ACK bit.
        bool ackAcceptable = false;
        if (seg.HasAck)
        {
            // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set, if so
            // drop the segment and return) <SEQ=SEG.ACK><CTL=RST> and discard the segment. Return."
            if (seg.Ack <= _iss || seg.Ack > _sndNxt)
            {
                if (!seg.Rst) SendResetFromAck(seg, WindowField(syn: false));
                return;
            }
            // "If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is acceptable."
            ackAcceptable = seg.Ack.InRangeExclusiveInclusive(_sndUna, _sndNxt);
        }

        // Second, check the RST bit.
        if (seg.Rst)
        {
            // RFC 5961: "SHOULD first check that the sequence number exactly matches RCV.NXT".
            // INTERPRETATION: RCV.NXT is not yet defined in SYN-SENT (no SYN received), and RFC 5961
            // §3.2 leaves SYN-SENT to the ACK test, so that check is not applied here.

            // "If the ACK was acceptable, then signal to the user 'error: connection reset', drop the
            // segment, enter CLOSED state, delete TCB, and return. Otherwise (no ACK), drop the
            // segment and return."
            if (ackAcceptable)
            {
                Notify("connection reset");
                DeleteTcb();
            }
            return;
        }

        // Third, check the security: not modelled.

        // Fourth, check the SYN bit ("reached only if the ACK is ok, or there is no ACK").
        if (seg.Syn)
        {
            // "RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ. SND.UNA should be advanced to equal
            // SEG.ACK (if there is an ACK)".
            _irs = seg.Seq;
            _rcvNxt = seg.Seq + new SeqLen(1);
            // §3.7.1 SendMSS; RFC 7323 §2.2: the shifts apply only if both SYNs carried the option.
            TakePeerSynOptions(seg);
            StartReceiveWindow();
            if (seg.HasAck && seg.Ack > _sndUna) AdvanceUna(seg.Ack);

            if (_sndUna > _iss)
            {
                // "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED"
                State = RefState.Established;
                // INTERPRETATION: this branch of the RFC does not set the send window; the SYN,ACK's
                // window is used as in the SYN-RECEIVED branch and §3.10.7.4 (SND.WND <- SEG.WND,
                // SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK) — unscaled: it is a SYN (RFC 7323 §2.2).
                SetSendWindow(seg.Window, seg.Seq, seg.Ack);

                bool hasText = !seg.Payload.IsEmpty || seg.Fin;
                if (!hasText)
                {
                    // "form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it ...
                    // otherwise, return."
                    SendAck();
                }
                else
                {
                    // "Some TCP implementations suppress sending this segment when the received segment
                    // contains data that will anyways generate an acknowledgment in the later
                    // processing steps" — done here, so that one ACK covers SYN and text.
                    // "If there are other controls or text in the segment, then continue processing at
                    // the sixth step under Section 3.10.7.4" (URG is not modelled: seventh step).
                    ProcessTextAndFin(seg);
                }
                // "Data or controls that were queued for transmission MAY be included" — sent as a
                // separate data segment after the ACK.
                SendQueued();
            }
            else
            {
                // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>
                // <CTL=SYN,ACK> and send it. Set the variables: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
                // SND.WL2 <- SEG.ACK"
                State = RefState.SynReceived;
                _passive = false;
                Emit(SynAckSegment());
                // Karn (RFC 6298 §3): the SYN,ACK sends our SYN's sequence number a second time; the
                // retransmission timer started with the SYN runs on (§5.1). The profile may read it otherwise
                // (simultaneous-open-rtt): keep timing from the SYN, or time from this SYN,ACK.
                if (_profile.SimultaneousOpenRtt == TcpModel.Machine.SimultaneousOpenRtt.Karn) _timing = false;
                else if (_profile.SimultaneousOpenRtt == TcpModel.Machine.SimultaneousOpenRtt.FromSynAck && _timing) _timedAt = Now;
                SetSendWindow(seg.Window, seg.Seq, seg.Ack);
                // "If there are other controls or text in the segment, queue them for processing
                // after the ESTABLISHED state has been reached, return."
                HoldText(seg, withSyn: true);
            }
            return;
        }

        // Fifth, "if neither of the SYN or RST bits is set, then drop the segment and return."
    }

    // ---------------------------------------------------------------- §3.10.7.4 Other states

    private void ArrivesInOtherStates(Segment seg)
    {
        // POLICY time-wait-reopen (RFC 9293 §3.6 MAY-2; RFC 1122 §4.2.2.13): "it MAY accept a new SYN
        // from the remote TCP endpoint to reopen the connection directly from TIME-WAIT state, if it:
        // (1) assigns its initial sequence number for the new connection to be larger than the largest
        // sequence number it used on the previous connection incarnation, and (2) returns to TIME-WAIT
        // state if the SYN turns out to be an old duplicate." A SYN without ACK above RCV.NXT.
        if (State == RefState.TimeWait && _profile.ReopenFromTimeWait && seg.Syn && !seg.HasAck && !seg.Rst
            && seg.Seq > _rcvNxt)
        {
            Reopen(seg);
            return;
        }

        // POLICY time-wait-drop-without-ack: in TIME-WAIT a segment without ACK that does not reopen the
        // connection is dropped silently (BSD tcp_twcheck); off: the §3.10.7.4 checks below.
        if (State == RefState.TimeWait && _profile.TimeWaitDropsSegmentsWithoutAck && !seg.HasAck) return;

        // The window the segment announces, read before a SYN is trimmed: a SYN's window is never
        // scaled (RFC 7323 §2.2), also the simultaneous-open SYN,ACK handled below.
        uint segWindow = PeerWindow(seg);

        // The state the segment found: its seventh and eighth steps depend on whether the peer's FIN had
        // already been received when it arrived (CLOSING may become TIME-WAIT in the fifth step).
        var arrivedIn = State;

        // INTERPRETATION (RFC 9293 Appendix A.2, simultaneous open): in SYN-RECEIVED the peer's
        // SYN,ACK repeats the SYN already received (SEG.SEQ = IRS), so Table 6 would reject it and the
        // handshake of Figure 7 could not complete. Its SYN is treated as an old duplicate and
        // trimmed ("trimming off any portions that lie outside the window (including SYN and FIN)"),
        // leaving the ACK to be processed. Where the rule does not apply the segment meets the checks
        // below as written: for a SYN,ACK without text, the first check (SEG.SEQ = IRS < RCV.NXT, not
        // acceptable: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop).
        if (State == RefState.SynReceived && seg.Syn && seg.HasAck && !seg.Rst && seg.Seq == _irs
            && SynAckRuleApplies(seg))
            seg = WithoutSyn(seg);

        // POLICY simultaneous-close-fin-ack (RFC 9293 Appendix A.2: "There are cases where the TCP sequence
        // number validation rules can prevent ACK fields from being processed. This can result in connections
        // failing to terminate properly or not being able to start properly", simultaneous close among them).
        // In a simultaneous close (Figure 13) whose ACKs are lost, each side retransmits what it has outstanding
        // and its FIN, now carrying an ACK of what it has received from the other. Such a segment repeats the
        // peer's FIN: it lies wholly before RCV.NXT and ends exactly there (SEG.SEQ+SEG.LEN = RCV.NXT, FIN set),
        // so Table 6 rejects it and the first check's "send an acknowledgment ... drop the unacceptable segment
        // and return" never lets its ACK field be seen; we would stay in CLOSING retransmitting what it
        // acknowledges.
        // On: the ACK field is processed as §3.10.7.4 fifth step CLOSING says ("In addition to the processing
        // for the ESTABLISHED state, if the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise,
        // ignore the segment"), whatever it acknowledges. INTERPRETATION (session 10, the project's reading):
        // an ACK that covers our outstanding text but not our FIN advances SND.UNA ("If SND.UNA < SEG.ACK =<
        // SND.NXT, then set SND.UNA <- SEG.ACK"; the retransmission queue loses the text, RFC 6298 §5.3 restarts
        // the timer for the FIN) and CLOSING is kept; an ACK of our FIN enters TIME-WAIT, whose entry starts the
        // 2 MSL timer; a duplicate ACK (SEG.ACK = SND.UNA) only updates the send window as ESTABLISHED does.
        // INTERPRETATION (what is sent): exactly one <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, as before — the first
        // check asks for it for any unacceptable segment ("an acknowledgment should be sent in reply"), and once
        // in TIME-WAIT the fifth step says of "a retransmission of the remote FIN": "Acknowledge it, and restart
        // the 2 MSL timeout" (the restart coincides with the start). The peer repeated its FIN because our ACK
        // of it has not reached it. An ACK the fifth check would not process leaves the segment to the first
        // check as before, its one ACK unthrottled: SEG.ACK > SND.NXT ("send an ACK, drop the segment, and
        // return": the same segment, sent by AckAsInEstablished), or, under POLICY rfc5961-ack, below
        // SND.UNA - MAX.SND.WND (RFC 5961 §5.2: "discarded and an ACK sent back"; the first check's ACK is that
        // ACK). The rest of the segment (old text, the FIN already received) is not processed again. Queued
        // text and a queued FIN go out as the window the ACK announced allows (CLOSING is reached from
        // FIN-WAIT-1 before our FIN was sent when the window was shut), after the ACK, as the other steps do.
        // Off (the rfc793 profile): the first check literally — the same ACK, the segment dropped, CLOSING
        // kept; our text and FIN are retransmitted until an acceptable ACK arrives.
        if (State == RefState.Closing && _profile.SimultaneousCloseAckOfRepeatedFin && RepeatsPeerFin(seg)
            && !(_profile.AckRangeCheck && seg.Ack < _sndUna - new SeqLen(_maxSndWnd)))
        {
            // AckAsInEstablished answers (SEG.ACK > SND.NXT: the one ACK) and drops by itself the ACKs it
            // finds unacceptable.
            if (!AckAsInEstablished(seg, segWindow)) return;
            if (OurFinAcked) EnterTimeWait();
            SendAck();
            SendQueued();
            return;
        }

        // POLICY rfc1337: ignore RST segments in TIME-WAIT (RFC 1337 §3 fix F1); RFC 9293 text: close.
        if (State == RefState.TimeWait && seg.Rst && _profile.IgnoreRstInTimeWait) return;

        // First, check sequence number (Table 6).
        if (!IsAcceptable(seg))
        {
            // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be
            // made to accept valid ACKs, URGs, and RSTs." INTERPRETATION: a segment at exactly RCV.NXT
            // in a zero window goes on with its text and FIN trimmed (the seventh step then finds
            // nothing to accept and sends the acknowledgment); this also covers the simultaneous
            // window probes of Appendix A.2.
            bool zeroWindowAllowance = RcvWnd == 0 && seg.Seq == _rcvNxt;
            if (!zeroWindowAllowance)
            {
                // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
                // (unless the RST bit is set, if so drop the segment and return):
                // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. After sending the acknowledgment, drop the
                // unacceptable segment and return."
                // TIME-WAIT: "The only thing that can arrive in this state is a retransmission of the
                // remote FIN. Acknowledge it, and restart the 2 MSL timeout." INTERPRETATION: a
                // retransmitted FIN lies at RCV.NXT-1 and so fails Table 6; it is acknowledged by the
                // reply and still restarts the timeout.
                // A SYN,FIN ending there is an old duplicate SYN first: the first check's ACK (and the restart).
                bool finRepeated = State == RefState.TimeWait && seg.Fin && !seg.Rst && FinPosition(seg) + new SeqLen(1) == _rcvNxt;
                if (finRepeated && !seg.Syn)
                {
                    RetransmittedFinInTimeWait(seg);
                    return;
                }
                if (!seg.Rst) SendAck();
                if (finRepeated) RestartTimeWait();
                return;
            }
        }

        // Second, check the RST bit.
        if (seg.Rst)
        {
            // POLICY syn-received-rst-ack-check: in SYN-RECEIVED after an active OPEN, an RST with ACK
            // whose SEG.ACK is not in (SND.UNA, SND.NXT] is dropped (BSD tcp_do_segment checks the ACK
            // first); off: the ACK field of an RST is not examined (§3.10.7.4 second).
            if (State == RefState.SynReceived && !_passive && _reopened is null && _profile.SynReceivedRstAckCheck
                && seg.HasAck && !seg.Ack.InRangeExclusiveInclusive(_sndUna, _sndNxt))
                return;

            // §3.5.3: "A reset is valid if its sequence number is in the window." RFC 5961 check 1:
            // "If the RST bit is set and the sequence number is outside the current receive window,
            // silently drop the segment." (Table 6 also admits a RST whose data tail is in the window.)
            if (!SeqInWindow(seg.Seq)) return;

            // RFC 5961 check 3: "If the RST bit is set and the sequence number does not exactly match
            // the next expected sequence value, yet is within the current receive window, TCP endpoints
            // MUST send an acknowledgment (challenge ACK) ... MUST drop the unacceptable segment".
            // POLICY rfc5961-rst; the challenge ACK is throttled (RFC 5961 §7).
            if (_profile.ChallengeAckOnRst && seg.Seq != _rcvNxt)
            {
                SendChallengeAck();
                return;
            }

            // RFC 5961 check 2 (or RFC 793: any valid RST): "reset the connection in the manner
            // prescribed below according to the connection state."
            switch (State)
            {
                case RefState.SynReceived when _reopened is not null:
                    // RFC 1122 §4.2.2.13 condition (2): the SYN that reopened TIME-WAIT "turns out to be
                    // an old duplicate" — the peer resets our SYN,ACK: back to TIME-WAIT.
                    RestoreTimeWait();
                    return;
                case RefState.SynReceived:
                    if (_passive)
                    {
                        // "If this connection was initiated with a passive OPEN (i.e., came from the
                        // LISTEN state), then return this connection to LISTEN state and return. The user
                        // need not be informed."
                        ReturnToListen();
                    }
                    else
                    {
                        // "If this connection was initiated with an active OPEN ... signal the user
                        // 'connection refused'. ... enter the CLOSED state and delete the TCB, and return."
                        Notify("connection refused");
                        DeleteTcb();
                    }
                    return;
                case RefState.Established:
                case RefState.FinWait1:
                case RefState.FinWait2:
                case RefState.CloseWait:
                    // "Users should also receive an unsolicited general 'connection reset' signal.
                    // Enter the CLOSED state, delete the TCB, and return."
                    Notify("connection reset");
                    DeleteTcb();
                    return;
                default:
                    // CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state, delete the TCB, and return."
                    DeleteTcb();
                    return;
            }
        }

        // Third, check security: not modelled.

        // Fourth, check the SYN bit.
        if (seg.Syn)
        {
            bool synInWindow = SeqInWindow(seg.Seq);
            if (State == RefState.SynReceived && _passive)
            {
                // "If the connection was initiated with a passive OPEN, then return this connection to
                // the LISTEN state and return."
                // INTERPRETATION: only for a SYN inside the window; a SYN before RCV.NXT on a segment
                // accepted for its text is trimmed (first step) and processing goes on.
                if (synInWindow)
                {
                    ReturnToListen();
                    return;
                }
            }
            else if (_profile.ChallengeAckOnSyn)
            {
                // "if the SYN bit is set, irrespective of the sequence number, TCP endpoints MUST send a
                // 'challenge ACK' to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. After sending
                // the acknowledgment, TCP implementations MUST drop the unacceptable segment and stop
                // processing further." (SYN-RECEIVED after an active OPEN: "handle per the directions
                // for synchronized states".) POLICY rfc5961-syn; throttled (RFC 5961 §7).
                SendChallengeAck();
                return;
            }
            else if (synInWindow)
            {
                // RFC 793: "If the SYN is in the window it is an error: send a reset, ... the user should
                // also receive an unsolicited general 'connection reset' signal, enter the CLOSED state,
                // delete the TCB, and return." The RFC gives no form: POLICY syn-reset-form —
                // FromConnection <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> (acceptable to the peer), or
                // FromSegment, the §3.5.2 rule applied to the SYN.
                if (_profile.SynResetForm == TcpModel.Machine.SynResetForm.FromConnection)
                    Emit(new Segment(_sndNxt, _rcvNxt, Control.RST | Control.ACK, WindowField(syn: false)));
                else if (seg.HasAck)
                    SendResetFromAck(seg, 0);
                else
                    Emit(new Segment(new SeqNum(0), seg.Seq + seg.Length, Control.RST | Control.ACK, 0));
                Notify("connection reset");
                DeleteTcb();
                return;
            }
            // "If the SYN is not in the window, this step would not be reached" — the SYN lies before
            // RCV.NXT on a segment accepted for its text: trimmed, processing goes on.
            // RFC 793 fourth step (RFC 9293's, without RFC 5961): "If the SYN is not in the window this step
            // would not be reached and an ack would have been sent in the first step (sequence number check)."
            // INTERPRETATION (session 10, the project's reading; the FreeBSD state-event suite's STANDARD line
            // rcv-syn-fin-time-wait-using-shutdown-outside-left-insecure-drop: `< SF 1:1(0)` in TIME-WAIT, then
            // `> . 2:2(0) ack 2`): in TIME-WAIT a segment without the ACK bit whose SYN lies before RCV.NXT (a
            // SYN,FIN at RCV.NXT-1, its FIN at RCV.NXT, which Table 6 admits) is an old duplicate SYN. It gets
            // the acknowledgment the first check would have sent, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, and
            // nothing else happens: its FIN is not the peer's FIN again (that one lies at RCV.NXT-1), so the
            // 2 MSL timeout is not restarted, and the fifth check's "if the ACK bit is off, drop the segment"
            // is not reached to leave it unanswered. With the ACK bit the segment goes on trimmed as before
            // (its FIN the eighth step acknowledges). Under POLICY rfc5961-syn the SYN got the challenge ACK
            // above — the same segment, throttled.
            else if (State == RefState.TimeWait && !seg.HasAck)
            {
                SendAck();
                return;
            }
        }

        // Fifth, check the ACK field: "if the ACK bit is off, drop the segment and return".
        if (!seg.HasAck) return;

        if (State == RefState.SynReceived)
        {
            if (seg.Ack.InRangeExclusiveInclusive(_sndUna, _sndNxt))
            {
                // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
                // with the variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK"
                // (SND.UNA itself advances in the ESTABLISHED processing below; our SYN is acknowledged now.)
                State = RefState.Established;
                _ourSynAcked = true;
                _reopened = null;
                SetSendWindow(segWindow, seg.Seq, seg.Ack);
                // The controls queued in SYN-RECEIVED are processed now, in the order they happened: the
                // peer's FIN that came with its SYN (§3.10.7.3: "If there are other controls or text in the
                // segment, queue them for processing after the ESTABLISHED state has been reached"; likewise
                // §3.10.7.2) and the user's CLOSE issued with data pending (§3.10.4 SYN-RECEIVED: "queue for
                // processing after entering ESTABLISHED state").
                if (_closeRequested)
                {
                    if (_closeQueuedAfterPeerFin)
                    {
                        // The FIN came first: the eighth step in ESTABLISHED — "signal the user 'connection
                        // closing' ... advance RCV.NXT over the FIN, and send an acknowledgment for the FIN
                        // ... Enter the CLOSE-WAIT state" (with the text queued before it).
                        var rcvNxtBefore = _rcvNxt;
                        DeliverInOrder();
                        if (_rcvNxt != rcvNxtBefore) SendAck();
                        _closeQueuedAfterPeerFin = false;
                    }
                    // Then the CLOSE: ESTABLISHED "In any case, enter FIN-WAIT-1 state"; CLOSE-WAIT
                    // "Queue this request until all preceding SENDs have been segmentized; then send a FIN
                    // segment, enter LAST-ACK state" (the FIN follows the queued data, SendQueued below).
                    State = State == RefState.CloseWait ? RefState.LastAck : RefState.FinWait1;
                }
            }
            else
            {
                // "If the segment acknowledgment is not acceptable, form a reset segment
                // <SEQ=SEG.ACK><CTL=RST> and send it." (and drop the segment)
                SendResetFromAck(seg, WindowField(syn: false));
                return;
            }
        }

        switch (State)
        {
            case RefState.Established:
            case RefState.CloseWait:
                // CLOSE-WAIT: "Do the same processing as for the ESTABLISHED state."
                if (!AckAsInEstablished(seg, segWindow)) return;
                break;
            case RefState.FinWait1:
                if (!AckAsInEstablished(seg, segWindow)) return;
                // "In addition to the processing for the ESTABLISHED state, if the FIN segment is now
                // acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
                if (OurFinAcked) State = RefState.FinWait2;
                break;
            case RefState.FinWait2:
                // "In addition to the processing for the ESTABLISHED state, if the retransmission queue
                // is empty, the user's CLOSE can be acknowledged ('ok')" — not notified.
                if (!AckAsInEstablished(seg, segWindow)) return;
                break;
            case RefState.Closing:
                if (!AckAsInEstablished(seg, segWindow)) return;
                // "In addition to the processing for the ESTABLISHED state, if the ACK acknowledges our
                // FIN, then enter the TIME-WAIT state; otherwise, ignore the segment."
                // INTERPRETATION: "ignore" ends the processing of the ACK field, not the ESTABLISHED
                // processing already done: a window it opened lets queued data and our FIN go out
                // (CLOSING is reached from FIN-WAIT-1 before our FIN was sent when the window was shut).
                // Nor does it skip the seventh and eighth steps, whose CLOSING entries ("Ignore the segment
                // text", "Remain in the CLOSING state") could otherwise never be reached: a segment that
                // stays in CLOSING is one whose ACK does not acknowledge our FIN. They say what becomes of
                // its text and FIN (ProcessTextAndFin: text ignored, POLICY fin-after-fin for the FIN).
                if (OurFinAcked) EnterTimeWait();
                break;
            case RefState.LastAck:
                // "The only thing that can arrive in this state is an acknowledgment of our FIN. If our
                // FIN is now acknowledged, delete the TCB, enter the CLOSED state, and return."
                // INTERPRETATION: the ESTABLISHED processing is applied first, because LAST-ACK is
                // entered before queued data and the FIN have all been sent (see Close()).
                if (!AckAsInEstablished(seg, segWindow)) return;
                if (OurFinAcked)
                {
                    DeleteTcb();
                    return;
                }
                break;
            case RefState.TimeWait:
                // POLICY rfc5961-ack (MAY-12; RFC 5961 §5.2): the fifth check's opening paragraph, which precedes
                // its per-state list and so holds in TIME-WAIT as in every synchronized state: "TCP stacks that
                // implement RFC 5961 MUST add an input check that the ACK value is acceptable only if it is in the
                // range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments whose ACK value
                // doesn't satisfy the above condition MUST be discarded and an ACK sent back." "When the ACK value
                // is acceptable, the per-state processing below applies" — so an ACK outside the range never
                // reaches the TIME-WAIT text below. Both sides of the range: TIME-WAIT's text has no "SEG.ACK >
                // SND.NXT: send an ACK" of its own (the other states reach ESTABLISHED's, AckAsInEstablished),
                // so the one ACK sent back is RFC 5961's challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>,
                // throttled by RFC 5961 §7 (POLICY challenge-ack-limit) as the other challenge ACKs are.
                // The discard happens in the fifth check, before the seventh and eighth: text is not
                // acknowledged by the seventh, and a FIN neither restarts the 2 MSL timeout nor draws a second
                // ACK. Off: the TIME-WAIT text below governs whatever the ACK value.
                if (_profile.AckRangeCheck && !AckInRfc5961Range(seg))
                {
                    SendChallengeAck();
                    return;
                }
                // "The only thing that can arrive in this state is a retransmission of the remote FIN.
                // Acknowledge it, and restart the 2 MSL timeout." — the acknowledgment is sent by the
                // eighth step below (POLICY time-wait-ack-rule FinOnly: a FIN or text is acknowledged).
                // INTERPRETATION: a FIN beyond the window is trimmed ("trimming off any portions that lie outside the
                // window (including SYN and FIN)"): only a FIN the eighth step meets restarts the timeout.
                if (seg.Fin && FinAfterPeerFinInWindow(seg)) RestartTimeWait();
                // POLICY time-wait-ack-rule EveryAck: the fifth check's TIME-WAIT text read literally —
                // every segment reaching it is acknowledged and the 2 MSL timeout restarted.
                if (_profile.TimeWaitAckRule == TcpModel.Machine.TimeWaitAckRule.EveryAck)
                {
                    RestartTimeWait();
                    if (seg.Length.Value == 0) SendAck();
                }
                break;
        }

        // Sixth, check the URG bit: urgent data is not modelled.

        // Seventh, process the segment text; eighth, check the FIN bit.
        ProcessTextAndFin(seg, arrivedIn);

        // Queued SENDs (and a queued FIN) go out as the window opened by this segment allows.
        SendQueued();
    }

    /// <summary>A retransmission of the remote FIN in TIME-WAIT (it lies at RCV.NXT-1 and fails Table 6).</summary>
    private void RetransmittedFinInTimeWait(Segment seg)
    {
        // POLICY time-wait-fin-ack-checks. On: TIME-WAIT's text is the fifth check's TIME-WAIT entry, so the fifth
        // check's opening still applies to the retransmitted FIN: "if the ACK bit is off, drop the segment and
        // return" (no reply, no restart); an ACK outside RFC 5961's range under POLICY rfc5961-ack is discarded with
        // the (throttled) challenge ACK, as in TIME-WAIT's fifth check below; an ACK of something not yet sent
        // (SEG.ACK > SND.NXT): "send an ACK, drop the segment, and return" — the 2 MSL timeout is not restarted.
        // Off (FreeBSD tcp_twcheck): any duplicate FIN is acknowledged and restarts 2 MSL, whatever SEG.ACK (a FIN
        // without ACK is dropped earlier only under time-wait-drop-without-ack).
        if (_profile.TimeWaitFinChecksAck)
        {
            if (!seg.HasAck) return;
            if (_profile.AckRangeCheck && !AckInRfc5961Range(seg))
            {
                SendChallengeAck();
                return;
            }
            if (seg.Ack > _sndNxt)
            {
                SendAck();
                return;
            }
        }
        // "Acknowledge it, and restart the 2 MSL timeout."
        SendAck();
        RestartTimeWait();
    }

    /// <summary>
    /// The ESTABLISHED processing of the fifth step. Returns false when the segment is to be dropped.
    /// </summary>
    private bool AckAsInEstablished(Segment seg, uint segWindow)
    {
        // A zero-window probe's octet (sent without advancing SND.NXT, §3.8.6.1) is acknowledged: it
        // counts as sent from here on.
        if (_probeSent && Unsent > 0 && seg.Ack == _sndNxt + new SeqLen(1))
        {
            _sndNxt += new SeqLen(1);
            _probeSent = false;
        }

        // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
        // segment, and return."
        if (seg.Ack > _sndNxt)
        {
            SendAck();
            return false;
        }

        // POLICY rfc5961-ack (MAY-12; RFC 5961 §5.2): "The ACK value is considered acceptable only if it
        // is in the range of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT). All incoming segments whose
        // ACK value doesn't satisfy the above condition MUST be discarded and an ACK sent back." Below
        // the range: a challenge ACK, throttled by §7.
        if (_profile.AckRangeCheck && seg.Ack < _sndUna - new SeqLen(_maxSndWnd))
        {
            SendChallengeAck();
            return false;
        }

        // An acceptable ACK answers any zero-window probe sent so far (MUST-36: the window may stay
        // zero indefinitely while the receiver acknowledges the probes).
        _probeUnansweredSince = null;

        // "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 < SEG.SEQ
        // or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set
        // SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
        // (SEG.WND scaled by Snd.Wind.Shift, RFC 7323 §2.3.)
        if (AckWithinSent(seg.Ack)
            && (_sndWl1 < seg.Seq || (_sndWl1 == seg.Seq && _sndWl2 <= seg.Ack)))
            SetSendWindow(segWindow, seg.Seq, seg.Ack);

        // "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK." "If the ACK is a duplicate
        // (SEG.ACK =< SND.UNA), it can be ignored."
        if (AckWithinSent(seg.Ack) && seg.Ack != _sndUna) AdvanceUna(seg.Ack);
        return true;
    }

    /// <summary>SND.UNA =&lt; SEG.ACK =&lt; SND.NXT, measured as offsets from SND.UNA (RFC 9293 §3.4: sequence numbers
    /// compare modulo 2^32). INTERPRETATION: pairwise comparisons are ambiguous at a distance of exactly 2^31 (each
    /// number is then "less than" the other); with nothing outstanding (SND.UNA = SND.NXT) an ACK 2^31 away would pass
    /// both SND.UNA &lt; SEG.ACK and SEG.ACK =&lt; SND.NXT and pull SND.UNA 2^31 ahead of SND.NXT. As offsets it lies
    /// outside [SND.UNA, SND.NXT]: not an acknowledgment of anything sent, a duplicate, ignored.</summary>
    private bool AckWithinSent(SeqNum ack) => (ack - _sndUna).Value <= (_sndNxt - _sndUna).Value;

    /// <summary>RFC 5961 §5.2 (RFC 9293 §3.10.7.4 fifth, MAY-12): (SND.UNA - MAX.SND.WND) =&lt; SEG.ACK =&lt; SND.NXT.</summary>
    private bool AckInRfc5961Range(Segment seg) => _sndUna - new SeqLen(_maxSndWnd) <= seg.Ack && seg.Ack <= _sndNxt;

    /// <summary>The seventh (segment text) and eighth (FIN) steps of §3.10.7.4, for a segment that arrived in
    /// <paramref name="arrivedIn"/> (the state before its fifth step; <see cref="State"/> when omitted).</summary>
    private void ProcessTextAndFin(Segment seg, RefState? arrivedIn = null)
    {
        var rcvNxtBefore = _rcvNxt;
        switch (State)
        {
            case RefState.Established:
            case RefState.FinWait1:
            case RefState.FinWait2:
                // "Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT over the
                // data accepted". Text not at RCV.NXT: "Segments with higher beginning sequence numbers
                // SHOULD be held for later processing (SHLD-31)" — held, then everything now in
                // order (including text held earlier) is delivered.
                HoldText(seg);
                DeliverInOrder();
                break;
            case RefState.TimeWait when (arrivedIn ?? State) == RefState.TimeWait:
                // Seventh: "This should not occur since a FIN has been received from the remote side. Ignore
                // the segment text." Eighth: "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait
                // timeout" (restarted in the fifth step). POLICY time-wait-ack-rule FinOnly (and EveryAck for
                // text): a FIN or text — "the only thing that can arrive in this state is a retransmission of
                // the remote FIN. Acknowledge it" — is acknowledged without advancing RCV.NXT again or
                // signalling the user again.
                if (seg.Length.Value > 0) SendAck();
                return;
            default:
                // CLOSE-WAIT, CLOSING, LAST-ACK (and TIME-WAIT just entered from CLOSING by this segment's
                // ACK of our FIN): the peer's FIN had been received when the segment arrived.
                // Seventh: "This should not occur since a FIN has been received from the remote side. Ignore
                // the segment text." — ignored, and not acknowledged: nothing of it is accepted.
                // Eighth, for a FIN at or beyond RCV.NXT (a FIN after the FIN; a repeat of the FIN received
                // lies at RCV.NXT−1 and was answered by the first check) and inside the window ("trimming
                // off any portions that lie outside the window (including SYN and FIN)"): POLICY
                // fin-after-fin. On: the eighth step read literally — "send an acknowledgment for the FIN"
                // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, and "CLOSE-WAIT STATE: Remain in the CLOSE-WAIT
                // state" (CLOSING, LAST-ACK likewise); INTERPRETATION: RCV.NXT is not advanced again (the
                // sequence space after the peer's FIN holds nothing) and "connection closing" is not
                // signalled a second time. Off: the FIN is ignored like the text, nothing is sent (FreeBSD
                // tcp_do_segment clears TH_FIN once TCPS_HAVERCVDFIN; Linux tcp_rcv_state_process does not
                // reach tcp_data_queue in CLOSE_WAIT, CLOSING, LAST_ACK).
                if (seg.Fin && _profile.AcknowledgeFinAfterFin && FinAfterPeerFinInWindow(seg)) SendAck();
                return;
        }

        // "Send an acknowledgment of the form: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" / "advance RCV.NXT
        // over the FIN, and send an acknowledgment for the FIN." One immediate ACK for any segment that
        // occupies sequence space (no delayed ACK), or when held text became deliverable.
        if (seg.Length.Value > 0 || _rcvNxt != rcvNxtBefore) SendAck();
    }

    /// <summary>The segment's FIN lies at or beyond RCV.NXT and before RCV.NXT + RCV.WND (in a zero window: not
    /// at all, as <see cref="HoldText"/> trims it).</summary>
    private bool FinAfterPeerFinInWindow(Segment seg)
    {
        return FinPosition(seg).InWindow(_rcvNxt, new SeqLen(RcvWnd));
    }

    /// <summary>
    /// Keeps the segment's text and FIN, trimmed on the right to RCV.NXT+RCV.WND ("trimming off any
    /// portions that lie outside the window (including SYN and FIN)"), for in-order delivery.
    /// </summary>
    private void HoldText(Segment seg, bool withSyn = false)
    {
        var start = seg.Syn ? seg.Seq + new SeqLen(1) : seg.Seq;
        var data = seg.Payload.ToArray();
        bool fin = seg.Fin;
        var rightEdge = _rcvNxt + new SeqLen(RcvWnd);

        long room = rightEdge.DistanceFrom(start);
        if (room <= 0)
        {
            data = [];
            fin = false;
        }
        else if (data.Length >= room)
        {
            // The FIN would sit at or beyond the right edge: outside the window.
            data = data[..(int)room];
            fin = false;
        }

        if (data.Length > 0 || fin) _held.Add(new HeldText(start, data, fin, withSyn));
    }

    /// <summary>Delivers held text that is now in order, and processes a FIN that is now in order.</summary>
    private void DeliverInOrder()
    {
        bool progress = true;
        while (progress && State is RefState.Established or RefState.FinWait1 or RefState.FinWait2)
        {
            progress = false;
            foreach (var held in _held)
            {
                if (held.Seq > _rcvNxt) continue; // still beyond RCV.NXT
                // What came with the peer's SYN is queued "for processing after the ESTABLISHED state has been
                // reached" (§3.10.7.2, §3.10.7.3). A CLOSE in SYN-RECEIVED with nothing to send enters FIN-WAIT-1
                // without passing ESTABLISHED (§3.10.4). INTERPRETATION: the queued text and FIN are processed when
                // the connection becomes synchronized — when the ACK of our SYN arrives, in the state that
                // segment's fifth check leaves (FIN-WAIT-1, or FIN-WAIT-2 if it acknowledges our FIN too) — not at
                // an earlier segment that does not acknowledge our SYN (FreeBSD: tcp_usrclosed keeps TF_NEEDFIN in
                // SYN_RECEIVED; tcp_do_segment, on the ACK of the SYN, enters FIN_WAIT_1 and flushes tcp_reass).
                // Such a segment's own text and FIN meet FIN-WAIT-1's seventh and eighth steps as usual.
                if (held.WithSyn && !_ourSynAcked) continue;
                _held.Remove(held);
                progress = true;

                // "If a segment's contents straddle the boundary between old and new, only the new
                // parts are processed."
                long skip = _rcvNxt.DistanceFrom(held.Seq);
                if (skip < held.Data.Length)
                {
                    _received.AddRange(held.Data.AsSpan((int)skip).ToArray());
                    _rcvNxt += new SeqLen((uint)(held.Data.Length - skip));
                }
                var finSeq = held.Seq + new SeqLen((uint)held.Data.Length);
                if (held.Fin && finSeq == _rcvNxt) ProcessFin();
                break;
            }
        }
    }

    /// <summary>The eighth step for a FIN at RCV.NXT in ESTABLISHED, FIN-WAIT-1 or FIN-WAIT-2.</summary>
    private void ProcessFin()
    {
        // "If the FIN bit is set, signal the user 'connection closing' and return any pending RECEIVEs
        // with same message, advance RCV.NXT over the FIN" (the acknowledgment is sent by the caller).
        Notify("connection closing");
        _rcvNxt += new SeqLen(1);
        // POLICY receiver-sws-every-ack. INTERPRETATION: §3.8.6.2.2 divides RCV.BUFF into RCV.USER, RCV.WND
        // and the reduction; the FIN takes sequence space but no buffer, so RCV.WND and the reduction stay as
        // they were: the right edge moves with RCV.NXT over the FIN.
        _rcvRightEdge += new SeqLen(1);
        _held.Clear(); // nothing can follow the FIN

        switch (State)
        {
            case RefState.Established:
                // "Enter the CLOSE-WAIT state."
                State = RefState.CloseWait;
                break;
            case RefState.FinWait1:
                // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the
                // time-wait timer, turn off the other timers; otherwise, enter the CLOSING state."
                if (OurFinAcked) EnterTimeWait();
                else State = RefState.Closing;
                break;
            case RefState.FinWait2:
                // "Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers."
                EnterTimeWait();
                break;
        }
    }

    /// <summary>
    /// POLICY simultaneous-close-fin-ack: the segment repeats the peer's FIN — FIN and ACK set, no SYN or RST,
    /// SEG.SEQ+SEG.LEN = RCV.NXT (wholly before RCV.NXT, ending exactly there) — whatever its ACK acknowledges.
    /// </summary>
    private bool RepeatsPeerFin(Segment seg) =>
        seg.Fin && !seg.Syn && !seg.Rst && seg.HasAck
        && seg.Seq + seg.Length == _rcvNxt;

    /// <summary>Table 6, "Segment Acceptability Tests", RFC 9293 §3.10.7.4.</summary>
    private bool IsAcceptable(Segment seg)
    {
        uint length = seg.Length.Value;
        uint window = RcvWnd;
        if (length == 0)
        {
            // 0, 0: SEG.SEQ = RCV.NXT; 0, >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
            return window == 0 ? seg.Seq == _rcvNxt : seg.Seq.InWindow(_rcvNxt, new SeqLen(window));
        }
        // >0, 0: not acceptable
        if (window == 0) return false;
        // >0, >0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
        return seg.Seq.InWindow(_rcvNxt, new SeqLen(window))
            || seg.Last.InWindow(_rcvNxt, new SeqLen(window));
    }

    /// <summary>A sequence number in the receive window (exactly RCV.NXT when the window is zero).</summary>
    private bool SeqInWindow(SeqNum seq) =>
        RcvWnd == 0 ? seq == _rcvNxt : seq.InWindow(_rcvNxt, new SeqLen(RcvWnd));

    /// <summary>SYN-RECEIVED after a passive OPEN, on a RST or SYN: back to LISTEN, the TCB emptied.</summary>
    private void ReturnToListen()
    {
        CreateTcb();
        State = RefState.Listen;
    }

    /// <summary>
    /// Whether the Appendix A.2 / Figure 7 rule trims the SYN of a SYN,ACK at SEG.SEQ = IRS arriving in
    /// SYN-RECEIVED (the caller has checked the state, the flags and SEG.SEQ).
    /// </summary>
    private bool SynAckRuleApplies(Segment seg)
    {
        // POLICY synack-rule-after-syn-sent-only (RFC 9293 §3.5 Figure 7, §3.10.7.4 first, Appendix A.2): on,
        // the rule applies only to a SYN-RECEIVED reached from SYN-SENT (simultaneous open, Figure 7, line 7:
        // "<SEQ=100><ACK=301><CTL=SYN,ACK>" establishes B), where our SYN,ACK answered the peer's SYN and the
        // peer's own SYN,ACK repeats its SYN. After a passive OPEN (from LISTEN, §3.10.7.2), and after a
        // TIME-WAIT reopening (RFC 1122 §4.2.2.13, the SYN processed as in LISTEN), the peer never sent us a
        // SYN,ACK to repeat: the segment meets the first check. Off: the rule applies after either OPEN.
        bool fromSynSent = !_passive && _reopened is null;
        if (_profile.SynAckRuleOnlyAfterSynSent && !fromSynSent) return false;

        // POLICY repeated-synack-bad-ack (RFC 9293 §3.10.7.4 first, fifth, Appendix A.2): on, the SYN is trimmed
        // whatever the ACK field, so an ACK that is not acceptable (not SND.UNA < SEG.ACK =< SND.NXT) reaches the
        // fifth check: "If the segment acknowledgment is not acceptable, form a reset segment
        // <SEQ=SEG.ACK><CTL=RST> and send it" (FreeBSD tcp_do_segment, TCPS_SYN_RECEIVED: dropwithreset). Off,
        // the rule admits only a SYN,ACK whose ACK is acceptable; any other meets the first check, ACK and drop
        // (Linux tcp_validate_incoming: a SYN in SYN_RECV passes only with ack_seq == snd_nxt).
        return _profile.ResetRepeatedSynAckWithBadAck || seg.Ack.InRangeExclusiveInclusive(_sndUna, _sndNxt);
    }

    private static Segment WithoutSyn(Segment seg) =>
        new(seg.Seq + new SeqLen(1), seg.Ack, seg.Control & ~Control.SYN, seg.Window, seg.Payload, seg.Options);
}
