using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>Text on a SYN received in LISTEN: RFC 9293 §3.10.7.2 queues it "for processing later"; POLICY
/// passive-syn-text-discarded (Linux <c>tcp_conn_request</c>, no Fast Open) keeps none of it.</summary>
public sealed class PassiveSynText
{
    private static Conn EstablishedAfterASynWithText(bool discard)
    {
        var c = Listen(With(p => p with { DiscardPassiveSynText = discard }));
        var synAck = Assert.Single(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460><DATA=\"early\">"));
        Assert.Equal(Irs + 1, synAck.Ack); // the SYN,ACK acknowledges the SYN only, either way
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        return c;
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void TextOnTheSyn_IsDeliveredAtEstablished_WhenQueued()
    {
        var c = EstablishedAfterASynWithText(discard: false);
        Assert.Equal(Irs + 6, c.Tcb.RcvNxt);
        Assert.Equal(5, c.Tcb.ReceiveQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void TextOnTheSyn_IsNotKept_UnderPassiveSynTextDiscarded()
    {
        var c = EstablishedAfterASynWithText(discard: true);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt); // the peer retransmits it after the handshake
        Assert.Equal(0, c.Tcb.ReceiveQueue.Count);
    }

    [Fact]
    public void OnlyTheLinuxProfile_DiscardsIt() =>
        Assert.Equal(["linux"], Profile.BuiltIn.Values.Where(p => p.DiscardPassiveSynText).Select(p => p.Name).ToArray());
}
