using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>The result of the acceptability test (RFC 9293 §3.10.7.4 first, Table 6).</summary>
public enum Acceptability : byte
{
    /// <summary>Not acceptable.</summary>
    Unacceptable,
    /// <summary>Acceptable.</summary>
    Acceptable,
    /// <summary>RCV.WND is zero and the segment starts at RCV.NXT: "special allowance should be made
    /// to accept valid ACKs, URGs, and RSTs" — its text and FIN are not accepted.</summary>
    ControlOnly,
}

/// <summary>
/// The pure classifier: (state, TCB, segment) → trigger, at each check of SEGMENT ARRIVES
/// (RFC 9293 §3.10.7). It reads, never writes, the TCB and does not depend on the profile.
/// </summary>
public static class Classifier
{
    /// <summary>CLOSED (§3.10.7.1): RST is discarded, anything else is answered with a reset.</summary>
    public static Trigger InClosed(in Segment seg) =>
        seg.Rst ? Trigger.RstInvalid : seg.HasAck ? Trigger.AckUnacceptable : seg.Syn ? Trigger.Syn : Trigger.NoAck;

    /// <summary>LISTEN (§3.10.7.2): RST first, then ACK, then SYN, else drop.</summary>
    public static Trigger InListen(in Segment seg) =>
        seg.Rst ? Trigger.RstInvalid : seg.HasAck ? Trigger.AckUnacceptable : seg.Syn ? Trigger.Syn : Trigger.NoAck;

    /// <summary>SYN-SENT (§3.10.7.3): ACK check, RST check, SYN check, else drop.</summary>
    public static Trigger InSynSent(Tcb tcb, in Segment seg)
    {
        bool ackAcceptable = false;
        if (seg.HasAck)
        {
            // first: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set ...)"
            if (seg.Ack <= tcb.Iss || seg.Ack > tcb.SndNxt)
                return seg.Rst ? Trigger.RstInvalid : Trigger.AckUnacceptable;
            // "If SND.UNA < SEG.ACK =< SND.NXT, then the ACK is acceptable."
            ackAcceptable = tcb.SndUna < seg.Ack && seg.Ack <= tcb.SndNxt;
        }
        // second: RST is acceptable only with an acceptable ACK (RFC 5961 §3.2: it acknowledges the SYN)
        if (seg.Rst) return ackAcceptable ? Trigger.RstValid : Trigger.RstInvalid;
        // fourth: SYN
        if (seg.Syn) return seg.HasAck ? (ackAcceptable ? Trigger.SynAck : Trigger.AckUnacceptable) : Trigger.Syn;
        // fifth: neither SYN nor RST
        return seg.HasAck ? Trigger.AckNew : Trigger.NoAck;
    }

    /// <summary>The first check: the four-case acceptability test (Table 6), with the zero-window
    /// allowance, for every segment but an RST; an RST is validated by its sequence number alone
    /// (<see cref="RstAcceptable"/>).</summary>
    public static Acceptability Acceptable(Tcb tcb, in Segment seg) =>
        seg.Rst ? RstAcceptable(tcb, seg) : AcceptableByLength(tcb, seg);

    /// <summary>RFC 9293 §3.5.3: "In all states except SYN-SENT, all reset (RST) segments are validated by
    /// checking their SEQ fields. A reset is valid if its sequence number is in the window" — RCV.NXT =&lt;
    /// SEG.SEQ &lt; RCV.NXT+RCV.WND, or SEG.SEQ = RCV.NXT when RCV.WND is zero (the allowance for RSTs);
    /// the text an RST may carry plays no part (RFC 5961 §3.2 step 1: otherwise drop it silently).</summary>
    public static Acceptability RstAcceptable(Tcb tcb, in Segment seg)
    {
        uint wnd = tcb.RcvWnd;
        bool valid = wnd == 0 ? seg.Seq == tcb.RcvNxt : seg.Seq.InWindow(tcb.RcvNxt, new SeqLen(wnd));
        return valid ? Acceptability.Acceptable : Acceptability.Unacceptable;
    }

