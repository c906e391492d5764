using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>Which endpoint of a <see cref="Pair"/>.</summary>
public enum Side : byte
{
    /// <summary>Endpoint A (the left of a ladder).</summary>
    A,
    /// <summary>Endpoint B (the right of a ladder).</summary>
    B,
}

/// <summary>What happened to a segment on the wire.</summary>
public enum Fate : byte
{
    /// <summary>Delivered.</summary>
    Delivered,
    /// <summary>Lost by the network.</summary>
    Lost,
}

/// <summary>One row of a ladder diagram: a segment sent by one side, or an event at one side.</summary>
public sealed record LadderRow(long Time, Side From, Segment? Segment, string? Event, Fate Fate, TcpState StateA, TcpState StateB)
{
    /// <summary>The row in the RFC figures' style.</summary>
    public override string ToString()
    {
        string what = Segment is { } s ? s.ToShortString() : Event ?? "";
        string arrow = Segment is null ? "  " : From == Side.A ? "-->" : "<--";
        string lost = Fate == Fate.Lost ? "  (lost)" : "";
        return FormattableString.Invariant($"{Time / 1e6,9:0.000}s  {StateA.RfcName(),-12} {arrow} {what,-46} {StateB.RfcName(),-12}{lost}");
    }
}

/// <summary>
/// Two endpoints joined by a network on virtual time (the quinn-proto <c>Pair</c> idea): user
/// calls and timer ticks are applied to one side, emitted segments travel with a fixed latency
/// and can be dropped by a predicate. Every segment and event is recorded as a ladder row.
/// </summary>
public sealed class Pair
{
    private readonly List<(long At, Side To, Segment Seg)> _inFlight = [];
    private readonly Outbox _out = new();
    private int _sentCount;

    /// <summary>Creates a pair.</summary>
    public Pair(Endpoint a, Endpoint b, long latency = 10_000)
    {
        A = a;
        B = b;
        Latency = latency;
    }

    /// <summary>Endpoint A.</summary>
    public Endpoint A { get; }
    /// <summary>Endpoint B.</summary>
    public Endpoint B { get; }
    /// <summary>One-way delay in µs.</summary>
    public long Latency { get; }
    /// <summary>Current virtual time (µs).</summary>
    public long Now { get; private set; }
    /// <summary>The ladder so far.</summary>
    public List<LadderRow> Ladder { get; } = [];
    /// <summary>Notices delivered to each side, with the time.</summary>
    public List<(long Time, Side Side, Notice Notice)> Notices { get; } = [];
    /// <summary>Decides whether the n-th segment sent (1-based) from a side is lost.</summary>
    public Func<int, Side, Segment, bool> Lose { get; set; } = (_, _, _) => false;

    /// <summary>The endpoint of a side.</summary>
    public Endpoint this[Side s] => s == Side.A ? A : B;

    /// <summary>Applies a user call at the current time.</summary>
    public void User(Side side, in Input input, string label)
    {
        Ladder.Add(new LadderRow(Now, side, null, $"{side}: {label}", Fate.Delivered, A.State, B.State));
        Step(side, input);
    }

    /// <summary>Delivers segments and fires timers in time order until <paramref name="until"/> or quiescence.</summary>
    public void Run(long until = long.MaxValue)
    {
        while (true)
        {
            long nextSeg = _inFlight.Count == 0 ? long.MaxValue : _inFlight.Min(f => f.At);
            long nextTimer = Math.Min(A.NextDeadline, B.NextDeadline);
            long next = Math.Min(nextSeg, nextTimer);
            if (next == long.MaxValue || next > until) { if (until != long.MaxValue) Now = Math.Max(Now, until); return; }
            Now = Math.Max(Now, next);
            if (nextSeg <= nextTimer)
            {
                int i = _inFlight.FindIndex(f => f.At == nextSeg);
                var f = _inFlight[i];
                _inFlight.RemoveAt(i);
                Step(f.To, Input.Arrive(f.Seg));
            }
            else
            {
                var side = A.NextDeadline <= B.NextDeadline ? Side.A : Side.B;
                Step(side, Input.Tick);
            }
        }
    }

    private void Step(Side side, in Input input)
    {
        var before = this[side].State;
        this[side].Step(input, Now, _out);
        foreach (var n in _out.Notices) Notices.Add((Now, side, n));
        if (_out.SegmentCount == 0 && before != this[side].State && input.Kind != InputKind.User)
        {
            string why = input.Kind == InputKind.Tick && _out.FiredCount > 0 ? _out.Fired[0].Cell.Key.Trigger.ToString() : "segment";
            Ladder.Add(new LadderRow(Now, side, null, $"{side}: {why} -> {this[side].State.RfcName()}", Fate.Delivered, A.State, B.State));
        }
        foreach (var s in _out.Segments)
        {
            var copy = s.WithPayload(s.Payload.ToArray());
            _sentCount++;
            bool lost = Lose(_sentCount, side, copy);
            Ladder.Add(new LadderRow(Now, side, copy, null, lost ? Fate.Lost : Fate.Delivered, A.State, B.State));
            if (!lost) _inFlight.Add((Now + Latency, side == Side.A ? Side.B : Side.A, copy));
        }
    }
}
