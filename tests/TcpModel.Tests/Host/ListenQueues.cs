using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Host;

/// <summary>POLICY listen-queue, syn-cookies, abort-on-listen-overflow: a listener's backlog, per profile
/// (Linux tcp_conn_request / tcp_check_req / cookie_v4_check; FreeBSD syncache_add / sonewconn; the RFC profiles'
/// single queue).</summary>
public sealed class ListenQueues
{
    private readonly TcpHost _host;
    private readonly int _listener;

    public ListenQueues() : this(Profile.Linux, 1) { }

    private ListenQueues(Profile p, int backlog)
    {
        _host = new TcpHost(p);
        _listener = _host.OpenSocket(ipv6: false);
        Assert.Equal(Errno.None, _host.Bind(_listener, 8080));
        Assert.Equal(Errno.None, _host.Listen(_listener, backlog));
    }

    private static ListenQueues With(Profile p, int backlog) => new(p, backlog);

    private ConnectionId Id(ushort port) => new(new SocketAddress(_host.LocalAddress(false), 8080), new SocketAddress("192.0.2.1", port));

    private Segment? Send(ushort port, string segment)
    {
        _host.Outbound.Clear();
        _host.Deliver(Id(port), Segment.Parse(segment));
        return _host.Outbound.Count > 0 ? _host.Outbound.Dequeue().Segment : null;
    }

    private Segment? Syn(ushort port, string options = "MSS:1460") => Send(port, $"<SEQ=100><CTL=SYN><WND=65535><OPT={options}>");

    private Segment? Ack(ushort port, SeqNum iss, string options = "") =>
        Send(port, $"<SEQ=101><ACK={iss.Value + 1}><CTL=ACK><WND=65535>" + (options.Length > 0 ? $"<OPT={options}>" : ""));

    private TcpState? StateOf(ushort port) => _host.Connections.FirstOrDefault(c => c.Id == Id(port))?.State;

    private void Handshake(ushort port) => Assert.Null(Ack(port, Syn(port)!.Value.Seq));

    [Fact]
    public void Linux_BacklogOneHoldsTwoEstablishedConnections_AndDropsTheNextSyn()
    {
        Handshake(40001);
        Handshake(40002); // sk_acceptq_is_full: 1 > 1 is false
        Assert.Equal(TcpState.Established, StateOf(40002));
        Assert.Null(Syn(40003)); // 2 > 1: "goto drop"
        Assert.Null(StateOf(40003));
    }

    [Fact]
    public void Linux_TheAckFindingTheAcceptQueueFull_IsDropped_TheConnectionStaysInSynReceivedAndRetransmitsItsSynAck()
    {
        Handshake(40001);
        var sa2 = Syn(40002)!.Value;
        var sa3 = Syn(40003)!.Value;
        Assert.Null(Ack(40002, sa2.Seq));
        Assert.Null(Ack(40003, sa3.Seq)); // accept queue 2 > 1: listen_overflow, acked = 1
        Assert.Equal(TcpState.SynReceived, StateOf(40003));
        _host.Outbound.Clear();
        _host.AdvanceTo(_host.Now + 1_000_000);
        Assert.Contains(_host.Outbound, o => o.Id == Id(40003) && o.Segment.Syn && o.Segment.HasAck);
        Assert.Equal(Errno.None, _host.Accept(_listener, out _));
        Assert.Equal(Errno.None, _host.Accept(_listener, out _));
        Assert.Null(Ack(40003, sa3.Seq)); // room again: the ACK completes it
        Assert.Equal(TcpState.Established, StateOf(40003));
    }

    [Fact]
    public void Linux_WithTcpAbortOnOverflow_TheAckFindingTheAcceptQueueFull_IsAnsweredByAReset()
    {
        var q = With(Profile.Linux with { AbortOnListenOverflow = true }, 1);
        q.Handshake(40001);
        var sa2 = q.Syn(40002)!.Value;
        var sa3 = q.Syn(40003)!.Value;
        Assert.Null(q.Ack(40002, sa2.Seq));
        var rst = q.Ack(40003, sa3.Seq);
        Assert.Equal(Segment.Parse($"<SEQ={sa3.Seq.Value + 1}><CTL=RST>"), rst);
        Assert.Null(q.StateOf(40003));
    }

    [Fact]
    public void Linux_ASynFindingTheSynQueueFull_GetsACookie_AndNoSynReceivedStateIsKept()
    {
        var q = With(Profile.Linux, 0);
        Assert.NotNull(q.Syn(40001)); // a request sock: 0 > 0 is false
        var cookie = q.Syn(40002, "MSS:1400,WS:7,SACKOK")!.Value; // 1 > 0: tcp_syn_flood_action
        Assert.True(cookie.Syn && cookie.HasAck);
        Assert.Equal(new TcpOptions(1460), cookie.Options); // no timestamps: tcp_clear_options — MSS only
        Assert.Null(q.StateOf(40002));
    }

