namespace TcpModel.Machine;

/// <summary>Signals to the user, in the words of RFC 9293 §3.10 (see <see cref="Notices.Text"/>).</summary>
public enum Notice : byte
{
    /// <summary>The connection reached ESTABLISHED.</summary>
    Established,
    /// <summary>"connection closing": the peer's FIN arrived (§3.10.7.4 eighth).</summary>
    ConnectionClosing,
    /// <summary>"error: connection closing" (§3.10.2–3.10.4).</summary>
    ErrorConnectionClosing,
    /// <summary>"connection reset" (§3.10.7.3, §3.10.7.4 second).</summary>
    ConnectionReset,
    /// <summary>"connection refused" (§3.10.7.4 second, SYN-RECEIVED from active OPEN).</summary>
    ConnectionRefused,
    /// <summary>"error: connection does not exist".</summary>
    ConnectionDoesNotExist,
    /// <summary>"error: connection already exists".</summary>
    ConnectionAlreadyExists,
    /// <summary>"error: closing" to outstanding calls when the TCB is deleted by CLOSE (§3.10.4).</summary>
    Closing,
    /// <summary>"error: foreign socket unspecified" (§3.10.2, LISTEN).</summary>
    ForeignSocketUnspecified,
    /// <summary>"error: connection aborted due to user timeout" (§3.10.8).</summary>
    UserTimeout,
    /// <summary>Retransmission threshold R2 reached; the connection is closed (RFC 1122 §4.2.3.5).</summary>
    RetransmissionTimeout,
    /// <summary>Our FIN is acknowledged after CLOSE: "ok" (§3.10.7.4 fifth, FIN-WAIT-2).</summary>
    CloseAcknowledged,
    /// <summary>Retransmissions of one segment reached threshold R1: negative advice (RFC 1122 §4.2.3.5).</summary>
    ExcessiveRetransmissions,
}

/// <summary>RFC wording of notices.</summary>
public static class Notices
{
    /// <summary>The RFC's words for a notice.</summary>
    public static string Text(this Notice n) => n switch
    {
        Notice.Established => "connection established",
        Notice.ConnectionClosing => "connection closing",
        Notice.ErrorConnectionClosing => "error: connection closing",
        Notice.ConnectionReset => "connection reset",
        Notice.ConnectionRefused => "connection refused",
        Notice.ConnectionDoesNotExist => "error: connection does not exist",
        Notice.ConnectionAlreadyExists => "error: connection already exists",
        Notice.Closing => "error: closing",
        Notice.ForeignSocketUnspecified => "error: foreign socket unspecified",
        Notice.UserTimeout => "error: connection aborted due to user timeout",
        Notice.RetransmissionTimeout => "error: connection aborted due to retransmission timeout (R2)",
        Notice.CloseAcknowledged => "ok (our FIN is acknowledged)",
        Notice.ExcessiveRetransmissions => "excessive retransmissions (R1): negative advice to the IP layer",
        _ => n.ToString(),
    };
}
