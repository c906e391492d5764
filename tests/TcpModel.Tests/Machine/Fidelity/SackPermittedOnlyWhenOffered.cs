using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 2018 §2: our SYN,ACK carries SACK-permitted only when the peer's SYN offered it, as window
/// scale (FreeBSD syncache_add/syncache_respond, Linux tcp_synack_options).</summary>
public sealed class SackPermittedOnlyWhenOffered
{
    private static Conn Listening() =>
        Listen(With(p => p with { SackPermitted = true }));

    [Fact, Trait("RFC", "2018 §2")]
    public void ASynWithoutSackPermitted_IsAnsweredWithASynAckWithoutIt() =>
        AssertSent(Listening().Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");

    [Fact, Trait("RFC", "2018 §2")]
    public void ASynWithSackPermitted_IsAnsweredWithASynAckCarryingIt() =>
        AssertSent(Listening().Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,SACKOK>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460,SACKOK>");

    [Fact, Trait("RFC", "2018 §2")]
    public void TheSynAckRetransmittedAfterASynWithoutSackPermitted_StillLacksIt()
    {
        var c = Listening();
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>");
        AssertSent(c.FireNextTimer(), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "2018 §2")]
    public void OurOwnSyn_OffersSackPermitted()
    {
        var c = Closed(With(p => p with { SackPermitted = true }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,SACKOK>");
    }
}
