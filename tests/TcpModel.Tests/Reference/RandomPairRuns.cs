using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Tests.Reference;

/// <summary>
/// Two reference endpoints over loss-free FIFO channels, driven by a seeded random schedule of
/// user calls and deliveries: the reference never throws, and every octet sent is delivered in
/// order before both ends reach CLOSED.
/// </summary>
public sealed class RandomPairRuns
{
    [Theory]
    [Trait("RFC", "9293 §3.6")]
    [MemberData(nameof(Seeds))]
    public void OverAReliableChannelEveryOctetSentIsDeliveredAndBothEndsClose(int seed, bool simultaneousOpen)
    {
        var rng = new Random(seed);
        var a = new ReferenceTcp(new RefConfig(), new SeqNum((uint)rng.NextInt64(0, 1L << 32)));
        var b = new ReferenceTcp(new RefConfig(), new SeqNum((uint)rng.NextInt64(0, 1L << 32)));
        var toB = new Queue<Segment>();
        var toA = new Queue<Segment>();
        var sentByA = new List<byte>();
        var sentByB = new List<byte>();
        var readByA = new List<byte>();
        var readByB = new List<byte>();

        void Out(IReadOnlyList<Segment> segs, Queue<Segment> q) { foreach (var s in segs) q.Enqueue(s); }
        void Read()
        {
            a.Receive(int.MaxValue, out var da); readByA.AddRange(da);
            b.Receive(int.MaxValue, out var db); readByB.AddRange(db);
        }
        void SendSome(ReferenceTcp t, List<byte> log, Queue<Segment> q)
        {
            if (t.State is not (RefState.Established or RefState.CloseWait or RefState.SynSent or RefState.SynReceived)) return;
            var before = t.Notifications.Count;
            var data = new byte[rng.Next(1, 40)];
            rng.NextBytes(data);
            Out(t.Send(data), q);
            if (t.Notifications.Count == before) log.AddRange(data);
        }

        if (simultaneousOpen) { Out(a.OpenActive(), toB); Out(b.OpenActive(), toA); }
        else { b.OpenPassive(); Out(a.OpenActive(), toB); }

        for (int step = 0; step < 200; step++)
        {
            switch (rng.Next(8))
            {
                case 0: SendSome(a, sentByA, toB); break;
                case 1: SendSome(b, sentByB, toA); break;
                case 2 when step > 100: if (a.State is RefState.Established or RefState.CloseWait) Out(a.Close(), toB); break;
                case 3 when step > 100: if (b.State is RefState.Established or RefState.CloseWait) Out(b.Close(), toA); break;
                default:
                    if (rng.Next(2) == 0 && toB.Count > 0) Out(b.SegmentArrives(toB.Dequeue()), toA);
                    else if (toA.Count > 0) Out(a.SegmentArrives(toA.Dequeue()), toB);
                    break;
            }
            Read();
        }

        // Wind down: deliver everything, close both ends, let TIME-WAIT expire.
        for (int round = 0; round < 50; round++)
        {
            while (toA.Count > 0 || toB.Count > 0)
            {
                if (toB.Count > 0) Out(b.SegmentArrives(toB.Dequeue()), toA);
                if (toA.Count > 0) Out(a.SegmentArrives(toA.Dequeue()), toB);
                Read();
            }
            if (a.State is RefState.Established or RefState.CloseWait) Out(a.Close(), toB);
            if (b.State is RefState.Established or RefState.CloseWait) Out(b.Close(), toA);
            if (toA.Count == 0 && toB.Count == 0) break;
        }
        Out(a.TimeWaitTimeout(), toB);
        Out(b.TimeWaitTimeout(), toA);

        Assert.Equal(RefState.Closed, a.State);
        Assert.Equal(RefState.Closed, b.State);
        Assert.NotEmpty(sentByA);
        Assert.NotEmpty(sentByB);
        Assert.Equal(sentByA, readByB);
        Assert.Equal(sentByB, readByA);
        Assert.DoesNotContain("connection reset", a.Notifications.Concat(b.Notifications));
    }

    public static TheoryData<int, bool> Seeds()
    {
        var data = new TheoryData<int, bool>();
        for (int seed = 1; seed <= 25; seed++)
        {
            data.Add(seed, false);
            data.Add(seed, true);
        }
        return data;
    }
}
