using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Host;

/// <summary>RFC 6528 §3 in the host: ISN = M + F(connection identifiers, secret key), on virtual time.</summary>
public sealed class InitialSequenceNumbers
{
    private static SeqNum IssOfSynAckTo(ushort remotePort, ulong key, long at = 0)
    {
        var host = new TcpHost(Profile.Rfc9293, new TcpHostOptions { IsnKey = key });
        host.AdvanceTo(at);
        int fd = host.OpenSocket(ipv6: false);
        Assert.Equal(Errno.None, host.Bind(fd, 8080));
        Assert.Equal(Errno.None, host.Listen(fd, 4));
        var id = new ConnectionId(new SocketAddress(host.LocalAddress(false), 8080), new SocketAddress("192.0.2.1", remotePort));
        host.Deliver(id, Segment.Parse("<SEQ=7><CTL=SYN><WND=1000>"));
        return host.Outbound.Dequeue().Segment.Seq;
    }

    [Fact, Trait("RFC", "6528 §3")]
    public void TheSameConnectionKeyAndTimeGiveTheSameIsn() =>
        Assert.Equal(IssOfSynAckTo(40000, key: 1), IssOfSynAckTo(40000, key: 1));

    [Fact, Trait("RFC", "6528 §3")]
    [Trait("RFC", "SHLD-1")]
    public void DifferentConnectionsGetUnrelatedIsns() =>
        Assert.NotEqual(IssOfSynAckTo(40000, key: 1), IssOfSynAckTo(40001, key: 1));

    [Fact, Trait("RFC", "6528 §3")]
    [Trait("RFC", "SHLD-1")]
    [Trait("RFC", "MUST-9")]
    public void TheSecretKeyChangesTheIsn() =>
        Assert.NotEqual(IssOfSynAckTo(40000, key: 1), IssOfSynAckTo(40000, key: 2));

    [Fact, Trait("RFC", "6528 §3")]
    [Trait("RFC", "MUST-8")]
    public void TheIsnAdvancesWithTheFourMicrosecondClock() =>
        Assert.Equal(250_000u, (IssOfSynAckTo(40000, key: 1, at: 1_000_000) - IssOfSynAckTo(40000, key: 1)).Value);
}
