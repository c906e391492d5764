using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 9293 §3.4 and §3.8.6.1: a receiver whose buffer is full offers a zero window and may keep
/// it closed for as long as its user does not read (MAY-8); even then it processes the RST (and URG) of
/// every arriving segment (MUST-66), and answers text it cannot take with an ACK of RCV.NXT.</summary>
public sealed class ZeroReceiveWindow
{
    private const int Buffer = 4;

    /// <summary>ESTABLISHED by an active open with a four-octet receive buffer, then "abcd" fills it.</summary>
    private static Conn Full()
    {
        var c = Closed(Profile.Rfc793, new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = Buffer });
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={Buffer}><OPT=MSS:1460>");
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={Buffer}>");
        c.Now += PeerDelay;
        var sent = c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"abcd\">");
        sent = sent.Count > 0 ? sent : c.FireNextTimer(); // a delayed ACK, where the profile delays
        AssertSent(sent, $"<SEQ={Iss + 1}><ACK={Irs + 5}><CTL=ACK><WND=0>");
        return c;
    }

    [Fact, Trait("RFC", "9293 §3.8.6.1"), Trait("RFC", "MAY-8")]
    public void AFullBufferKeepsTheWindowClosed_AndTextAtRcvNxtIsAnsweredWithAZeroWindowAck_AnHourLater()
    {
        var c = Full();
        c.Now += 3600 * Second;
        AssertSent(c.Arrive($"<SEQ={Irs + 5}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"e\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 5}><CTL=ACK><WND=0>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 5, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.4"), Trait("RFC", "MUST-66")]
    public void WithAZeroReceiveWindow_AnRstAtRcvNxtStillResetsTheConnection()
    {
        var c = Full();
        AssertSent(c.Arrive($"<SEQ={Irs + 5}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Contains(Notice.ConnectionReset, c.Notices);
    }

    [Fact, Trait("RFC", "9293 §3.4"), Trait("RFC", "9293 §3.10.7.4")]
    public void WithAZeroReceiveWindow_AFinAtRcvNxtIsNotAccepted_AndIsAnsweredWithAZeroWindowAck()
    {
        // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made to accept
        // valid ACKs, URGs, and RSTs": the FIN occupies a sequence number the window does not offer
        var c = Full();
        AssertSent(c.Arrive($"<SEQ={Irs + 5}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 5}><CTL=ACK><WND=0>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 5, c.Tcb.RcvNxt);
    }

    [Fact, Trait("RFC", "9293 §3.4")]
    public void WithAZeroReceiveWindow_TheAckOfASegmentAtRcvNxtIsStillProcessed()
    {
        var c = Full();
        AssertSent(c.Send("hi"), $"<SEQ={Iss + 1}><ACK={Irs + 5}><CTL=PSH,ACK><WND=0><DATA=\"hi\">");
        AssertSent(c.Arrive($"<SEQ={Irs + 5}><ACK={Iss + 3}><CTL=ACK><WND={PeerWnd}><DATA=\"e\">"),
            $"<SEQ={Iss + 3}><ACK={Irs + 5}><CTL=ACK><WND=0>");
        Assert.Equal(Iss + 3, c.Tcb.SndUna);
    }
}
