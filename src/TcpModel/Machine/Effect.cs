namespace TcpModel.Machine;

/// <summary>
/// What a cell does besides changing state: small effect routines of <see cref="Endpoint"/>,
/// each implementing the RFC 9293 §3.10 text its cell cites.
/// </summary>
public enum Effect : byte
{
    /// <summary>Nothing.</summary>
    None,
    /// <summary>"error: connection does not exist".</summary>
    ErrorDoesNotExist,
    /// <summary>"error: connection already exists".</summary>
    ErrorAlreadyExists,
    /// <summary>"error: connection closing".</summary>
    ErrorClosing,
    /// <summary>"error: foreign socket unspecified".</summary>
    ErrorRemoteUnspecified,
    /// <summary>Create a TCB in LISTEN (passive OPEN).</summary>
    Listen,
    /// <summary>Select an ISS, send SYN (active OPEN, or SEND in LISTEN with a remote socket).</summary>
    SendSyn,
    /// <summary>Queue user data and send what the window allows.</summary>
    QueueSend,
    /// <summary>Deliver received data to the user (RECEIVE).</summary>
    Deliver,
    /// <summary>Delete the TCB; outstanding calls get "error: closing".</summary>
    DeleteTcb,
    /// <summary>CLOSE in SYN-SENT: delete the TCB; queued SENDs get "error: closing" (§3.10.4; POLICY syn-sent-queued-send-notice).</summary>
    DeleteTcbClosingSends,
    /// <summary>ABORT in SYN-SENT: delete the TCB; queued SENDs get "connection reset" (§3.10.5; POLICY syn-sent-queued-send-notice).</summary>
    DeleteTcbResettingSends,
    /// <summary>Resend our SYN,ACK (POLICY syn-received-resend-synack), timers unchanged.</summary>
    ResendSynAck,
    /// <summary>Queue a FIN after the data; the output routine sends it.</summary>
    QueueFin,
    /// <summary>ABORT in a synchronized state: send &lt;SEQ=SND.NXT&gt;&lt;CTL=RST&gt;, "connection reset" to outstanding calls.</summary>
    SendAbortReset,
    /// <summary>CLOSE with unread data under SHLD-3: send RST, close.</summary>
    ResetOnClose,
    /// <summary>Retransmit the earliest unacknowledged segment, back off the RTO (RFC 6298 §5.4–5.6).</summary>
    Retransmit,
    /// <summary>R2 reached: abort the connection (RFC 1122 §4.2.3.5).</summary>
    GiveUp,
    /// <summary>Send a zero-window probe (§3.8.6.1).</summary>
    Probe,
    /// <summary>Send the delayed ACK.</summary>
    SendDelayedAck,
    /// <summary>Send a keep-alive probe (§3.8.4).</summary>
    KeepAliveProbe,
    /// <summary>"error: connection aborted due to user timeout", delete the TCB (§3.10.8).</summary>
    UserTimeoutAbort,
    /// <summary>2MSL expired: delete the TCB (§3.10.8).</summary>
    TimeWaitExpire,
    /// <summary>Answer with a reset formed from the segment (§3.5.2 rules 1–2, §3.10.7.1–3).</summary>
    ReplyReset,
    /// <summary>LISTEN receives SYN: set IRS, RCV.NXT, select ISS, send SYN,ACK (§3.10.7.2).</summary>
    AcceptSyn,
    /// <summary>SYN-SENT receives SYN,ACK: ESTABLISHED, send ACK (§3.10.7.3).</summary>
    CompleteHandshake,
    /// <summary>SYN-SENT receives SYN: simultaneous open, send SYN,ACK (§3.10.7.3, Figure 7).</summary>
    SimultaneousOpen,
    /// <summary>RST accepted: "connection reset", delete the TCB.</summary>
    ConnectionReset,
    /// <summary>RST accepted in SYN-RECEIVED from an active OPEN: "connection refused".</summary>
    ConnectionRefused,
    /// <summary>RST accepted in CLOSING, LAST-ACK, TIME-WAIT: delete the TCB, no signal.</summary>
    CloseSilently,
    /// <summary>RST or SYN in SYN-RECEIVED from a passive OPEN: return to LISTEN (§3.10.7.4).</summary>
    ReturnToListen,
    /// <summary>Send &lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt; and drop the segment.</summary>
    AckAndDrop,
    /// <summary>Send a challenge ACK (RFC 5961 §3.2, §4.2, §5.2; throttled per §7) and drop.</summary>
    ChallengeAck,
    /// <summary>RFC 793 in-window SYN: send a reset, "connection reset", delete the TCB.</summary>
    SynReset,
    /// <summary>TIME-WAIT new incarnation: new ISS above the old SND.NXT, SYN-RECEIVED.</summary>
    Reopen,
    /// <summary>SYN-RECEIVED acceptable ACK: ESTABLISHED with SND.WND, SND.WL1, SND.WL2 set (§3.10.7.4 fifth).</summary>
    Establish,
    /// <summary>Acceptable ACK: advance SND.UNA, drop acknowledged data, update the window (§3.10.7.4 fifth).</summary>
    ProcessAck,
    /// <summary>Duplicate ACK: update the send window only.</summary>
    UpdateWindow,
    /// <summary>Accept segment text at RCV.NXT for in-order delivery and acknowledge it (§3.10.7.4 seventh).</summary>
    AcceptText,
    /// <summary>Accept the FIN: advance RCV.NXT, acknowledge, "connection closing" (§3.10.7.4 eighth).</summary>
    AcceptFin,
    /// <summary>TIME-WAIT FIN: acknowledge it and restart the 2MSL timer.</summary>
    RestartTimeWait,
    /// <summary>TIME-WAIT ACK check: "Acknowledge it, and restart the 2 MSL timeout" as POLICY
    /// time-wait-ack-rule reads it (§3.10.7.4 fifth).</summary>
    TimeWaitAck,
    /// <summary>RST in SYN-RECEIVED reopened from TIME-WAIT: "returns to TIME-WAIT state if the SYN turns out to be
    /// an old duplicate" (RFC 1122 §4.2.2.13 (2)) — the old incarnation's TCB again, 2 MSL afresh.</summary>
    RestoreTimeWait,
    /// <summary>SYN in a passive SYN-RECEIVED under a stack's POLICY syn-in-passive-syn-received: the reset formed from
    /// the segment, then back to LISTEN (FreeBSD tcp_dropwithreset after syncache_badack; Linux embryonic_reset).</summary>
    ResetToListen,
}

/// <summary>What happens to the rest of the segment after a segment cell.</summary>
public enum Outcome : byte
{
    /// <summary>Drop the segment and return (the RFC's "drop the segment and return").</summary>
    Drop,
    /// <summary>Continue with the next check.</summary>
    Continue,
}
