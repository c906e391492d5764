using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 9293 §3.8.6.2.2 (MUST-39) with a receive buffer smaller than two MSS: the window is announced
/// again when it grows by min(RCV.BUFF / 2, Eff.snd.MSS) — here half the buffer, not a whole MSS.</summary>
public sealed class ReceiverSwsAvoidance
{
    private const int Buffer = 2000; // RCV.BUFF / 2 = 1000 < MSS 1460

    private static Conn Open()
    {
        var c = new Conn(new Endpoint(Profile.Rfc9293 with { ReceiveBuffer = Buffer }, new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={Buffer}><OPT=MSS:1460>");
        c.Now += PeerDelay;
        c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.Established, c.State);
        c.PeerNxt = Irs + 1;
        c.OurNxt = Iss + 1;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"{Text(Buffer)}\">"),
            $"<SEQ={c.OurNxt}><ACK={c.PeerNxt + Buffer}><CTL=ACK><WND=0>");
        c.PeerNxt += Buffer;
        return c;
    }

    /// <summary>A read of half the buffer from the zero window, announced at once.</summary>
    private static Conn HalfRead()
    {
        var c = Open();
        AssertSent(c.Receive(Buffer / 2), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={Buffer / 2}>");
        return c;
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void AReadThatGrowsTheWindowByHalfASmallBuffer_AnnouncesIt()
    {
        var c = HalfRead();
        AssertSent(c.Receive(Buffer / 2), $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={Buffer}>");
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2")]
    public void AReadThatGrowsTheWindowByLessThanHalfASmallBuffer_AnnouncesNothing()
    {
        var c = HalfRead();
        AssertSent(c.Receive(Buffer / 2 - 1));
        Assert.Equal(Encoding.ASCII.GetBytes(Text(Buffer / 2 - 1)), c.Delivered);
    }

    [Fact, Trait("RFC", "9293 §3.8.6.2.2"), Trait("RFC", "MUST-39")]
    public void ASynAckSentAgain_KeepsTheAnnouncedEdge_WhenTheUserReadsLessThanTheThreshold()
    {
        // simultaneous open, CLOSE in SYN-RECEIVED (FIN-WAIT-1, our SYN unacknowledged); text arrives with a FIN and an
        // old ACK, the user reads one octet; the SYN,ACK the retransmission timer sends again announces the edge the
        // ACK of that text announced, not the one-octet opening (found by P-08 against the reference)
        var c = SynReceivedFromSynSent(Profile.Rfc793);
        c.User(Input.Close);
        Assert.Equal(TcpState.FinWait1, c.State);
        var ack = c.Arrive($"<SEQ={Irs}><ACK={Iss - 1073741824}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"##\">");
        Assert.Equal(TcpState.Closing, c.State);
        ushort announced = Assert.Single(ack).Window;
        Assert.Equal(OurWnd - 1, announced);
        c.Receive(1);
        var again = c.FireNextTimer().Single(s => s.Syn);
        Assert.Equal(announced, again.Window);
    }
}
