using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 9293 §3.7.1 (MUST-16), RFC 6691 §2: data segments are cut to the effective send MSS,
/// Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize - IPoptionsize, never to the peer's MSS option as is.</summary>
public sealed class EffectiveSendMss
{
    /// <summary>Active OPEN, the peer's SYN,ACK with <paramref name="synAckOptions"/> and a 65535-octet
    /// window, then SEND of <paramref name="octets"/>: the payload lengths of the data segments sent.</summary>
    internal static int[] SegmentSizesAfterSend(Profile profile, string synAckOptions, int octets, bool ipv6 = false)
    {
        var c = new Conn(new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(OurIss), IPv6 = ipv6 }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND=65535><OPT={synAckOptions}>");
        Assert.Equal(TcpState.Established, c.State);
        var sent = c.Send(Text(octets));
        return sent.Where(s => !s.Payload.IsEmpty).Select(s => s.Payload.Length).ToArray();
    }

    internal static void PeerMss9000_IsBoundedByOurInterface(Profile p) =>
        Assert.Equal([1460, 1460, 80], SegmentSizesAfterSend(p, "MSS:9000", 3000));

    [Fact, Trait("RFC", "9293 §3.7.1"), Trait("RFC", "6691 §2"), Trait("RFC", "MUST-16")]
    public void ThePeersMss9000_IsBoundedByMmsS_SoA3000OctetSendGoesOutAs1460_1460_80() =>
        PeerMss9000_IsBoundedByOurInterface(Profile.Rfc9293);

    [Fact, Trait("RFC", "9293 §3.7.1")]
    public void AnMssOptionOfZero_CountsAsNone_SoTheDefault536Applies()
    {
        // Linux tcp_parse_options keeps the option only "if (in_mss)"; FreeBSD tcp_mss_update: "Offer == 0 means
        // that there was no MSS on the SYN segment"; §3.7.1 MUST-15: no option, 536 octets (IPv4)
        Assert.Equal([536, 464], SegmentSizesAfterSend(Profile.Rfc9293, "MSS:0", 1000));
    }

    [Fact, Trait("RFC", "9293 §3.7.1"), Trait("RFC", "6691 §2"), Trait("RFC", "MUST-16")]
    public void WithTimestampsInUse_EachSegmentCarries1448OctetsBesideTheTwelveOptionOctets()
    {
        var p = With(x => x with { Timestamps = true });
        var c = new Conn(new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        c.User(Input.OpenActive);
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460,TS:7:100>");
        var data = c.Send(Text(3000)).Where(s => !s.Payload.IsEmpty).ToArray();
        Assert.Equal([1448, 1448, 104], data.Select(s => s.Payload.Length));
        Assert.All(data, s => Assert.NotNull(s.Options.Timestamp));
        Assert.Equal(Iss + 1, data[0].Seq);
        Assert.Equal(Iss + 1 + 1448, data[1].Seq);
    }

    [Fact, Trait("RFC", "9293 §3.7.1"), Trait("RFC", "MUST-16")]
    public void OverIPv6_ThePeersMss9000_GivesSegmentsOf1440() =>
        Assert.Equal([1440, 1440, 120], SegmentSizesAfterSend(Profile.Rfc9293, "MSS:9000", 3000, ipv6: true));

    [Fact, Trait("RFC", "9293 §3.7.1")]
    public void AnInterfaceMtuOf9000_LetsThePeersMss9000Through() =>
        Assert.Equal([8960, 40], SegmentSizesAfterSend(With(x => x with { Mtu = 9000 }), "MSS:9000", 9000));

    [Fact, Trait("RFC", "9293 §3.7.1")]
    public void APeerMssBelowOurs_IsUsedAsIs() =>
        Assert.Equal([536, 536], SegmentSizesAfterSend(Profile.Rfc9293, "MSS:536", 1072));

    [Fact, Trait("Mutant", "peer-mss-unbounded")]
    public void TheRegressionTestFails_WhenThePeersMssIsUsedUnbounded() =>
        MutantCheck.FailsUnder(Mutant.PeerMssUnbounded, Profile.Rfc9293, PeerMss9000_IsBoundedByOurInterface);
}
