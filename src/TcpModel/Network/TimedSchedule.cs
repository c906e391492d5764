using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>Channel faults of a timed schedule: probabilities per segment, one-way delay, an off-path attacker.</summary>
public sealed record Faults(double Loss = 0, double Duplicate = 0, double Reorder = 0, long DelayMicros = 10_000, bool Attacker = false);

/// <summary>What the network does to one segment (a scenario's choice, or the seeded faults').</summary>
public enum SegmentFate : byte
{
    /// <summary>Let the seeded faults decide.</summary>
    Random,
    /// <summary>Delivered after the delay.</summary>
    Deliver,
    /// <summary>Lost.</summary>
    Lose,
    /// <summary>Delivered after the delay and again half a delay later.</summary>
    Duplicate,
    /// <summary>Held back (three delays), so that segments sent after it overtake it.</summary>
    Reorder,
    /// <summary>Delivered, and a copy arrives again 2 MSL and a second after it was sent (an old duplicate).</summary>
    OldDuplicate,
}

/// <summary>A segment a side just sent, for a scenario's fate rule: the n-th (1-based) its sender sent, the run so
/// far, and marks the rule keeps (so that it picks, say, only the first FIN).</summary>
public sealed record SegmentSent(Side From, int Number, Segment Segment, Simulator Run, HashSet<string> Marks)
{
    /// <summary>True the first time it is asked for <paramref name="what"/>.</summary>
    public bool First(string what) => Marks.Add(what);
}

/// <summary>A user call (<see cref="Ev.OpenActive"/>, <see cref="Ev.Send(Side, int)"/>, <see cref="Ev.Close"/>, …) at a virtual time (µs).</summary>
public sealed record TimedCall(long At, Ev Call);

/// <summary>A named lifecycle of <c>tcpmodel simulate --scenario</c>: user calls at times and the network's fate
/// for chosen segments (the others are left to the seeded faults).</summary>
public sealed record NamedScenario(string Name, string Summary, IReadOnlyList<TimedCall> Calls,
    Func<SegmentSent, SegmentFate>? Fate = null, bool Attacker = false);

/// <summary>The named scenarios of <c>tcpmodel simulate --scenario</c>.</summary>
public static class NamedScenarios
{
    private const long S = 1_000_000;

    /// <summary>A lifecycle: B listens, A connects, A sends 5 octets, B 5, A closes first, then B.</summary>
    public static IReadOnlyList<TimedCall> Lifecycle(long closeA = 1 * S, long closeB = 2 * S, long sendB = 300_000) =>
    [
        new(0, Ev.OpenPassive(Side.B)), new(1_000, Ev.OpenActive(Side.A)),
        new(200_000, Ev.Send(Side.A, 5)), new(sendB, Ev.Send(Side.B, 5)),
        new(closeA, Ev.Close(Side.A)), new(closeB, Ev.Close(Side.B)),
    ];

