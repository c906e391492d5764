using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY receiver-sws-every-ack (RFC 9293 §3.8.6.2.2, MUST-39): on, the window of every segment keeps
/// RCV.NXT+RCV.WND fixed until RCV.BUFF − RCV.USER − RCV.WND ≥ min(RCV.BUFF/2, Eff.snd.MSS), then RCV.WND is set
/// to RCV.BUFF − RCV.USER; off, every segment announces the free buffer. The fixture is ESTABLISHED with
/// RCV.NXT = 0 and SND.NXT = 4294967291 (<see cref="TimedKit.Established"/>).</summary>
public sealed class ReceiverSwsOnEveryAck
{
    private static ReferenceTcp Established(bool sws, int buffer, string peerOptions = "MSS:1460") =>
        TimedKit.Established(Rfc9293 with { ReceiverSwsOnEveryAck = sws, ReceiveBuffer = buffer }, peerOptions: peerOptions);

    private static string AckOf(uint ack, uint wnd) => $"<SEQ=4294967291><ACK={ack}><CTL=ACK><WND={wnd}>";

    [Theory]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    [InlineData(true, 5)]   // the right edge stays at 10: RCV.WND = 10 − 5
    [InlineData(false, 6)]  // the free buffer: 10 − 4 unread
    public void DataArrivingAfterASmallReadIsAcknowledgedWithTheRightEdgeWhereItWasAnnounced(bool sws, uint window)
    {
        var t = Established(sws, buffer: 10);
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcd")), AckOf(4, 6));
        Sent(t.Receive(1, out _));                     // reduction 1 < min(10/2, 1460): no window update
        SentWithWindow(t.SegmentArrives(Ack(4, 4294967291, data: "e")), AckOf(5, window));
        Assert.Equal(window, t.ReceiveWindow);
    }

