namespace TcpModel.Reference;

/// <summary>
/// The connection states, RFC 9293 §3.3.2: LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED,
/// FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT, and the fictional state
/// CLOSED (no TCB).
/// </summary>
public enum RefState
{
    /// <summary>No connection state at all (no TCB).</summary>
    Closed,
    /// <summary>Waiting for a connection request from any remote TCP peer.</summary>
    Listen,
    /// <summary>Waiting for a matching connection request after having sent one.</summary>
    SynSent,
    /// <summary>Waiting for a confirming acknowledgment after both receiving and sending a SYN.</summary>
    SynReceived,
    /// <summary>An open connection.</summary>
    Established,
    /// <summary>Waiting for the remote FIN, or an acknowledgment of our FIN.</summary>
    FinWait1,
    /// <summary>Waiting for the remote FIN.</summary>
    FinWait2,
    /// <summary>Waiting for a CLOSE from the local user.</summary>
    CloseWait,
    /// <summary>Waiting for an acknowledgment of our FIN after the remote FIN crossed it.</summary>
    Closing,
    /// <summary>Waiting for an acknowledgment of our FIN, the remote FIN already acknowledged.</summary>
    LastAck,
    /// <summary>Waiting 2 MSL for old duplicates to die.</summary>
    TimeWait,
}