    /// <summary>All scenarios, by name.</summary>
    public static IReadOnlyList<NamedScenario> All { get; } =
    [
        new("lifecycle", "open, data both ways, A closes then B (the default)", Lifecycle()),
        // B sends only once connected: a SEND in LISTEN would open actively (RFC 9293 §3.10.2) and the SYNs would cross
        new("lost-syn", "A's first SYN is lost; its retransmission timer sends it again", Lifecycle(4 * S, 5 * S, sendB: 2 * S),
            s => s.From == Side.A && s.Segment.Syn && !s.Segment.HasAck && s.First("syn") ? SegmentFate.Lose : SegmentFate.Random),
        new("lost-synack", "B's SYN,ACK is lost; A's SYN is retransmitted and B answers it again", Lifecycle(4 * S, 5 * S),
            s => s.From == Side.B && s.Segment.Syn && s.Segment.HasAck && s.First("synack") ? SegmentFate.Lose : SegmentFate.Random),
        new("duplicate-syn", "A's SYN arrives twice; the duplicate in SYN-RECEIVED is acknowledged, not a new connection", Lifecycle(),
            s => s.From == Side.A && s.Segment.Syn && s.First("dup") ? SegmentFate.Duplicate : SegmentFate.Random),
        new("lost-fin", "A's FIN is lost; A retransmits it and the close completes", Lifecycle(),
            s => s.From == Side.A && s.Segment.Fin && s.First("fin") ? SegmentFate.Lose : SegmentFate.Random),
        new("lost-last-ack", "A's ACK of B's FIN is lost; B retransmits its FIN, TIME-WAIT acknowledges it again", Lifecycle(),
            s => s.From == Side.A && s.Run[Side.A].State == TcpState.TimeWait && !s.Segment.Fin && !s.Segment.Syn && s.First("last") ? SegmentFate.Lose : SegmentFate.Random),
        new("reordered-ack", "A's data segment overtakes its handshake ACK (ACKs and data arrive out of order)",
            [new(0, Ev.OpenPassive(Side.B)), new(1_000, Ev.OpenActive(Side.A)), new(22_000, Ev.Send(Side.A, 5)),
             new(1 * S, Ev.Close(Side.A)), new(2 * S, Ev.Close(Side.B))],
            s => s.From == Side.A && !s.Segment.Syn && s.Segment.Payload.IsEmpty && !s.Segment.Fin && s.First("ack") ? SegmentFate.Reorder : SegmentFate.Random),
        new("old-duplicate-after-time-wait", "a copy of A's data segment is delayed beyond 2 MSL and arrives after both sides closed", Lifecycle(),
            s => s.From == Side.A && !s.Segment.Payload.IsEmpty && s.First("old") ? SegmentFate.OldDuplicate : SegmentFate.Random),
        new("simultaneous-open", "both sides OPEN actively at once: SYNs cross, both pass through SYN-RECEIVED",
            [new(0, Ev.OpenActive(Side.A)), new(0, Ev.OpenActive(Side.B)), new(200_000, Ev.Send(Side.A, 2)),
             new(1 * S, Ev.Close(Side.A)), new(2 * S, Ev.Close(Side.B))]),
        new("simultaneous-close", "both sides CLOSE at once: FINs cross, both pass through CLOSING to TIME-WAIT", Lifecycle(1 * S, 1 * S)),
        new("half-close", "A closes its direction first; B keeps sending, A keeps receiving in FIN-WAIT-2",
            [new(0, Ev.OpenPassive(Side.B)), new(1_000, Ev.OpenActive(Side.A)), new(200_000, Ev.Send(Side.A, 7)),
             new(300_000, Ev.Close(Side.A)), new(500_000, Ev.Send(Side.B, 7)), new(700_000, Ev.Send(Side.B, 7)),
             new(1 * S, Ev.Close(Side.B))]),
        new("blind-reset", "an off-path attacker throws RSTs and SYNs at guessed sequence numbers during the connection",
            Lifecycle(3 * S, 4 * S), Attacker: true),
    ];

    /// <summary>Finds a scenario by name.</summary>
    public static NamedScenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Turns user calls at virtual times and a seeded faulty network into a timed <see cref="Scenario"/> for the
/// <see cref="Simulator"/>: each segment a side sends gets its fate when it is sent (a scenario's rule, else the
/// seeded faults: lost, duplicated, held back so later ones overtake it, or an old duplicate that arrives after
/// 2 MSL), arrives one delay later as a delivery of that segment out of the channel, timers fire at their
/// deadlines, each side RECEIVEs what is on hand after an arrival, and an off-path attacker throws RSTs and SYNs
/// near RCV.NXT. The schedule is drawn beside a running <see cref="Simulator"/> (so that fates apply to what
/// was really sent) and is then an ordinary scenario: running it again gives the same run. Deterministic for a
/// seed (its own xorshift generator, no clock).
/// </summary>
public static class TimedSchedule
{
    /// <summary>A's and B's initial sequence numbers (A's SYN, data and FIN cross 2^32).</summary>
    public const uint IssA = 4_294_966_000, IssB = 2_000_000_000;

    private enum Act : byte { Deliver, Lose, Duplicate, DeliverThenOld, Replay }

    private sealed record Planned(long At, long Order, Side To, long Id, Act Act, long SentAt, int Replay = 0);

