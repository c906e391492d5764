namespace TcpModel.Machine;

/// <summary>
/// The eleven connection states, RFC 9293 §3.3.2. CLOSED is "fictional because it represents the
/// state when there is no TCB"; the model keeps an endpoint object in CLOSED to answer segments
/// per §3.10.7.1.
/// </summary>
public enum TcpState : byte
{
    /// <summary>No connection state at all.</summary>
    Closed,
    /// <summary>Waiting for a connection request from any remote TCP peer and port.</summary>
    Listen,
    /// <summary>Waiting for a matching connection request after having sent a connection request.</summary>
    SynSent,
    /// <summary>Waiting for a confirming connection request acknowledgment after having both received and sent a connection request.</summary>
    SynReceived,
    /// <summary>An open connection; data received can be delivered to the user.</summary>
    Established,
    /// <summary>Waiting for a connection termination request from the remote TCP peer, or an acknowledgment of the termination request previously sent.</summary>
    FinWait1,
    /// <summary>Waiting for a connection termination request from the remote TCP peer.</summary>
    FinWait2,
    /// <summary>Waiting for a connection termination request from the local user.</summary>
    CloseWait,
    /// <summary>Waiting for a connection termination request acknowledgment from the remote TCP peer.</summary>
    Closing,
    /// <summary>Waiting for an acknowledgment of the connection termination request previously sent to the remote TCP peer.</summary>
    LastAck,
    /// <summary>Waiting for enough time to pass to be sure the remote TCP peer received the acknowledgment of its termination request.</summary>
    TimeWait,
}

/// <summary>RFC spellings of <see cref="TcpState"/>.</summary>
public static class TcpStates
{
    /// <summary>Number of states.</summary>
    public const int Count = 11;

    /// <summary>All states in declaration order.</summary>
    public static readonly TcpState[] All = Enum.GetValues<TcpState>();

    private static readonly string[] RfcNames =
    [
        "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
        "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
    ];

    /// <summary>The RFC's name of the state, e.g. <c>SYN-RECEIVED</c>.</summary>
    public static string RfcName(this TcpState s) => RfcNames[(int)s];

    /// <summary>Parses an RFC name (<c>SYN-RECEIVED</c>), an enum name (<c>SynReceived</c>) or a
    /// packetdrill/BSD name (<c>SYN_RCVD</c>), case-insensitively.</summary>
    public static bool TryParse(string text, out TcpState state)
    {
        var norm = text.Trim().ToUpperInvariant().Replace("_", "-", StringComparison.Ordinal);
        norm = norm switch
        {
            "SYN-RCVD" => "SYN-RECEIVED",
            "ESTAB" => "ESTABLISHED",
            "FIN-WAIT1" or "FINWAIT-1" or "FINWAIT1" => "FIN-WAIT-1",
            "FIN-WAIT2" or "FINWAIT-2" or "FINWAIT2" => "FIN-WAIT-2",
            _ => norm,
        };
        for (int i = 0; i < RfcNames.Length; i++)
        {
            if (RfcNames[i] == norm || RfcNames[i].Replace("-", "", StringComparison.Ordinal) == norm.Replace("-", "", StringComparison.Ordinal))
            {
                state = (TcpState)i;
                return true;
            }
        }
        state = default;
        return false;
    }

    /// <summary>True for the synchronized states (RFC 9293 §3.5.2: ESTABLISHED and after, plus
    /// SYN-RECEIVED for the purposes of the "other states" checks of §3.10.7.4).</summary>
    public static bool IsSynchronized(this TcpState s) => s >= TcpState.SynReceived;

    /// <summary>True for the states that may still hold text to send, and so probe a zero window (RFC 9293 §3.8.6.1):
    /// ESTABLISHED, CLOSE-WAIT, and the states a CLOSE queues its FIN behind unsent text in (§3.10.4) — FIN-WAIT-1,
    /// CLOSING (the peer's FIN in FIN-WAIT-1) and LAST-ACK (CLOSE in CLOSE-WAIT).</summary>
    public static bool MaySend(this TcpState s) =>
        s is TcpState.Established or TcpState.FinWait1 or TcpState.CloseWait or TcpState.Closing or TcpState.LastAck;
}