    /// <summary>Table 6 applied with SEG.LEN (the test for every segment but an RST).</summary>
    public static Acceptability AcceptableByLength(Tcb tcb, in Segment seg)
    {
        uint len = seg.Length.Value;
        uint wnd = tcb.RcvWnd;
        var rcvNxt = tcb.RcvNxt;
        if (wnd == 0)
        {
            if (len == 0) return seg.Seq == rcvNxt ? Acceptability.Acceptable : Acceptability.Unacceptable;
            return seg.Seq == rcvNxt ? Acceptability.ControlOnly : Acceptability.Unacceptable;
        }
        var window = new SeqLen(wnd);
        if (seg.Seq.InWindow(rcvNxt, window)) return Acceptability.Acceptable;
        if (len > 0 && seg.Last.InWindow(rcvNxt, window)) return Acceptability.Acceptable;
        return Acceptability.Unacceptable;
    }

    /// <summary>Second check: an RST that passed the sequence check is valid exactly at RCV.NXT.</summary>
    public static Trigger Rst(Tcb tcb, in Segment seg) => seg.Seq == tcb.RcvNxt ? Trigger.RstValid : Trigger.RstInWindow;

    /// <summary>Fifth check: classify the ACK field in a synchronized state.</summary>
    public static Trigger Ack(TcpState state, Tcb tcb, in Segment seg)
    {
        if (!seg.HasAck) return Trigger.NoAck;
        if (state == TcpState.SynReceived)
            return tcb.SndUna < seg.Ack && seg.Ack <= tcb.SndNxt ? Trigger.AckNew : Trigger.AckUnacceptable;
        if (seg.Ack > tcb.SndNxt) return Trigger.AckAhead;
        if (seg.Ack <= tcb.SndUna)
        {
            // RFC 5961 §5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.NXT]
            return seg.Ack < tcb.SndUna - new SeqLen(tcb.MaxSndWnd) ? Trigger.AckTooOld : Trigger.AckDuplicate;
        }
        return tcb.FinSent && seg.Ack == tcb.FinSeq + new SeqLen(1) ? Trigger.AckOfFin : Trigger.AckNew;
    }

    /// <summary>TIME-WAIT: a SYN without ACK or RST above RCV.NXT may start a new incarnation
    /// (RFC 1122 §4.2.2.13).</summary>
    public static bool IsNewIncarnation(Tcb tcb, in Segment seg, bool byTimestamp = false) =>
        seg.Syn && !seg.HasAck && !seg.Rst && (seg.Seq > tcb.RcvNxt || (byTimestamp && NewerTimestamp(tcb, seg)));

    // RFC 6191 §2 (POLICY time-wait-reopen-by-timestamp): timestamps in use and SEG.TSval > TS.Recent (mod 2^32)
    private static bool NewerTimestamp(Tcb tcb, in Segment seg) =>
        tcb.TimestampsOn && seg.Options.Timestamp is { } ts && unchecked((int)(tcb.TsRecent - ts.Value)) < 0;

    /// <summary>TIME-WAIT: the peer's FIN again (it ends exactly at RCV.NXT). RFC 9293 §3.10.7.4 says
    /// this is "the only thing that can arrive" and must be acknowledged with the 2MSL timer restarted,
    /// though read literally the first check would reject it: the model lets it reach the FIN check.</summary>
    public static bool IsRetransmittedFin(Tcb tcb, in Segment seg) =>
        seg.Fin && !seg.Rst && !seg.Syn && seg.Seq + seg.Length == tcb.RcvNxt;

    /// <summary>TIME-WAIT: a SYN,FIN whose FIN is the peer's FIN again (it ends exactly at RCV.NXT) — the
    /// retransmission of a peer's opening SYN,FIN (POLICY time-wait-syn-fin-again).</summary>
    public static bool IsRetransmittedSynFin(Tcb tcb, in Segment seg) =>
        seg.Fin && seg.Syn && !seg.Rst && seg.Seq + seg.Length == tcb.RcvNxt;