    /// <summary>Draws the timed schedule of <paramref name="calls"/> on a network with <paramref name="faults"/> under
    /// <paramref name="profile"/>, seeded by <paramref name="seed"/>, until <paramref name="until"/> (µs) or until
    /// nothing is left to happen.</summary>
    public static Scenario Generate(IReadOnlyList<TimedCall> calls, Faults faults, ulong seed, Profile profile,
        Func<SegmentSent, SegmentFate>? fate = null, long until = 600_000_000)
    {
        var rng = new Rng(seed);
        var sim = new Simulator(new Scenario(IssA, IssB, []) { Timed = true }, profile) { Quiet = true };
        var events = new List<Ev>();
        var pending = calls.OrderBy(c => c.At).ToList(); // stable: calls at one time keep their order
        var lanes = new[] { new List<long>(), new List<long>() }; // ids of the segments in flight to A, to B (the simulator's order)
        var plan = new List<Planned>();
        var marks = new HashSet<string>();
        var sent = new int[2];
        long order = 0, ids = 0;
        int next = 0;
        long d = faults.DelayMicros;
        long attackAt = faults.Attacker ? 50_000 : long.MaxValue;

        void Apply(Ev e)
        {
            events.Add(e);
            sim.Apply(e);
            foreach (var to in new[] { Side.A, Side.B })
            {
                var lane = lanes[(int)to];
                var inFlight = sim.InFlightTo(to);
                while (lane.Count < inFlight.Count)
                {
                    var seg = inFlight[lane.Count];
                    var from = to == Side.A ? Side.B : Side.A;
                    var f = fate?.Invoke(new SegmentSent(from, ++sent[(int)from], seg, sim, marks)) ?? SegmentFate.Random;
                    if (f == SegmentFate.Random)
                        f = rng.NextDouble() < faults.Loss ? SegmentFate.Lose
                            : rng.NextDouble() < faults.Duplicate ? SegmentFate.Duplicate
                            : rng.NextDouble() < faults.Reorder ? SegmentFate.Reorder : SegmentFate.Deliver;
                    long id = ids++, now = sim.Now;
                    lane.Add(id);
                    switch (f)
                    {
                        case SegmentFate.Lose: plan.Add(new(now + d, order++, to, id, Act.Lose, now)); break;
                        case SegmentFate.Duplicate:
                            plan.Add(new(now + d, order++, to, id, Act.Duplicate, now));
                            plan.Add(new(now + d + d / 2 + 1, order++, to, id, Act.Deliver, now));
                            break;
                        case SegmentFate.Reorder: plan.Add(new(now + 3 * d, order++, to, id, Act.Deliver, now)); break;
                        case SegmentFate.OldDuplicate: plan.Add(new(now + d, order++, to, id, Act.DeliverThenOld, now)); break;
                        default: plan.Add(new(now + d, order++, to, id, Act.Deliver, now)); break;
                    }
                }
            }
        }

        void PassTo(long t)
        {
            for (long left = t - sim.Now; left > 0; left -= int.MaxValue)
                Apply(Ev.Elapse((int)Math.Min(left, int.MaxValue)));
        }

        // each side's user reads what is on hand, as an application would after data arrives
        void ReceiveAll(Side side)
        {
            for (int n = 0; n < 100; n++)
            {
                var ep = sim[side];
                int count = ep.Tcb.ReceiveQueue.Count;
                if (count == 0 || ep.State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait)) return;
                Apply(Ev.Receive(side, Math.Min(count, 64)));
                if (ep.Tcb.ReceiveQueue.Count == count) return;
            }
        }

        for (int guard = 0; guard < 100_000 && sim.Failure is null; guard++)
        {
            long tCall = next < pending.Count ? pending[next].At : long.MaxValue;
            var seg = plan.Count == 0 ? null : plan.MinBy(p => (p.At, p.Order));
            long tSeg = seg?.At ?? long.MaxValue;
            long tTimer = Math.Min(sim[Side.A].NextDeadline, sim[Side.B].NextDeadline);
            long t = Math.Min(Math.Min(tCall, tSeg), Math.Min(tTimer, attackAt));
            if (t == long.MaxValue || t > until) break;
            if (t == attackAt && tTimer == TimerSet.Off && tSeg == long.MaxValue && tCall == long.MaxValue) break;
            if (t == tCall)
            {
                PassTo(t);
                Apply(pending[next++].Call);
            }
            else if (t == tSeg)
            {
                plan.Remove(seg!);
                PassTo(t);
                if (seg!.Act == Act.Replay)
                {
                    Apply(Ev.Replay(seg.To, seg.Replay));
                    ReceiveAll(seg.To);
                    continue;
                }
                var lane = lanes[(int)seg.To];
                int index = lane.IndexOf(seg.Id);
                if (index < 0) continue;
                if (seg.Act != Act.Duplicate) lane.RemoveAt(index);
                Apply(seg.Act switch
                {
                    Act.Lose => Ev.LoseAt(seg.To, index),
                    Act.Duplicate => Ev.DuplicateAt(seg.To, index),
                    _ => Ev.DeliverAt(seg.To, index),
                });
                if (seg.Act == Act.DeliverThenOld)
                    plan.Add(new(seg.SentAt + 2 * profile.Msl + 1_000_000, order++, seg.To, seg.Id, Act.Replay, seg.SentAt, sim.DeliveredTo(seg.To).Count - 1));
                if (seg.Act != Act.Lose) ReceiveAll(seg.To);
            }
            else if (t == tTimer)
            {
                Apply(Ev.Tick());
            }
            else
            {
                PassTo(t);
                // an off-path attacker: an RST or a SYN at a guessed sequence number, at the target's RCV.NXT,
                // inside its window or outside it
                var to = rng.NextDouble() < 0.5 ? Side.A : Side.B;
                if (sim[to].State.IsSynchronized())
                {
                    double r = rng.NextDouble();
                    int arg = r < 0.2 ? 0
                        : r < 0.7 ? 1 + 3 * (int)(rng.NextDouble() * 65_535)
                        : 2 + 3 * (int)(rng.NextDouble() * 2_000);
                    Apply(rng.NextDouble() < 0.6 ? Ev.InjectRst(to, arg) : Ev.InjectSyn(to, arg));
                }
                attackAt = sim.Now + 200_000 + (long)(rng.NextDouble() * 800_000);
            }
        }
        return new Scenario(IssA, IssB, events) { Timed = true };
    }

