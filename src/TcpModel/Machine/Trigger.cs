namespace TcpModel.Machine;

/// <summary>
/// The trigger alphabet of the transition table (spec/triggers.md): user calls (RFC 9293
/// §3.10.1–3.10.6), timeouts (§3.10.8, RFC 6298, RFC 1122 §4.2.3.5/§4.2.3.6), and segment
/// classes, each produced by the <see cref="Classifier"/> at one of the ordered checks of
/// SEGMENT ARRIVES (§3.10.7).
/// </summary>
public enum Trigger : byte
{
    // ---- user calls, §3.10.1–3.10.6
    /// <summary>OPEN, passive (§3.10.1).</summary>
    OpenPassive,
    /// <summary>OPEN, active (§3.10.1).</summary>
    OpenActive,
    /// <summary>SEND (§3.10.2).</summary>
    Send,
    /// <summary>RECEIVE (§3.10.3).</summary>
    Receive,
    /// <summary>CLOSE (§3.10.4).</summary>
    Close,
    /// <summary>ABORT (§3.10.5).</summary>
    Abort,
    /// <summary>STATUS (§3.10.6).</summary>
    Status,

    // ---- timeouts, §3.10.8
    /// <summary>Retransmission timeout (RFC 6298 §5.4).</summary>
    RetransmitTimeout,
    /// <summary>Retransmissions reached threshold R2 (RFC 1122 §4.2.3.5, MUST-20..23).</summary>
    RetransmitGiveUp,
    /// <summary>Zero-window probe timer (§3.8.6.1, MUST-36).</summary>
    PersistTimeout,
    /// <summary>Delayed-ACK timer (RFC 1122 §4.2.3.2, §3.8.6.3).</summary>
    DelayedAckTimeout,
    /// <summary>Keep-alive timer (§3.8.4, MUST-24..28).</summary>
    KeepAliveTimeout,
    /// <summary>User timeout (§3.10.8).</summary>
    UserTimeout,
    /// <summary>Time-wait timeout, 2×MSL (§3.10.8).</summary>
    TimeWaitTimeout,

    // ---- segment classes, §3.10.7 (the check that yields each is in brackets)
    /// <summary>[RST] An RST that cannot belong to this connection: in CLOSED or LISTEN, in
    /// SYN-SENT without an acceptable ACK, or failing the sequence check (§3.10.7.1–§3.10.7.4).</summary>
    RstInvalid,
    /// <summary>[RST] An RST inside the receive window but not exactly at RCV.NXT (RFC 5961 §3.2).</summary>
    RstInWindow,
    /// <summary>[RST] An RST exactly at RCV.NXT, or in SYN-SENT one whose ACK acknowledges our SYN.</summary>
    RstValid,
    /// <summary>[first, sequence number] A non-RST segment failing the acceptability test (Table 6).</summary>
    Unacceptable,
    /// <summary>[SYN-RECEIVED demux] After a passive OPEN, the peer's SYN again (no ACK, SEG.SEQ = IRS): a
    /// retransmission that fails the first check (POLICY syn-received-resend-synack decides the answer).</summary>
    SynRepeated,
    /// <summary>[TIME-WAIT demux] A SYN (no ACK) above RCV.NXT in TIME-WAIT: a new incarnation
    /// (RFC 1122 §4.2.2.13, MAY-2).</summary>
    SynNewIncarnation,
    /// <summary>[SYN] A SYN without ACK (LISTEN, SYN-SENT), or any SYN that passed the sequence
    /// check in a synchronized state (§3.10.7.4 fourth).</summary>
    Syn,
    /// <summary>[SYN] SYN,ACK with an acceptable ACK: in SYN-SENT, the handshake reply; in
    /// SYN-RECEIVED, the peer's SYN,ACK of a simultaneous open (Figure 7, Appendix A.2).</summary>
    SynAck,
    /// <summary>[ACK] A segment without ACK where one is required (§3.10.7.4 fifth); in CLOSED
    /// and LISTEN, any segment with none of SYN, ACK, RST.</summary>
    NoAck,
    /// <summary>[ACK] An ACK the state must answer with a reset: any ACK in CLOSED or LISTEN, one
    /// outside ISS..SND.NXT in SYN-SENT, one outside SND.UNA..SND.NXT in SYN-RECEIVED.</summary>
    AckUnacceptable,
    /// <summary>[ACK] SEG.ACK &lt; SND.UNA - MAX.SND.WND (RFC 5961 §5.2).</summary>
    AckTooOld,
    /// <summary>[ACK] SEG.ACK &gt; SND.NXT: acknowledges something not yet sent.</summary>
    AckAhead,
    /// <summary>[ACK] SEG.ACK =&lt; SND.UNA: a duplicate.</summary>
    AckDuplicate,
    /// <summary>[ACK] SND.UNA &lt; SEG.ACK =&lt; SND.NXT and our FIN (if any) is not acknowledged.</summary>
    AckNew,
    /// <summary>[ACK] An acceptable ACK that acknowledges our FIN.</summary>
    AckOfFin,
    /// <summary>[seventh, text] Segment text at RCV.NXT.</summary>
    Text,
    /// <summary>[eighth, FIN] A FIN at RCV.NXT (after any text).</summary>
    Fin,
}

/// <summary>Facts about the trigger alphabet.</summary>
public static class Triggers
{
    /// <summary>Number of triggers.</summary>
    public const int Count = (int)Trigger.Fin + 1;

    /// <summary>All triggers in declaration order.</summary>
    public static readonly Trigger[] All = Enum.GetValues<Trigger>();

    /// <summary>True for triggers produced by the segment classifier.</summary>
    public static bool IsSegment(this Trigger t) => t >= Trigger.RstInvalid;

    /// <summary>True for user calls.</summary>
    public static bool IsUserCall(this Trigger t) => t <= Trigger.Status;

    /// <summary>True for timeouts.</summary>
    public static bool IsTimeout(this Trigger t) => t is >= Trigger.RetransmitTimeout and <= Trigger.TimeWaitTimeout;
}
