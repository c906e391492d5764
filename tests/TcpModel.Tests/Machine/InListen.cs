using System.Text;
using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>LISTEN, from <see cref="Fixtures.Listen"/>: RFC 9293 §3.10.7.2 and the user calls.</summary>
public sealed class InListen
{
    private static string PeerSyn => $"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>";

    // ---- SEGMENT ARRIVES, §3.10.7.2

    [Fact, Trait("RFC", "7323 §3.2"), Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSynWithATimestamp_EchoesItsTsvalInTheSynAck()
    {
        // RFC 7323 §3.2: TSecr echoes the TSval the remote TCP sent, here the SYN's (TS.Recent, §4.3); our TSval is
        // the 1 ms clock, 100 at time 0
        var c = Listen(With(p => p with { Timestamps = true }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,TS:4711:0>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460,TS:100:4711>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingRst_IsIgnored()
    {
        var c = Listen();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=RST>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingAck_AnswersRstAtSegAckAndStaysInListen()
    {
        var c = Listen();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 5}><CTL=ACK><WND={PeerWnd}>"), $"<SEQ={Iss + 5}><CTL=RST>");
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSynAck_AnswersRstAtSegAck()
    {
        var c = Listen();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK=17><CTL=SYN,ACK><WND={PeerWnd}>"), "<SEQ=17><CTL=RST>");
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSyn_SendsSynAckAndEntersSynReceived()
    {
        var c = Listen();
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        Assert.Equal(Irs, c.Tcb.Irs);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt);
        Assert.Equal(Iss, c.Tcb.SndUna);
        Assert.Equal(Iss + 1, c.Tcb.SndNxt);
        Assert.True(c.Tcb.FromPassiveOpen);
        Assert.Equal(PeerWnd, c.Tcb.SndWnd);
        Assert.Equal(c.Now + Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSynWithText_QueuesTheTextForProcessingAfterEstablished()
    {
        var c = Listen();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"early\">"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        AssertSent(c.Arrive($"<SEQ={Irs + 6}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}><DATA=\"!\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 7}><CTL=ACK><WND={OurWnd - 6}>");
        Assert.Equal(TcpState.Established, c.State);
        c.Receive();
        Assert.Equal("early!", Encoding.ASCII.GetString(c.Delivered));
    }

    [Theory, Trait("RFC", "9293 §3.10.7.2")]
    [InlineData("FIN")]
    [InlineData("PSH")]
    [InlineData("URG")]
    public void ReceivingSegmentWithoutSynAckOrRst_IsDropped(string ctl)
    {
        var c = Listen();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL={ctl}><WND={PeerWnd}><DATA=\"x\">"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSyn_AdvertisesTheConfiguredReceiveBuffer_WhenMssRoundingIsOff()
    {
        var c = Listen(options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 1000 });
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=1000><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSyn_RoundsTheReceiveBufferUpToAMultipleOfTheMss_WhenMssRoundingIsOn()
    {
        var c = Listen(With(p => p with { RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 2000 });
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=2920><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSyn_KeepsAReceiveBufferSmallerThanTheMss_WhenMssRoundingIsOn()
    {
        // FreeBSD tcp_mss rounds the receive buffer only "if (bufsize > mss)"
        var c = Listen(With(p => p with { RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 1000 });
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=1000><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void ReceivingSyn_KeepsAReceiveBufferThatIsAlreadyAMultipleOfTheMss_WhenMssRoundingIsOn()
    {
        // FreeBSD tcp_mss: roundup(bufsize, mss) leaves a multiple of the MSS as it is
        var c = Listen(With(p => p with { RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 2920 });
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=2920><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "9293 §3.7.1")]
    public void ReceivingSynWithAnMssBelowOurs_RoundsTheReceiveBufferToThePeersMss_WhenMssRoundingIsOn()
    {
        // the segment size in use is the smaller of the two MSS (FreeBSD tcp_mss: t_maxseg = min(offer, ours))
        var c = Listen(With(p => p with { RoundReceiveBufferToMss = true }),
            options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), ReceiveBuffer = 1500 });
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1000>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND=2000><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "7323 §2.2")]
    public void ReceivingSynWithWindowScale_EchoesOurShift_WhenThePolicyIsOn()
    {
        var c = Listen(With(p => p with { WindowScale = 7 }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460,WS:2>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460,WS:7>");
    }

    [Fact, Trait("RFC", "7323 §2.2")]
    public void ReceivingSynWithoutWindowScale_SendsNoWindowScale_EvenWhenThePolicyIsOn()
    {
        var c = Listen(With(p => p with { WindowScale = 7 }));
        AssertSent(c.Arrive(PeerSyn), $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
    }

    // ---- user calls

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void PassiveOpen_AnswersConnectionAlreadyExists()
    {
        var c = Listen();
        AssertSent(c.User(Input.OpenPassive()));
        AssertNotices(c, Notice.ConnectionAlreadyExists);
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void ActiveOpen_ChangesToActiveAndSendsSyn()
    {
        var c = Listen();
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynSent, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_WithTheRemoteSocketSpecified_SendsSynAndQueuesTheData()
    {
        var c = Listen(remoteSpecified: true);
        AssertSent(c.Send("hello"), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynSent, c.State);
        Assert.Equal(5, c.Tcb.SendQueue.Count);
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_WithTheRemoteSocketUnspecified_AnswersForeignSocketUnspecified()
    {
        var c = Listen();
        AssertSent(c.Send("hello"));
        AssertNotices(c, Notice.ForeignSocketUnspecified);
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_IsQueuedAndSendsNothing()
    {
        var c = Listen();
        AssertSent(c.Receive());
        AssertNotices(c);
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_DeletesTheTcbAndEntersClosed()
    {
        var c = Listen();
        AssertSent(c.User(Input.Close));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_DeletesTheTcbWithoutSending()
    {
        var c = Listen();
        AssertSent(c.User(Input.Abort));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_ChangesNothing()
    {
        var c = Listen();
        AssertSent(c.User(Input.Status));
        AssertNotices(c);
        Assert.Equal(TcpState.Listen, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void NoTimerIsArmed()
    {
        var c = Listen();
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
        AssertSent(c.TickAt(1000 * Second));
        Assert.Equal(TcpState.Listen, c.State);
    }
}