    /// <summary>Draws the schedule and runs it under <paramref name="profile"/> (the run <c>tcpmodel simulate</c> prints).</summary>
    public static Simulator Run(IReadOnlyList<TimedCall> calls, Faults faults, ulong seed, Profile profile, Func<SegmentSent, SegmentFate>? fate = null)
    {
        var sim = new Simulator(Generate(calls, faults, seed, profile, fate), profile);
        sim.Run();
        return sim;
    }

    /// <summary>The run as text: the ladder in virtual time, the final states, what each user received and the notices.</summary>
    public static string Text(Simulator sim, ulong seed)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"tcpmodel simulate: profile {sim.Profile.Name}, seed {seed}, {sim.Scenario.Events.Count} events");
        sb.Append(sim.Ladder);
        sb.AppendLine(CultureInfo.InvariantCulture, $"final: A {sim[Side.A].State.RfcName()}, B {sim[Side.B].State.RfcName()} at {sim.Now / 1e6:0.000}s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"A received \"{Ascii(sim.Read[0])}\" (B sent \"{Ascii(sim.Sent[1])}\")");
        sb.AppendLine(CultureInfo.InvariantCulture, $"B received \"{Ascii(sim.Read[1])}\" (A sent \"{Ascii(sim.Sent[0])}\")");
        foreach (var (time, side, n) in sim.NoticeLog)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {time / 1e6:0.000}s {side}: {n.Text()}");
        if (sim.Failure is not null) sb.AppendLine("failure: " + sim.Failure);
        return sb.ToString();
    }

    /// <summary>The run as JSON: rows, final states, what each user received, the notices.</summary>
    public static string Json(Simulator sim, ulong seed)
    {
        var o = new
        {
            profile = sim.Profile.Name,
            seed,
            rows = sim.Rows.Select(r => new
            {
                time_us = r.Time, side = r.Side.ToString(), @event = r.Event, segment = r.Segment?.ToShortString(), note = r.Note,
                a = r.A.RfcName(), b = r.B.RfcName(),
            }),
            final = new { a = sim[Side.A].State.RfcName(), b = sim[Side.B].State.RfcName(), time_us = sim.Now },
            received = new { a = Ascii(sim.Read[0]), b = Ascii(sim.Read[1]) },
            sent = new { a = Ascii(sim.Sent[0]), b = Ascii(sim.Sent[1]) },
            notices = sim.NoticeLog.Select(n => new { time_us = n.Time, side = n.Side.ToString(), notice = n.Notice.Text() }),
        };
        return System.Text.Json.JsonSerializer.Serialize(o, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Ascii(List<byte> octets) => Encoding.ASCII.GetString([.. octets]);

    /// <summary>xorshift64: deterministic, no clock.</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _s = seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL is var x && x == 0 ? 1 : seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;

        public double NextDouble()
        {
            _s ^= _s << 13;
            _s ^= _s >> 7;
            _s ^= _s << 17;
            return (_s >> 11) * (1.0 / (1UL << 53));
        }
    }
}