    [Theory]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    [InlineData(true, 2u, 7u)]
    [InlineData(false, 6u, 7u)]
    public void OurDataCarriesTheOldWindowUntilTheReductionReachesHalfTheBufferThenTheWholeFreeBuffer(bool sws, uint before, uint after)
    {
        var t = Established(sws, buffer: 10);
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcdefgh")), AckOf(8, 2));
        t.Receive(4, out _);                           // free 6: reduction 4 < 5
        SentWithWindow(t.Send("y"u8), $"<SEQ=4294967291><ACK=8><CTL=ACK><WND={before}><DATA=\"y\">");
        t.Receive(1, out _);                           // free 7: reduction 5 = 10/2
        SentWithWindow(t.Send("z"u8), $"<SEQ=4294967292><ACK=8><CTL=ACK><WND={after}><DATA=\"z\">");
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    public void FrTimesRcvBuffIsHalfTheBufferExactlyNotRoundedDown()
    {
        var t = Established(sws: true, buffer: 5);
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcde")), AckOf(5, 0));
        t.Receive(2, out _);                           // reduction 2 < 2.5
        Assert.Equal(0u, t.ReceiveWindow);
        t.Receive(1, out _);                           // reduction 3 ≥ 2.5: RCV.WND = RCV.BUFF − RCV.USER
        Assert.Equal(3u, t.ReceiveWindow);
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2, §3.7.1")]
    public void TheThresholdIsTheEffectiveSendMssWhenThatIsBelowHalfTheBuffer()
    {
        var t = Established(sws: true, buffer: 100, peerOptions: "MSS:4"); // Eff.snd.MSS = 4 < 100/2
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcdefgh")), AckOf(8, 92));
        t.Receive(3, out _);
        Assert.Equal(92u, t.ReceiveWindow);
        t.Receive(1, out _);
        Assert.Equal(96u, t.ReceiveWindow);
    }

    [Theory]
    [Trait("RFC", "9293 §3.8.6.2.2, §3.10.7.4")]
    [InlineData(true)]
    [InlineData(false)]
    public void AClosedWindowStaysClosedToAProbeUntilTheReductionIsWorthAnnouncing(bool sws)
    {
        var t = Established(sws, buffer: 4);
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcd")), AckOf(4, 0));
        t.Receive(1, out _);                           // free 1 < min(2, 1460)
        // On: RCV.WND = 0, so the octet is not acceptable (Table 6) and is answered at RCV.NXT = 4.
        SentWithWindow(t.SegmentArrives(Ack(4, 4294967291, data: "e")), sws ? AckOf(4, 0) : AckOf(5, 0));
        Assert.Equal(sws ? 3 : 4, t.Received.Length);
    }

    [Theory]
    [Trait("RFC", "9293 §3.8.6.2.2, §3.10.7.4; RFC 5961 §3.2")]
    [InlineData(true)]
    [InlineData(false)]
    public void TheSequenceChecksUseTheWindowTheRuleKeepsNotTheFreeBuffer(bool sws)
    {
        var t = Established(sws, buffer: 10);
        t.SegmentArrives(Ack(0, 4294967291, data: "abcd"));   // right edge 10
        t.Receive(1, out _);                                   // free 7: on, RCV.WND stays 6
        // An RST at 10: on, at the right edge, outside the window: dropped silently; off, inside the free
        // buffer's window [4, 11) but not at RCV.NXT: a challenge ACK.
        var reply = t.SegmentArrives(Seg("<SEQ=10><CTL=RST>"));
        SentWithWindow(reply, sws ? [] : [AckOf(4, 7)]);
        Assert.Equal(RefState.Established, t.State);
    }

    [Theory]
    [Trait("RFC", "9293 §3.8.6.2.2, §3.10.7.4")]
    [InlineData(true, 6u)]
    [InlineData(false, 10u)]
    public void TheFinTakesNoBufferSoItsAcknowledgmentKeepsTheWindowAndLaterSegmentsKeepTheEdge(bool sws, uint later)
    {
        var t = Established(sws, buffer: 10);
        SentWithWindow(t.SegmentArrives(Ack(0, 4294967291, data: "abcd", extra: Control.FIN)), AckOf(5, 6));
        Assert.Equal(RefState.CloseWait, t.State);
        t.Receive(4, out _);                           // free 10: reduction 4 < 5
        SentWithWindow(t.Send("y"u8), $"<SEQ=4294967291><ACK=5><CTL=ACK><WND={later}><DATA=\"y\">");
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    public void UnderTheDefaultProfilesTheRuleGovernsEverySegment()
    {
        foreach (var profile in new[] { Profile.Rfc9293, Profile.Rfc793 })
        {
            var t = TimedKit.Established(profile with { ReceiveBuffer = 10 });
            t.SegmentArrives(Ack(0, 4294967291, data: "abcd"));
            t.Receive(1, out _);
            SentWithWindow(t.SegmentArrives(Ack(4, 4294967291, data: "e")), AckOf(5, 5));
        }
    }

    [Fact]
    [Trait("RFC", "9293 §3.8.6.2.2")]
    public void AReceiveThatMovesTheEdgeSendsTheWindowUpdateWhenAskedAndOtherwiseNothing()
    {
        var quiet = Established(sws: true, buffer: 10);
        var loud = Established(sws: true, buffer: 10);
        loud.WindowUpdateOnReceive = true;
        foreach (var t in new[] { quiet, loud }) t.SegmentArrives(Ack(0, 4294967291, data: "abcdefgh"));
        Sent(quiet.Receive(5, out _));
        SentWithWindow(loud.Receive(5, out _), AckOf(8, 7));
        Assert.Equal(7u, quiet.ReceiveWindow);
    }

    [Theory]
    [Trait("RFC", "9293 §3.8.6, §3.8.6.2.2")]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheAnnouncedRightEdgeNeverMovesLeftAndMovesOnlyInStepsOfAtLeastTheThreshold(int seed)
    {
        const int buffer = 10; // threshold min(10/2, 1460) = 5
        var rng = new Random(seed);
        var tcps = new[] { Established(sws: true, buffer), Established(sws: false, buffer) };
        long[] edges = [buffer, buffer];
        int smallMovesOff = 0;
        for (int step = 0; step < 200; step++)
        {
            string text = new('x', rng.Next(1, 4));
            int read = rng.Next(0, 4);
            for (int k = 0; k < 2; k++)
            {
                var tcp = tcps[k];
                var reply = tcp.SegmentArrives(Ack(tcp.RcvNxt.Value, 4294967291, data: text));
                tcp.Receive(read, out _);
                var ack = Assert.Single(reply);
                long announced = (long)ack.Ack.Value + ack.Window;
                Assert.True(announced >= edges[k], $"step {step}: the right edge moved left from {edges[k]} to {announced}");
                if (k == 0) Assert.True(announced == edges[k] || announced - edges[k] >= 5, $"step {step}: the edge moved by {announced - edges[k]}");
                else if (announced > edges[k] && announced - edges[k] < 5) smallMovesOff++;
                edges[k] = announced;
                Assert.True(tcp.ReceiveWindow <= buffer - tcp.Received.Length);
            }
        }
        Assert.True(smallMovesOff > 0, "the free-buffer reading moves the edge in small steps: the check has something to catch");
    }

    private static void SentWithWindow(IReadOnlyList<Segment> actual, params string[] expected) =>
        Assert.Equal(expected, actual.Select(s => s.ToString()).ToArray());
}