    [Fact]
    public void Linux_TheAckOfACookie_RebuildsTheConnection_WithThePeerMssRoundedDownToTheCookieTable()
    {
        var q = With(Profile.Linux, 0);
        q.Syn(40001);
        var cookie = q.Syn(40002, "MSS:1400")!.Value;
        Assert.Null(q.Ack(40002, cookie.Seq));
        Assert.Equal(TcpState.Established, q.StateOf(40002));
        Assert.Equal(1300, q._host.Connections.Single(c => c.Id == q.Id(40002)).Endpoint.Tcb.SendMss); // msstab: 536, 1300, 1440, 1460
        Assert.Equal(Errno.None, q._host.Accept(q._listener, out _));
    }

    [Fact]
    public void Linux_ACookieWithTimestamps_KeepsWindowScaleAndSackPermitted()
    {
        var q = With(Profile.Linux, 0);
        q.Syn(40001);
        var cookie = q.Syn(40002, "MSS:1460,WS:7,SACKOK,TS:5:0")!.Value;
        Assert.Equal((byte)7, cookie.Options.WindowScale);
        Assert.True(cookie.Options.SackPermitted);
        Assert.Null(q.Ack(40002, cookie.Seq, "TS:6:" + cookie.Options.Timestamp!.Value.Value));
        var t = q._host.Connections.Single(c => c.Id == q.Id(40002)).Endpoint.Tcb;
        Assert.Equal(TcpState.Established, q.StateOf(40002));
        Assert.Equal((byte)7, t.SndScale);
    }

    [Fact]
    public void Linux_AnAckThatIsNoCookie_IsAnsweredByAReset()
    {
        var q = With(Profile.Linux, 0);
        q.Syn(40001);
        var cookie = q.Syn(40002)!.Value;
        var rst = q.Send(40002, $"<SEQ=101><ACK={cookie.Seq.Value + 2}><CTL=ACK><WND=65535>"); // SEG.ACK − 1 is no cookie
        Assert.Equal(Segment.Parse($"<SEQ={cookie.Seq.Value + 2}><CTL=RST>"), rst);
        Assert.Null(q.StateOf(40002));
    }

    [Fact]
    public void Linux_ACookieOlderThanItsTwoMinuteCounter_IsRefused()
    {
        var q = With(Profile.Linux, 0);
        q.Syn(40001);
        var cookie = q.Syn(40002)!.Value;
        q._host.AdvanceTo(q._host.Now + 130_000_000);
        q.Syn(40003); // a fresh overflow: only the cookie's own age refuses it
        Assert.Equal(Control.RST, q.Ack(40002, cookie.Seq)!.Value.Control);
    }

    [Fact]
    public void Linux_WithTcpSyncookiesOff_ASynFindingTheSynQueueFull_IsDropped()
    {
        var q = With(Profile.Linux with { SynCookies = 0 }, 0);
        Assert.NotNull(q.Syn(40001));
        Assert.Null(q.Syn(40002));
    }

    [Fact]
    public void Linux_WithTcpSyncookiesTwo_EverySynGetsACookie()
    {
        var q = With(Profile.Linux with { SynCookies = 2 }, 8);
        Assert.NotNull(q.Syn(40001));
        Assert.Null(q.StateOf(40001));
    }

    [Fact]
    public void Linux_ClosingTheListener_DropsSynReceivedRequestsSilently_AndResetsUnacceptedConnectionsWithRstAck()
    {
        var q = With(Profile.Linux, 4);
        q.Handshake(40001); // established, not accepted
        Assert.NotNull(q.Syn(40002)); // a request sock in SYN-RECEIVED
        q._host.Outbound.Clear();
        Assert.Equal(Errno.None, q._host.Close(q._listener));
        var sent = Assert.Single(q._host.Outbound);
        Assert.Equal(q.Id(40001), sent.Id);
        Assert.Equal(Control.RST | Control.ACK, sent.Segment.Control); // tcp_send_active_reset
        Assert.Empty(q._host.Connections);
    }

    [Fact]
    public void Rfc9293_OneQueue_ASynIsDroppedWhileBacklogConnectionsArePending()
    {
        var q = With(Profile.Rfc9293, 1);
        Assert.NotNull(q.Syn(40001));
        Assert.Null(q.Syn(40002));
        Assert.Equal(TcpState.SynReceived, q.StateOf(40001));
    }

    [Fact]
    public void FreeBsd_EverySynGetsASyncacheEntry_AndSonewconnRefusesBeyondThreeHalvesOfTheBacklog_WithAReset()
    {
        var q = With(Profile.FreeBsd, 1);
        var sa = new[] { q.Syn(40001)!.Value, q.Syn(40002)!.Value, q.Syn(40003)!.Value };
        Assert.Null(q.Ack(40001, sa[0].Seq));
        Assert.Null(q.Ack(40002, sa[1].Seq)); // sol_qlen 1 > 3 * 1 / 2 is false
        var rst = q.Ack(40003, sa[2].Seq); // 2 > 1: sonewconn refuses, rst_on_sock_fail
        Assert.Equal(Segment.Parse($"<SEQ={sa[2].Seq.Value + 1}><CTL=RST>"), rst);
        Assert.Null(q.StateOf(40003));
    }
}
