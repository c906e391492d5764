using System.Text;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;
using static TcpModel.Tests.Machine.Fixtures;
using static TcpModel.Tests.Machine.SynchronizedChecks;

namespace TcpModel.Tests.Machine;

/// <summary>The policies the FreeBSD conformance suite brought in (spec/policies.md), each in both
/// settings: old-ack-processed, compressed-state-window, time-wait-drop-without-ack, drop-synfin and
/// listener-close-resets-syn-received.</summary>
public sealed class BsdPolicies
{
    // ---- old-ack-processed (RFC 9293 Appendix A.2)

    private static string OldAckOfOurFin(Conn c) => $"<SEQ={c.PeerNxt - 1}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}>";

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void InLastAck_AnOldSegmentAckingOurFin_IsOnlyAcknowledged_WhenOldAckProcessingIsOff()
    {
        var c = LastAck();
        AssertSent(c.Arrive(OldAckOfOurFin(c)), Ack(c));
        Assert.Equal(TcpState.LastAck, c.State);
    }

    [Fact, Trait("RFC", "9293 Appendix A.2")]
    public void InLastAck_AnOldSegmentAckingOurFin_CompletesTheClose_WhenOldAckProcessingIsOn()
    {
        var c = LastAck(With(p => p with { ProcessAckOfOldSegment = true }));
        AssertSent(c.Arrive(OldAckOfOurFin(c)));
        Assert.Equal(TcpState.Closed, c.State);
    }

    [Fact, Trait("RFC", "9293 Appendix A.2"), Trait("RFC", "9293 §3.10.7.4")]
    public void InLastAck_AnOldSegmentAckingOurFin_IsProcessedByTheFifthCheckAlone_WhenOldAckProcessingIsOn()
    {
        // the segment is trimmed to nothing and its ACK processed: the fifth check's cell is the only one it fires (the
        // first check's ACK it still owes is no second, "unacceptable", cell)
        var c = LastAck(With(p => p with { ProcessAckOfOldSegment = true }));
        c.Arrive(OldAckOfOurFin(c));
        Assert.Equal([new CellKey(TcpState.LastAck, Trigger.AckOfFin)], c.Fired);
    }

    // ---- compressed-state-window (RFC 9293 §3.10.7.2: SYN text "should be queued")

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void InListen_TextOnASyn_IsQueuedAndDelivered_WhenCompressedStateIsOff()
    {
        var c = Listen();
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"early\">");
        c.Arrive($"<SEQ={Irs + 6}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 6, c.Tcb.RcvNxt);
        c.Receive();
        Assert.Equal("early", Encoding.ASCII.GetString(c.Delivered));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void InListen_TextOnASyn_IsNotKept_WhenCompressedStateIsOn()
    {
        var c = Listen(With(p => p with { CompressedStateWindow = true }));
        c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><DATA=\"early\">");
        c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=ACK><WND={PeerWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        Assert.Equal(Irs + 1, c.Tcb.RcvNxt);
        c.Receive();
        Assert.Empty(c.Delivered);
    }

    // ---- time-wait-drop-without-ack (BSD tcp_twcheck)

    private static string FinWithoutAckOutsideTheWindow(Conn c) => $"<SEQ={c.PeerNxt - 5}><CTL=FIN><WND={PeerWnd}>";

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void InTimeWait_AnUnacceptableSegmentWithoutAck_IsAcknowledged_WhenDropWithoutAckIsOff()
    {
        var c = TimeWait();
        AssertSent(c.Arrive(FinWithoutAckOutsideTheWindow(c)), Ack(c));
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4")]
    public void InTimeWait_AnUnacceptableSegmentWithoutAck_IsDroppedSilently_WhenDropWithoutAckIsOn()
    {
        var c = TimeWait(With(p => p with { TimeWaitDropsSegmentsWithoutAck = true }));
        AssertSent(c.Arrive(FinWithoutAckOutsideTheWindow(c)));
        Assert.Equal(TcpState.TimeWait, c.State);
    }

    // ---- drop-synfin (FreeBSD net.inet.tcp.drop_synfin)

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void InListen_ASynWithFin_IsAnsweredWithSynAck_WhenDropSynFinIsOff()
    {
        var c = Listen();
        var sent = c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}>");
        Assert.Single(sent);
        Assert.Equal(Control.SYN | Control.ACK, sent[0].Control);
        Assert.Equal(TcpState.SynReceived, c.State);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.2")]
    public void InListen_ASynWithFin_IsDroppedSilently_WhenDropSynFinIsOn()
    {
        var c = Listen(With(p => p with { DropSynFin = true }));
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN,FIN><WND={PeerWnd}>"));
        Assert.Equal(TcpState.Listen, c.State);
    }

    // ---- listener-close-resets-syn-received (RFC 9293 §3.10.4, §3.10.5; BSD syncache)

    [Theory, Trait("RFC", "9293 §3.10.5")]
    [InlineData(false)]
    [InlineData(true)]
    public void ClosingAListener_ResetsItsSynReceivedChild_OnlyWhenThePolicyIsOn(bool on)
    {
        var host = new TcpHost(Profile.Rfc9293 with { ResetSynReceivedOnListenerClose = on },
            new TcpHostOptions { Isn = new FixedIsnSource(Iss.Value) });
        int fd = host.OpenSocket(ipv6: false);
        Assert.Equal(Errno.None, host.Bind(fd, 8080));
        Assert.Equal(Errno.None, host.Listen(fd, 1));
        var id = new ConnectionId(new SocketAddress(host.LocalAddress(false), 8080), new SocketAddress("192.0.2.1", 40000));
        host.Deliver(id, Segment.Parse($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}>"));
        Assert.Equal(Control.SYN | Control.ACK, host.Outbound.Dequeue().Segment.Control);

        Assert.Equal(Errno.None, host.Close(fd));

        var sent = host.Outbound.Select(o => o.Segment).ToList();
        if (on)
            Assert.Equal(Control.RST, Assert.Single(sent).Control & Control.RST);
        else
            Assert.Empty(sent);
        Assert.DoesNotContain(host.Connections, c => c.State == TcpState.SynReceived);
    }
}
