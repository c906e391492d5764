using BenchmarkDotNet.Attributes;
using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Benchmarks;

/// <summary>
/// Generated adversarial schedules checked per second: each operation runs one schedule of
/// <see cref="Steps"/> events (OPENs, SENDs, CLOSEs, deliveries, losses, duplicates, reorderings)
/// through two model endpoints and, side by side, two reference endpoints fed the same inputs, and
/// compares their states after every step. Schedules are generated in <see cref="Setup"/> from a fixed
/// seed; schedules/s = 10^9 / (ns per operation). Not sealed: BenchmarkDotNet derives from it.
/// </summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    /// <summary>Events per schedule.</summary>
    public const int Steps = 24;
    private const int Count = 256;

    private byte[][] _schedules = null!;
    private int _next;
    private readonly byte[] _data = "abc"u8.ToArray();
    private readonly Outbox _out = new();
    private readonly List<Segment>[] _modelFlight = [[], []];
    private readonly List<Segment>[] _refFlight = [[], []];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(14);
        _schedules = new byte[Count][];
        for (int k = 0; k < Count; k++)
        {
            var s = new byte[Steps];
            s[0] = 0; // B: OPEN passive
            s[1] = 1; // A: OPEN active
            for (int i = 2; i < Steps; i++) s[i] = (byte)rng.Next(2, 16);
            _schedules[k] = s;
        }
    }

    /// <summary>One schedule, model and reference: the number of steps on which their states differ.</summary>
    [Benchmark]
    public int ModelAndReference() => Run(_schedules[_next++ & (Count - 1)], withReference: true);

    /// <summary>One schedule, model only.</summary>
    [Benchmark]
    public int ModelOnly() => Run(_schedules[_next++ & (Count - 1)], withReference: false);

    /// <summary>Runs a schedule (public for the smoke test).</summary>
    public int Run(byte[] schedule, bool withReference)
    {
        var a = new Endpoint(Profile.Rfc793, new EndpointOptions { Isn = new FixedIsnSource(4_294_966_000) });
        var b = new Endpoint(Profile.Rfc793, new EndpointOptions { Isn = new FixedIsnSource(2_000_000_000) });
        var cfg = new RefConfig(Rfc5961: false);
        ReferenceTcp? ra = withReference ? new ReferenceTcp(cfg, new SeqNum(4_294_966_000)) : null;
        ReferenceTcp? rb = withReference ? new ReferenceTcp(cfg, new SeqNum(2_000_000_000)) : null;
        foreach (var f in _modelFlight) f.Clear();
        foreach (var f in _refFlight) f.Clear();
        long now = 0;
        int differ = 0;
        foreach (byte e in schedule)
        {
            now += 1_000;
            int side = e & 1;
            var ep = side == 0 ? a : b;
            var r = side == 0 ? ra : rb;
            switch (e >> 1)
            {
                case 0: // OPEN (passive at B, active at A)
                    Model(ep, side, side == 1 ? Input.OpenPassive(true) : Input.OpenActive, now);
                    if (r is not null) Ref(side, side == 1 ? r.OpenPassive() : r.OpenActive());
                    break;
                case 1 or 2: // SEND
                    Model(ep, side, Input.Send(_data), now);
                    if (r is not null) Ref(side, r.Send(_data));
                    break;
                case 3: // CLOSE
                    Model(ep, side, Input.Close, now);
                    if (r is not null) Ref(side, r.Close());
                    break;
                case 4 or 5: // deliver the next segment to the side
                    if (_modelFlight[side].Count > 0) { var s = _modelFlight[side][0]; _modelFlight[side].RemoveAt(0); Model(ep, side, Input.Arrive(s), now); }
                    if (r is not null && _refFlight[side].Count > 0) { var s = _refFlight[side][0]; _refFlight[side].RemoveAt(0); Ref(side, r.SegmentArrives(s)); }
                    break;
                case 6: // lose the next segment to the side
                    if (_modelFlight[side].Count > 0) _modelFlight[side].RemoveAt(0);
                    if (_refFlight[side].Count > 0) _refFlight[side].RemoveAt(0);
                    break;
                default: // reorder: the second before the first (or duplicate the only one)
                    if (_modelFlight[side].Count > 1) { var s = _modelFlight[side][1]; _modelFlight[side].RemoveAt(1); Model(ep, side, Input.Arrive(s), now); }
                    else if (_modelFlight[side].Count == 1) Model(ep, side, Input.Arrive(_modelFlight[side][0]), now);
                    if (r is not null && _refFlight[side].Count > 1) { var s = _refFlight[side][1]; _refFlight[side].RemoveAt(1); Ref(side, r.SegmentArrives(s)); }
                    else if (r is not null && _refFlight[side].Count == 1) Ref(side, r.SegmentArrives(_refFlight[side][0]));
                    break;
            }
            if (r is not null && (int)ep.State != (int)r.State) differ++;
        }
        return differ;
    }

    private void Model(Endpoint ep, int side, in Input input, long now)
    {
        ep.Step(input, now, _out);
        foreach (var s in _out.Segments) _modelFlight[1 - side].Add(s.WithPayload(s.Payload.ToArray()));
    }

    private void Ref(int side, IReadOnlyList<Segment> emitted)
    {
        foreach (var s in emitted) _refFlight[1 - side].Add(s);
    }
}