    /// <summary>SYN-RECEIVED after a passive OPEN: the peer's SYN again — no ACK, SEG.SEQ = IRS (a
    /// retransmission of the SYN that created the connection). A SYN,FIN is not a retransmission of a SYN
    /// unless <paramref name="finToo"/> (POLICY repeated-syn-with-fin): as the RFC reads it, its SEG.LEN of 2
    /// passes the first check (the FIN at IRS+1 = RCV.NXT is new) and the SYN is trimmed as old.</summary>
    public static bool IsRepeatedSyn(Tcb tcb, in Segment seg, bool finToo = false) =>
        tcb.FromPassiveOpen && seg.Syn && !seg.HasAck && !seg.Rst && (finToo || !seg.Fin) && seg.Seq == tcb.Irs;

    /// <summary>SYN-RECEIVED: the peer's SYN,ACK of a simultaneous open (Figure 7, Appendix A.2): its SYN
    /// is the one already received (SEG.SEQ = IRS) and its ACK acknowledges ours.</summary>
    public static bool IsSimultaneousOpenSynAck(Tcb tcb, in Segment seg) =>
        IsSynAckAtIrs(tcb, seg) && AcksOurSyn(tcb, seg);

    /// <summary>SYN-RECEIVED: a SYN,ACK repeating the SYN already received (SEG.SEQ = IRS), whatever its ACK.</summary>
    public static bool IsSynAckAtIrs(Tcb tcb, in Segment seg) => seg.Syn && seg.HasAck && !seg.Rst && seg.Seq == tcb.Irs;

    /// <summary>SYN-RECEIVED's acceptable ACK: SND.UNA &lt; SEG.ACK =&lt; SND.NXT (§3.10.7.4 fifth).</summary>
    private static bool AcksOurSyn(Tcb tcb, in Segment seg) => tcb.SndUna < seg.Ack && seg.Ack <= tcb.SndNxt;

    /// <summary>The first trigger SEGMENT ARRIVES fires for this segment in this state, in the RFC's order with
    /// no policy checked ahead of it (the rfc793 profile with synack-rule-after-syn-sent-only,
    /// repeated-synack-bad-ack and time-wait-fin-ack-checks off; tests compare it with the endpoint's own first cell).</summary>
    public static Trigger First(TcpState state, Tcb tcb, in Segment seg)
    {
        switch (state)
        {
            case TcpState.Closed: return InClosed(seg);
            case TcpState.Listen: return InListen(seg);
            case TcpState.SynSent: return InSynSent(tcb, seg);
        }
        if (state == TcpState.TimeWait && IsNewIncarnation(tcb, seg)) return Trigger.SynNewIncarnation;
        if (state == TcpState.TimeWait && IsRetransmittedFin(tcb, seg)) return Trigger.Fin;
        if (state == TcpState.SynReceived && IsSimultaneousOpenSynAck(tcb, seg)) return Trigger.SynAck;
        if (state == TcpState.SynReceived && IsRepeatedSyn(tcb, seg)) return Trigger.SynRepeated;
        if (Acceptable(tcb, seg) == Acceptability.Unacceptable) return seg.Rst ? Trigger.RstInvalid : Trigger.Unacceptable;
        if (seg.Rst) return Rst(tcb, seg);
        if (seg.Syn && seg.Seq >= tcb.RcvNxt) return Trigger.Syn;
        // TIME-WAIT: a SYN before RCV.NXT is an old duplicate, nothing after RCV.NXT can be new: the first
        // check's ACK ("If the SYN is not in the window, this step would not be reached and an ACK would have
        // been sent in the first step", RFC 9293 §3.10.7.4 fourth)
        if (seg.Syn && state == TcpState.TimeWait) return Trigger.Unacceptable;
        return Ack(state, tcb, seg);
    }
}
