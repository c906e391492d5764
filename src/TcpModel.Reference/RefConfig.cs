namespace TcpModel.Reference;

/// <summary>
/// The policies of the reference endpoint.
/// </summary>
/// <param name="Rfc5961">
/// True: RFC 5961 §3.2 and §4.2 as RFC 9293 §3.10.7.4 describes them — a RST in the window but not
/// exactly at RCV.NXT, and any SYN in a synchronized state, get a challenge ACK.
/// False: RFC 793 behaviour — an in-window RST resets, an in-window SYN sends a RST and closes.
/// </param>
/// <param name="Rfc1337">True: ignore RST in TIME-WAIT (RFC 1337 §3 fix F1). False: RFC 9293 text (close).</param>
/// <param name="ReceiveBuffer">
/// RCV.WND = ReceiveBuffer minus the octets received in order but not yet read (capped at 65535).
/// </param>
/// <param name="Mss">The MSS option value sent on SYN and SYN,ACK segments (RFC 9293 §3.7.1).</param>
public sealed record RefConfig(
    bool Rfc5961 = true,
    bool Rfc1337 = false,
    uint ReceiveBuffer = 65535,
    ushort Mss = 1460);
