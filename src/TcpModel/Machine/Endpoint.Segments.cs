using TcpModel.Wire;

namespace TcpModel.Machine;

public sealed partial class Endpoint
{
    private bool _finHeldNowInOrder;
    private bool _ackDeferred;
    private bool _finTrimmed;

    /// <summary>SEGMENT ARRIVES, RFC 9293 §3.10.7, in the RFC's order.</summary>
    private void SegmentArrives(in Segment seg)
    {
        // POLICY drop-synfin: a SYN with FIN is dropped before any state processing (FreeBSD tcp_input)
        if (Profile.DropSynFin && seg.Syn && seg.Fin) return;
        switch (State)
        {
            case TcpState.Closed: // §3.10.7.1
                Fire(Classifier.InClosed(seg), seg);
                return;
            case TcpState.Listen: // §3.10.7.2
                Fire(Classifier.InListen(seg), seg);
                return;
            case TcpState.SynSent: // §3.10.7.3
                if (Fire(Classifier.InSynSent(Tcb, seg), seg) == Outcome.Continue)
                    TextAndFin(seg); // "continue processing at the sixth step below where the URG bit is checked"
                return;
        }
        OtherStates(seg);
    }

    /// <summary>§3.10.7.4: the eight checks for SYN-RECEIVED through TIME-WAIT.</summary>
    private void OtherStates(in Segment seg)
    {
        Tcb.LastReceiveAt = _now;
        ArmKeepAlive();

        // Checks that precede the first: TIME-WAIT demultiplexing (RFC 1122 §4.2.2.13), the
        // retransmitted FIN in TIME-WAIT, and the SYN,ACK of a simultaneous open (Appendix A.2).
        if (State == TcpState.TimeWait)
        {
            if (Classifier.IsNewIncarnation(Tcb, seg) && Fire(Trigger.SynNewIncarnation, seg) == Outcome.Drop) return;
            // POLICY time-wait-drop-without-ack (BSD tcp_twcheck): "if ((thflags & TH_ACK) == 0) goto drop"
            if (State == TcpState.TimeWait && Profile.TimeWaitDropsSegmentsWithoutAck && !seg.HasAck && !seg.Rst) return;
            if (State == TcpState.TimeWait && Classifier.IsRetransmittedFin(Tcb, seg))
            {
                UpdateTimestamp(seg);
                Fire(Trigger.Fin, seg);
                return;
            }
        }
        if (State == TcpState.SynReceived && Classifier.IsSimultaneousOpenSynAck(Tcb, seg))
        {
            if (Fire(Trigger.SynAck, seg) == Outcome.Continue) TextAndFin(seg);
            return;
        }

        // first, check sequence number
        var acceptability = Classifier.Acceptable(Tcb, seg);
        // MUTANT acceptability-off-by-one: the right edge RCV.NXT+RCV.WND counts as inside the window
        if (acceptability == Acceptability.Unacceptable && Profile.Mutant == Mutant.AcceptabilityOffByOne &&
            Tcb.RcvWnd > 0 && seg.Seq == Tcb.RcvNxt + new SeqLen(Tcb.RcvWnd))
            acceptability = Acceptability.Acceptable;
        if (acceptability == Acceptability.Unacceptable && Profile.ProcessAckOfOldSegment && State != TcpState.TimeWait &&
            seg.HasAck && !seg.Rst && !seg.Syn && seg.Payload.IsEmpty && seg.Seq < Tcb.RcvNxt)
        {
            // POLICY old-ack-processed (BSD tcp_input): the old segment is trimmed to nothing; its ACK still counts.
            // A FIN here lies before RCV.NXT too, so it is a duplicate and is trimmed with the rest ("Any valid
            // FIN must be to the left of the window. At this point the FIN must be a duplicate", Stevens vol. 2
            // p. 960): two CLOSING ends repeating their FINs (fin-on-ack-while-fin-unacked) take each other's ACK.
            Fire(ClassifyAck(seg), seg);
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
        UpdateTimestamp(seg);

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

        // fourth, check the SYN bit ("if a segment's contents straddle the boundary between old and
        // new, only the new parts are processed": a SYN before RCV.NXT is old)
        if (seg.Syn && seg.Seq >= Tcb.RcvNxt)
        {
            Fire(Trigger.Syn, seg);
            return;
        }

        // fifth, check the ACK field
        if (Fire(ClassifyAck(seg), seg) == Outcome.Drop) return;

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
        _finTrimmed = false;

        var textStart = seg.Seq + new SeqLen(seg.Syn ? 1u : 0u);
        var finSeq = textStart + new SeqLen((uint)seg.Payload.Length);
        bool finBeyond = seg.Fin && finSeq > Tcb.RcvNxt;
        bool newText = !seg.Payload.IsEmpty && finSeq > Tcb.RcvNxt;

        // seventh, process the segment text (and text or FIN held for in-order delivery)
        if (newText || finBeyond)
        {
            if (Fire(Trigger.Text, seg) == Outcome.Drop) return;
        }

        // eighth, check the FIN bit
        if ((seg.Fin && !_finTrimmed && finSeq == Tcb.RcvNxt) || _finHeldNowInOrder)
        {
            Fire(Trigger.Fin, seg);
            return;
        }

        // "send an acknowledgment" for any acceptable segment that occupied sequence space. A SYN
        // that gets here is one already acknowledged (SYN-SENT's handshake ACK, or the peer's SYN
        // repeated on its SYN,ACK of a simultaneous open, which Figure 7 does not acknowledge)
        uint occupied = seg.Length.Value - (seg.Syn ? 1u : 0u);
        if (occupied > 0 && !_ackDeferred && State != TcpState.Closed) Tcb.AckNow = true;
    }

    /// <summary>The fifth check's classification of the ACK field.</summary>
    private Trigger ClassifyAck(in Segment seg)
    {
        var trigger = Classifier.Ack(State, Tcb, seg);
        // MUTANT ack-of-fin-not-recognised: the ACK of our FIN is taken for an ordinary new ACK
        return trigger == Trigger.AckOfFin && Profile.Mutant == Mutant.AckOfFinNotRecognised ? Trigger.AckNew : trigger;
    }

    private void UpdateTimestamp(in Segment seg)
    {
        if (Tcb.TimestampsOn && seg.Options.Timestamp is { } ts) Tcb.TsRecent = ts.Value;
    }
}
