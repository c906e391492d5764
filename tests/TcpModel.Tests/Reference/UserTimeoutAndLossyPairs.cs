using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>The user timeout (RFC 9293 §3.10.8) and two reference endpoints recovering from loss by
/// retransmission (RFC 9293 §3.8.1, RFC 6298).</summary>
public sealed class UserTimeoutAndLossyPairs
{
    [Fact]
    [Trait("RFC", "9293 §3.10.8")]
    public void WhenNothingIsAcknowledgedForTheUserTimeoutTheConnectionIsAbortedWithoutASegment()
    {
        var t = Established(Rfc9293 with { UserTimeout = 15 * Second });
        Sent(t.Send("ab"u8), "<SEQ=4294967291><ACK=0><CTL=ACK>" + Data("ab"));
        Assert.Equal(15 * Second, t.UserTimeoutDeadline);
        t.AdvanceTo(5 * Second); // retransmissions at 1 and 3 s
        Sent(t.SegmentArrives(Ack(0, 4294967292))); // "a" acknowledged: the user timeout restarts
        Assert.Equal(20 * Second, t.UserTimeoutDeadline);
        // The retransmission timer restarts with the backed-off RTO (4 s): "b" again at 9 s and 17 s.
        Sent(t.AdvanceTo(20 * Second - 1),
            "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"), "<SEQ=4294967292><ACK=0><CTL=ACK>" + Data("b"));
        Sent(t.AdvanceTo(20 * Second));
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.UserTimeoutNotice], t.Notifications);
        Assert.Null(t.NextDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.8")]
    public void TheUserTimeoutDoesNotRunWhileEverythingIsAcknowledgedAndZeroDisablesIt()
    {
        var idle = Established(Rfc9293 with { UserTimeout = 15 * Second });
        Assert.Null(idle.UserTimeoutDeadline);
        Sent(idle.AdvanceTo(100 * Second));
        Assert.Equal(RefState.Established, idle.State);

        var off = Established(Rfc9293 with { UserTimeout = 0 });
        off.Send("ab"u8);
        Assert.Null(off.UserTimeoutDeadline);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.8")]
    public void TheUserTimeoutCoversAnUnansweredSynToo()
    {
        var t = new ReferenceTcp(Rfc9293 with { UserTimeout = 10 * Second }, new SeqNum(Iss));
        t.OpenActive();
        Assert.Equal(3, t.AdvanceTo(10 * Second - 1).Count); // 1, 3, 7 s; R1 (3) is reached at 7 s
        t.AdvanceTo(10 * Second);
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal([ReferenceTcp.R1Notice, ReferenceTcp.UserTimeoutNotice], t.Notifications);
    }

    /// <summary>
    /// Two endpoints over channels that lose, with a seeded probability, a share of the segments and
    /// delay each by 10–60 ms: every octet sent arrives in order, both ends close, no notice of a
    /// reset or abort, and the clock stays far from R2.
    /// </summary>
    [Theory]
    [Trait("RFC", "9293 §3.8.1")]
    [MemberData(nameof(Seeds))]
    public void OverALossyChannelRetransmissionDeliversEveryOctetAndBothEndsClose(int seed)
    {
        var rng = new Random(seed);
        var profile = Rfc9293 with { Msl = 1 * Second };
        var a = new ReferenceTcp(profile, new SeqNum(U(4294967296L - rng.Next(1, 3000))));
        var b = new ReferenceTcp(profile, new SeqNum(U(4294967296L - rng.Next(1, 3000))), new RefPath(Mtu: 600));
        double loss = 0.05 + rng.NextDouble() * 0.2;
        var wire = new PriorityQueue<(ReferenceTcp To, Segment Seg), (long, long)>();
        long order = 0, now = 0;
        void Put(IReadOnlyList<Segment> segs, ReferenceTcp to)
        {
            foreach (var s in segs)
                if (rng.NextDouble() >= loss)
                    wire.Enqueue((to, new Segment(s.Seq, s.Ack, s.Control, s.Window, s.Payload.ToArray(), s.Options)),
                        (now + rng.Next(10_000, 60_000), order++));
        }
        ReferenceTcp Other(ReferenceTcp t) => ReferenceTcp.ReferenceEquals(t, a) ? b : a;

        var sentA = new byte[rng.Next(1, 5000)];
        var sentB = new byte[rng.Next(1, 5000)];
        rng.NextBytes(sentA);
        rng.NextBytes(sentB);
        var readA = new List<byte>();
        var readB = new List<byte>();

        b.OpenPassive();
        Put(a.OpenActive(), b);
        bool queuedA = false, queuedB = false;
        for (int step = 0; step < 20_000 && (a.State != RefState.Closed || b.State != RefState.Closed); step++)
        {
            if (!queuedA && a.State == RefState.Established) { Put(a.Send(sentA), b); Put(a.Close(), b); queuedA = true; }
            if (!queuedB && b.State is RefState.Established or RefState.CloseWait) { Put(b.Send(sentB), a); Put(b.Close(), a); queuedB = true; }

            long next = long.MaxValue;
            if (wire.TryPeek(out _, out var prio)) next = prio.Item1;
            foreach (var t in new[] { a, b })
                if (t.NextDeadline is { } d) next = Math.Min(next, d);
            if (next == long.MaxValue) break;
            now = Math.Max(now, next);
            Put(a.AdvanceTo(now), b);
            Put(b.AdvanceTo(now), a);
            while (wire.TryPeek(out var item, out var p) && p.Item1 <= now)
            {
                wire.Dequeue();
                Put(item.To.SegmentArrives(item.Seg), Other(item.To));
            }
            a.Receive(int.MaxValue, out var da); readA.AddRange(da);
            b.Receive(int.MaxValue, out var db); readB.AddRange(db);
        }

        Assert.Equal(RefState.Closed, a.State);
        Assert.Equal(RefState.Closed, b.State);
        Assert.Equal(sentA, readB);
        Assert.Equal(sentB, readA);
        string[] bad = ["connection reset", ReferenceTcp.RetransmitGiveUpNotice, ReferenceTcp.UserTimeoutNotice];
        Assert.DoesNotContain(a.Notifications.Concat(b.Notifications), bad.Contains);
        Assert.True(now < 100 * Second, $"finished at {now} µs");
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 20; seed++) data.Add(seed);
        return data;
    }
}
