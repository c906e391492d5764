using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>CLOSED (no TCB), from <see cref="Fixtures.Closed"/>: RFC 9293 §3.10.7.1 and the user calls.</summary>
public sealed class InClosed
{
    // ---- SEGMENT ARRIVES, §3.10.7.1

    [Fact, Trait("RFC", "9293 §3.10.7.1")]
    public void ReceivingRst_IsDiscarded()
    {
        var c = Closed();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss}><CTL=RST,ACK>"));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.1")]
    public void ReceivingSegmentWithAck_AnswersRstAtSegAck()
    {
        var c = Closed();
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 7}><CTL=ACK><WND={PeerWnd}><DATA=\"hi\">"), $"<SEQ={Iss + 7}><CTL=RST>");
        AssertFired(c, TcpState.Closed, Trigger.AckUnacceptable);
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.1")]
    public void ReceivingSynWithoutAck_AnswersRstAckAcknowledgingTheSyn()
    {
        var c = Closed();
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={Irs + 1}><CTL=RST,ACK>");
        AssertFired(c, TcpState.Closed, Trigger.Syn);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.1")]
    public void ReceivingTextAndFinWithoutAck_AnswersRstAckAtSegSeqPlusSegLen()
    {
        var c = Closed();
        // 300 octets and a FIN starting 4294967000 end at 4294967301 mod 2^32 = 5
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=FIN><WND={PeerWnd}><DATA=\"{Text(300)}\">"), "<SEQ=0><ACK=5><CTL=RST,ACK>");
        AssertFired(c, TcpState.Closed, Trigger.NoAck);
    }

    // ---- user calls

    [Fact, Trait("RFC", "9293 §3.10.1")]
    public void PassiveOpen_CreatesATcbAndEntersListenSendingNothing()
    {
        var c = Closed();
        AssertSent(c.User(Input.OpenPassive()));
        Assert.Equal(TcpState.Listen, c.State);
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.10.1")]
    [Trait("RFC", "MUST-14")]
    public void ActiveOpen_SendsSynAtIssAndEntersSynSent()
    {
        var c = Closed();
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynSent, c.State);
        Assert.Equal(Iss, c.Tcb.SndUna);
        Assert.Equal(Iss + 1, c.Tcb.SndNxt);
        Assert.Equal(Second, c.Deadline(TimerKind.Retransmit));
    }

    [Fact, Trait("RFC", "9293 §3.7.1")]
    [Trait("RFC", "MUST-67")]
    public void ActiveOpen_OverIPv6_AnnouncesMss1440()
    {
        var c = Closed(options: new EndpointOptions { Isn = new FixedIsnSource(OurIss), IPv6 = true });
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1440>");
    }

    [Fact, Trait("RFC", "7323 §2.2")]
    public void ActiveOpen_OffersWindowScale_WhenThePolicyIsOn()
    {
        var c = Closed(With(p => p with { WindowScale = 7 }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,WS:7>");
    }

    [Fact, Trait("RFC", "2018 §2")]
    public void ActiveOpen_OffersSackPermitted_WhenThePolicyIsOn()
    {
        var c = Closed(With(p => p with { SackPermitted = true }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,SACKOK>");
    }

    [Fact, Trait("RFC", "7323 §3")]
    public void ActiveOpen_OffersTimestamps_WhenThePolicyIsOn()
    {
        var c = Closed(With(p => p with { Timestamps = true }));
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460,TS:100:0>");
    }

    [Fact, Trait("RFC", "9293 §3.10.1")]
    [Trait("RFC", "SHLD-5")]
    [Trait("RFC", "MAY-3")]
    public void ActiveOpen_OffersOnlyMss_WhenWindowScaleSackAndTimestampsAreOff()
    {
        var c = Closed(Profile.Rfc9293 with { WindowScale = null, SackPermitted = false, Timestamps = false });
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
    }

    [Fact, Trait("RFC", "9293 §3.10.2")]
    public void Send_AnswersConnectionDoesNotExist()
    {
        var c = Closed();
        AssertSent(c.Send("hello"));
        AssertNotices(c, Notice.ConnectionDoesNotExist);
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.3")]
    public void Receive_AnswersConnectionDoesNotExist()
    {
        var c = Closed();
        AssertSent(c.Receive());
        AssertNotices(c, Notice.ConnectionDoesNotExist);
    }

    [Fact, Trait("RFC", "9293 §3.10.4")]
    public void Close_AnswersConnectionDoesNotExist()
    {
        var c = Closed();
        AssertSent(c.User(Input.Close));
        AssertNotices(c, Notice.ConnectionDoesNotExist);
    }

    [Fact, Trait("RFC", "9293 §3.10.5")]
    public void Abort_AnswersConnectionDoesNotExist()
    {
        var c = Closed();
        AssertSent(c.User(Input.Abort));
        AssertNotices(c, Notice.ConnectionDoesNotExist);
    }

    [Fact, Trait("RFC", "9293 §3.10.6")]
    public void Status_AnswersConnectionDoesNotExist()
    {
        var c = Closed();
        AssertSent(c.User(Input.Status));
        AssertNotices(c, Notice.ConnectionDoesNotExist);
    }

    [Fact, Trait("RFC", "9293 §3.10.8")]
    public void Tick_FiresNothing()
    {
        var c = Closed();
        Assert.Equal(TimerSet.Off, c.Endpoint.NextDeadline);
        AssertSent(c.TickAt(1000 * Second));
        Assert.Equal(TcpState.Closed, c.State);
    }
}
