using TcpModel.Machine;

namespace TcpModel.Reference;

/// <summary>
/// The policies of the reference endpoint in the reference's original, compact form. The endpoint
/// itself reads a <see cref="Profile"/> (the same object the model reads, spec/policies.md);
/// <see cref="ToProfile"/> says which profile a configuration stands for.
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
    ushort Mss = 1460)
{
    /// <summary>
    /// The profile this configuration stands for: <see cref="Profile.Rfc9293"/> (or
    /// <see cref="Profile.Rfc793"/> without RFC 5961) with the reference's original behaviour for
    /// everything the configuration does not name — no RFC 5961 §5 ACK-range check (MAY-12), no
    /// challenge-ACK throttle, no TIME-WAIT reopening (MAY-2), the in-window-SYN reset formed from
    /// the connection (<see cref="SynResetForm.FromConnection"/>), the free buffer announced on every segment
    /// (receiver-sws-every-ack off), no notice for SENDs queued in SYN-SENT (syn-sent-queued-send-notice off).
    /// The timers keep the profile's values; they fire only when the clock is advanced (<see cref="ReferenceTcp.AdvanceTo(long)"/>).
    /// </summary>
    public Profile ToProfile() => (Rfc5961 ? Profile.Rfc9293 : Profile.Rfc793) with
    {
        Name = Rfc5961 ? "rfc9293-reference" : "rfc793-reference",
        ChallengeAckOnRst = Rfc5961,
        ChallengeAckOnSyn = Rfc5961,
        AckRangeCheck = false,
        ChallengeAckLimitPerSecond = 0,
        ReopenFromTimeWait = false,
        SynResetForm = SynResetForm.FromConnection,
        ReceiverSwsOnEveryAck = false,
        NoticeQueuedSendsInSynSent = false,
        IgnoreRstInTimeWait = Rfc1337,
        ReceiveBuffer = (int)Math.Min(ReceiveBuffer, int.MaxValue),
        MssIPv4 = Mss,
    };

    /// <summary>The path that goes with <see cref="ToProfile"/>: IPv4 with an MTU that fits <see cref="Mss"/>
    /// (<c>Mss + 40</c>, at least 68 octets, RFC 791), so that the announced MSS is exactly <see cref="Mss"/>.</summary>
    public RefPath ToPath() => new(Mtu: Math.Max(68, Mss + 40));
}

/// <summary>
/// The IP path below the endpoint, for the MSS rules of RFC 9293 §3.7.1: MMS_S = MMS_R = the MTU less
/// the fixed IP header (20 octets for IPv4, 40 for IPv6).
/// </summary>
/// <param name="Mtu">The path MTU in octets (RFC 1122 §3.3.3: MMS_S is derived from it).</param>
/// <param name="IPv6">True for IPv6: a 40-octet IP header, the IPv6 default send MSS 1220 and the profile's
/// <see cref="Profile.MssIPv6"/>; false for IPv4: 20 octets, default 536 and <see cref="Profile.MssIPv4"/>.</param>
/// <param name="IpOptionsSize">IPoptionsize of §3.7.1: octets of IP options on every datagram.</param>
public sealed record RefPath(int Mtu = 1500, bool IPv6 = false, int IpOptionsSize = 0)
{
    /// <summary>The fixed IP header: 20 octets (IPv4) or 40 (IPv6).</summary>
    public int IpHeaderSize => IPv6 ? 40 : 20;

    /// <summary>MMS_S = MMS_R: the largest transport message the IP layer carries, MTU − fixed IP header
    /// (RFC 1122 §3.3.1; the IP options are subtracted separately, as IPoptionsize in RFC 9293 §3.7.1).</summary>
    public int MaxMessageSize => Math.Max(0, Mtu - IpHeaderSize);

    /// <summary>The default send MSS when the peer's SYN has no MSS option: 536 for IPv4, 1220 for IPv6
    /// (RFC 9293 §3.7.1, MUST-15).</summary>
    public int DefaultSendMss => IPv6 ? 1220 : 536;
}
