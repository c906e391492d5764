using TcpModel.Machine;

namespace TcpModel.Network;

/// <summary>What a <see cref="ScheduleGenerator"/> may draw.</summary>
/// <param name="Timers">Time advance (a Tick to the earliest timer, waits of up to 3 s); without it only the
/// TIME-WAIT expiry.</param>
/// <param name="Attacks">The off-path attacker's RSTs and SYNs near RCV.NXT.</param>
/// <param name="Crafted">Crafted segments of every control combination at chosen SEQ/ACK positions.</param>
/// <param name="CraftedText">Crafted segments may carry text (an attacker's octets).</param>
/// <param name="UserOpens">OPEN calls after the first opening (reopening, OPEN in a wrong state).</param>
/// <param name="Aborts">ABORT calls.</param>
/// <param name="UnspecifiedOpens">Passive OPENs with the foreign socket unspecified (the reference has no such OPEN).</param>
/// <param name="Network">Weight of network events against user calls (loss, duplication, reordering, replay).</param>
public sealed record GeneratorOptions(
    bool Timers = true, bool Attacks = true, bool Crafted = true, bool CraftedText = true,
    bool UserOpens = true, bool Aborts = true, int Network = 100, bool UnspecifiedOpens = true)
{
    /// <summary>Everything: the adversarial default.</summary>
    public static GeneratorOptions Adversarial { get; } = new();

    /// <summary>What P-04 (data integrity) draws: no attacker text.</summary>
    public static GeneratorOptions NoInjectedText { get; } = new(CraftedText: false);

    /// <summary>One incarnation on a faulty network: no attacker, no crafted segments, no reopening, no ABORT.</summary>
    public static GeneratorOptions OneIncarnation { get; } = new(Attacks: false, Crafted: false, UserOpens: false, Aborts: false);

    /// <summary>A compact text form (for <c>--replay</c>).</summary>
    public string Code => string.Concat(Timers ? "t" : "", Attacks ? "a" : "", Crafted ? "c" : "", CraftedText ? "x" : "",
        UserOpens ? "o" : "", Aborts ? "b" : "", UnspecifiedOpens ? "u" : "", Network == 100 ? "" : "n" + Network.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Reads <see cref="Code"/>.</summary>
    public static GeneratorOptions FromCode(string code) =>
        new(code.Contains('t'), code.Contains('a'), code.Contains('c'), code.Contains('x'), code.Contains('o'), code.Contains('b'),
            code.IndexOf('n') is var n && n >= 0 && int.TryParse(code.AsSpan(n + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var w) ? w : 100,
            code.Contains('u'));
}

/// <summary>
/// Draws adversarial schedules from the current state, as model-based (stateful) testing does: a
/// <see cref="Simulator"/> runs alongside, and each next event is drawn only from those whose
/// precondition holds now — a delivery only when something is in flight, a reorder only with two, a
/// RECEIVE mostly when octets are on hand, OPEN mostly in CLOSED, the TIME-WAIT expiry only in
/// TIME-WAIT, a Tick only when a timer runs — with weights that favour what moves a connection
/// through its lifecycle. Deterministic for a seed (its own xorshift generator), so a property's
/// case can be regenerated from its seed and size (<c>tcpmodel simulate --replay</c>).
/// </summary>
public static class ScheduleGenerator
{
    /// <summary>Draws a schedule of at most <paramref name="size"/> events under <paramref name="profile"/>.</summary>
    public static Scenario Generate(ulong seed, int size, GeneratorOptions? options = null, Profile? profile = null)
    {
        options ??= GeneratorOptions.Adversarial;
        var rng = new Rng(seed);
        uint issA = Iss(rng), issB = Iss(rng);
        var events = new List<Ev>();
        var sim = new Simulator(new Scenario(issA, issB, []), profile ?? Profile.Rfc9293, null, seededBugs: false);
        var opening = rng.Next(8) switch
        {
            < 4 => new[] { Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A) },
            4 => [Ev.OpenPassive(Side.A), Ev.OpenActive(Side.B)],
            5 or 6 => [Ev.OpenActive(Side.A), Ev.OpenActive(Side.B)],
            _ => [],
        };
        foreach (var e in opening.Take(size))
        {
            events.Add(e);
            sim.Apply(e);
        }
        var choices = new List<(int Weight, Ev Event)>();
        while (events.Count < size && sim.Failure is null)
        {
            choices.Clear();
            Enabled(sim, options, rng, choices);
            int total = choices.Sum(c => c.Weight);
            int pick = rng.Next(total);
            Ev next = choices[^1].Event;
            foreach (var (w, ev) in choices)
            {
                if (pick < w) { next = ev; break; }
                pick -= w;
            }
            events.Add(next);
            sim.Apply(next);
        }
        return new Scenario(issA, issB, events) { Seed = seed, Size = size, Options = options };
    }

    /// <summary>An ISN within 2000 of 2^32 (so the connection's numbers wrap), or 0 / 2^31 now and then.</summary>
    private static uint Iss(Rng rng) => rng.Next(9) switch
    {
        8 => (rng.Next(3)) switch { 0 => 0u, 1 => 1u << 31, _ => (1u << 31) - 1 },
        < 4 => uint.MaxValue - (uint)rng.Next(12), // so close that the SYN, a few octets or the FIN cross 2^32
        _ => uint.MaxValue - (uint)rng.Next(2000),
    };

    /// <summary>The events enabled in the simulator's current state, weighted.</summary>
    private static void Enabled(Simulator sim, GeneratorOptions o, Rng rng, List<(int, Ev)> choices)
    {
        int net = o.Network;
        foreach (var side in new[] { Side.A, Side.B })
        {
            var ep = sim[side];
            var st = ep.State;
            int inFlight = sim.InFlightTo(side).Count;
            if (inFlight > 0)
            {
                // The faults that matter get more weight when the segment at the head is one they matter
                // for: a FIN, the last ACK (its sender is in TIME-WAIT), a SYN.
                var head = sim.InFlightTo(side)[0];
                var sender = sim[side == Side.A ? Side.B : Side.A].State;
                bool lastAck = sender == TcpState.TimeWait && !head.Fin && !head.Syn && !head.Rst;
                choices.Add((30 * net / 100, Ev.Deliver(side)));
                choices.Add(((lastAck ? 30 : head.Fin ? 12 : 4) * net / 100, Ev.Lose(side)));
                choices.Add(((head.Syn ? 8 : 3) * net / 100, Ev.Duplicate(side)));
            }
            if (inFlight > 1) choices.Add((4 * net / 100, Ev.Reorder(side)));
            if (sim.DeliveredTo(side).Count > 0) choices.Add((2 * net / 100 + 1, Ev.Replay(side, rng.Next(20))));
            if (o.Attacks && st.IsSynchronized())
            {
                // a SYN above RCV.NXT reopens TIME-WAIT; an RST then tests the new incarnation
                choices.Add((st == TcpState.SynReceived ? 3 : 1, Ev.InjectRst(side, rng.Next(30))));
                choices.Add((st == TcpState.TimeWait ? 4 : 1, Ev.InjectSyn(side, rng.Next(30))));
            }
            if (o.Crafted && st != TcpState.Closed)
            {
                int form;
                do form = rng.Next(Ev.CraftedForms);
                while (!o.CraftedText && Ev.CraftedCarriesText(form));
                // the rarer the state, the more of its segment classes are worth trying
                choices.Add((st is TcpState.Established ? 2 : st is TcpState.Closing or TcpState.LastAck or TcpState.TimeWait or TcpState.CloseWait ? 12 : 6, Ev.InjectSegment(side, form)));
            }

            bool open = st is TcpState.SynSent or TcpState.SynReceived or TcpState.Established or TcpState.CloseWait;
            if (st == TcpState.Closed && (o.UserOpens || !sim.StatesSeen.Contains(TcpState.SynSent) && !sim.StatesSeen.Contains(TcpState.Listen)))
            {
                choices.Add((6, Ev.OpenActive(side)));
                choices.Add((6, Ev.OpenPassive(side)));
                if (o.UnspecifiedOpens) choices.Add((1, Ev.OpenPassiveUnspecified(side)));
            }
            else if (o.UserOpens) choices.Add((1, rng.Next(2) == 0 ? Ev.OpenActive(side) : Ev.OpenPassive(side)));
            choices.Add((open ? 8 : 1, Ev.Send(side, 1 + rng.Next(3))));
            choices.Add((ep.Tcb.ReceiveQueue.Count > 0 ? 8 : 1, Ev.Receive(side, rng.Next(3) switch { 0 => 1, 1 => 2, _ => 64 })));
            choices.Add((open || st == TcpState.Listen ? 5 : 1, Ev.Close(side)));
            if (o.Aborts) choices.Add((1, Ev.Abort(side)));
            choices.Add((1, Ev.Status(side)));
            if (st == TcpState.TimeWait) choices.Add((o.Timers ? 2 : 4, Ev.TimeWaitExpires(side)));
        }
        if (o.Timers)
        {
            if (Math.Min(sim[Side.A].NextDeadline, sim[Side.B].NextDeadline) != TimerSet.Off) choices.Add((5, Ev.Tick()));
            choices.Add((1, Ev.Wait(1 + rng.Next(30))));
        }
    }

    /// <summary>xorshift64*: deterministic, no clock.</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _s = seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL is var x && x == 0 ? 1 : seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;

        public int Next(int n)
        {
            _s ^= _s >> 12;
            _s ^= _s << 25;
            _s ^= _s >> 27;
            return (int)((_s * 2685821657736338717UL >> 33) % (ulong)Math.Max(1, n));
        }
    }
}
