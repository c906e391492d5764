using System.Text;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>
/// The named claims of spec/properties.md as checks on one case: null when the claim holds,
/// otherwise why not, with the ladder of the run. Property tests generate the cases;
/// Regressions.cs replays the ones that once failed.
/// </summary>
public static partial class Claims
{
    private static Profile[] EventProfiles => BuiltInProfiles;

    /// <summary>Asserts that a claim holds for a scenario (used by regression tests).</summary>
    public static void AssertHolds(Func<Scenario, string?> claim, Scenario scenario)
    {
        var why = claim(scenario);
        if (why is not null) throw new PropertyFailedException(why);
    }

    /// <summary>Asserts that a claim holds for a segment attack (used by regression tests).</summary>
    public static void AssertHolds(Func<SegmentAttack, string?> claim, SegmentAttack attack)
    {
        var why = claim(attack);
        if (why is not null) throw new PropertyFailedException(why);
    }

    /// <summary>P-01: the model never throws on any segment in any state, and keeps P-02 meanwhile.</summary>
    public static string? P01(SegmentAttack attack) => SegmentAttacks.Run(attack);

    /// <summary>P-02: SND.UNA =&lt; SND.NXT after every step, on both sides, under both profiles.</summary>
    public static string? P02(Scenario s) => OnEveryStep(s, r =>
        r.Tcb.SndUna <= r.Tcb.SndNxt ? null : $"SND.UNA={r.Tcb.SndUna} > SND.NXT={r.Tcb.SndNxt} in {r.After.RfcName()}");

    /// <summary>P-03: RCV.NXT never moves backwards within one connection incarnation.</summary>
    public static string? P03(Scenario s) => OnEveryStep(s, r =>
    {
        bool sameIncarnation = r.Before.IsSynchronized() && r.After.IsSynchronized() && r.Tcb.Irs == r.IrsBefore;
        return !sameIncarnation || r.Tcb.RcvNxt >= r.RcvNxtBefore ? null
            : $"RCV.NXT moved back from {r.RcvNxtBefore} to {r.Tcb.RcvNxt} in {r.After.RfcName()}";
    });

    /// <summary>P-04: what RECEIVE hands the user is, within an incarnation, a prefix of what the
    /// peer's user SENT: no reordering, duplication or corruption, whatever the network does. And it is
    /// complete once the network heals: when the network becomes lossless and in order, users read what
    /// is on hand and the timers run, every octet the peer's user SENT is delivered — unless a side's
    /// connection ended meanwhile (reset, refused, a timeout, CLOSED with octets unread) or an attacker's
    /// text was injected.</summary>
    public static string? P04(Scenario s)
    {
        foreach (var profile in EventProfiles)
        {
            var ended = new bool[2];
            var sim = new Simulator(s, profile)
            {
                Invariant = r =>
                {
                    if (r.Before.IsSynchronized() && r.After == TcpState.Closed || r.Notices.Any(n => n is Notice.ConnectionReset
                            or Notice.ConnectionRefused or Notice.UserTimeout or Notice.RetransmissionTimeout or Notice.ExcessiveRetransmissions))
                        ended[(int)r.Side] = true;
                    return null;
                },
            };
            foreach (var e in s.Events)
            {
                sim.Apply(e);
                if (Prefix(sim) is { } why) sim.Fail(why);
                if (sim.Failure is not null) return Explain(profile, sim);
            }
            sim.Heal();
            if (sim.Failure is null && Prefix(sim) is { } after) sim.Fail(after);
            if (sim.Failure is not null) return Explain(profile, sim);
            bool oneIncarnation = s.Events.Count(e => e.Kind is EvKind.OpenActive or EvKind.OpenPassive) <= 2
                                  && !s.Events.Any(e => e.Kind is EvKind.Abort) && sim.InjectedText[0] + sim.InjectedText[1] == 0;
            if (!oneIncarnation) continue;
            foreach (var side in new[] { Side.A, Side.B })
            {
                int i = (int)side;
                if (ended[0] || ended[1] || !sim.StatesSeen.Contains(TcpState.Established)) continue;
                var got = sim.Read[i].Skip(sim.IncarnationReadStart[i]).ToArray();
                var sent = sim.Sent[1 - i].ToArray();
                if (sent.Length > 0 && profile == EventProfiles[0]) PropertyRunner.Exercised();
                if (!got.AsSpan().SequenceEqual(sent))
                    sim.Fail($"after the network healed {side} has read \"{Encoding.ASCII.GetString(got)}\" ({sim[side].State.RfcName()}, " +
                             $"{sim[side].Tcb.ReceiveQueue.Count} octet(s) unread) but the peer sent \"{Encoding.ASCII.GetString(sent)}\": octets were lost");
            }
            if (sim.Failure is not null) return Explain(profile, sim);
        }
        return null;
    }

    /// <summary>P-04's prefix check at one moment.</summary>
    private static string? Prefix(Simulator sim)
    {
        foreach (var side in new[] { Side.A, Side.B })
        {
            int i = (int)side;
            var got = sim.Read[i].Skip(sim.IncarnationReadStart[i]).ToArray();
            var sent = sim.Sent[1 - i];
            if (got.Length > sent.Count || !got.AsSpan().SequenceEqual(sent.Take(got.Length).ToArray()))
                return $"{side} delivered \"{Encoding.ASCII.GetString(got)}\" but the peer sent \"{Encoding.ASCII.GetString([.. sent])}\"";
        }
        return null;
    }

    /// <summary>P-05: over a lossless network, OPEN/OPEN (passive/active or simultaneous) leaves
    /// both sides ESTABLISHED, whatever the interleaving of deliveries.</summary>
    public static string? P05(Scenario s)
    {
        var opens = s.Events.Where(e => e.Kind is EvKind.OpenActive or EvKind.OpenPassive).ToList();
        int firstDelivery = s.Events.ToList().FindIndex(e => e.IsNetwork);
        bool precondition = opens.Count == 2 && opens[0].Side != opens[1].Side
            && opens.Any(o => o.Kind == EvKind.OpenActive)
            && (firstDelivery < 0 || s.Events.Take(firstDelivery).Count(e => !e.IsNetwork) == 2)
            && s.Events.All(e => e.Kind is EvKind.OpenActive or EvKind.OpenPassive or EvKind.Deliver);
        if (!precondition) return null;
        PropertyRunner.Exercised();
        foreach (var profile in EventProfiles)
        {
            var sim = new Simulator(s, profile);
            sim.Run();
            sim.Drain();
            if (sim.Failure is null && (sim[Side.A].State != TcpState.Established || sim[Side.B].State != TcpState.Established))
                sim.Fail($"after the network drained: A {sim[Side.A].State.RfcName()}, B {sim[Side.B].State.RfcName()}; both should be ESTABLISHED");
            if (sim.Failure is not null) return Explain(profile, sim);
        }
        return null;
    }

    /// <summary>P-06: after a normal close over a lossless network, every active closer (a side that
    /// went through FIN-WAIT-1) is in TIME-WAIT; it stays there until exactly 2 MSL after it entered
    /// TIME-WAIT or last received the peer's FIN there, and is CLOSED at that instant. A passive
    /// closer is CLOSED.</summary>
    public static string? P06(Scenario s)
    {
        var closes = s.Events.Where(e => e.Kind == EvKind.Close).ToList();
        bool precondition = closes.Count == 2 && closes[0].Side != closes[1].Side
            && s.Events.All(e => e.Kind is EvKind.OpenActive or EvKind.OpenPassive or EvKind.Deliver
                or EvKind.Send or EvKind.Receive or EvKind.Close);
        if (!precondition) return null;
        // POLICY time-wait-ack-rule every-ack restarts 2 MSL on every acceptable segment, so after a
        // simultaneous close the TIME-WAIT ends' ACKs keep each other there (spec/properties.md P-06, P-18).
        foreach (var profile in EventProfiles.Where(p => p.TimeWaitAckRule != TimeWaitAckRule.EveryAck))
        {
            var sim = new Simulator(s, profile);
            bool established = true;
            foreach (var e in s.Events)
            {
                if (e.Kind == EvKind.Close)
                    established &= sim[e.Side].State is TcpState.SynReceived or TcpState.Established or TcpState.CloseWait;
                sim.Apply(e);
            }
            sim.Drain();
            if (!established) return null;
            if (profile == EventProfiles[0]) PropertyRunner.Exercised();
            var failure = sim.Failure ?? TimeWaitLastsTwoMsl(sim, profile);
            if (failure is not null) return Explain(profile, sim);
        }
        return null;
    }

    /// <summary>P-25: when the last ACK is lost, the passive closer's retransmission timer resends its
    /// FIN; the side in TIME-WAIT acknowledges every retransmitted FIN again and restarts its 2 MSL
    /// timer from that FIN's arrival; the passive closer reaches CLOSED once an ACK gets through.</summary>
    public static string? P25(Scenario s)
    {
        int lost = s.Events.Count(e => e.Kind == EvKind.Lose);
        if (lost == 0) return null;
        foreach (var profile in EventProfiles)
        {
            int finRetransmissions = 0;
            var sim = new Simulator(s, profile)
            {
                Invariant = r =>
                {
                    if (r.Before == TcpState.LastAck && r.Label.EndsWith("timer", StringComparison.Ordinal) && r.Emitted.Any(x => x.Fin))
                        finRetransmissions++;
                    if (r.Before != TcpState.TimeWait || !r.Label.StartsWith("arrives", StringComparison.Ordinal)) return null;
                    if (r.After != TcpState.TimeWait) return $"left TIME-WAIT for {r.After.RfcName()} on a retransmitted FIN";
                    if (!r.Emitted.Any(x => x.Control == Control.ACK && x.Ack == r.Tcb.RcvNxt))
                        return $"no <ACK={r.Tcb.RcvNxt}> for the retransmitted FIN (sent: {string.Join(", ", r.Emitted.Select(x => x.ToShortString()))})";
                    return null;
                },
            };
            var passive = Side.B;
            bool lastAckSeen = false;
            foreach (var e in s.Events)
            {
                sim.Apply(e);
                lastAckSeen |= sim[passive].State == TcpState.LastAck;
            }
            if (!lastAckSeen || sim[Side.A].State != TcpState.TimeWait) return null;
            if (profile == EventProfiles[0]) PropertyRunner.Exercised();
            sim.Drain();
            if (sim.Failure is null && finRetransmissions < lost)
                sim.Fail($"{lost} last ACK(s) lost but the FIN was retransmitted only {finRetransmissions} time(s)");
            if (sim.Failure is null && sim[passive].State != TcpState.Closed)
                sim.Fail($"B is {sim[passive].State.RfcName()} after an ACK of its FIN got through; expected CLOSED");
            var failure = sim.Failure ?? TimeWaitLastsTwoMsl(sim, profile);
            if (failure is not null) return Explain(profile, sim);
        }
        return null;
    }

    /// <summary>P-08 under rfc9293: the model and the reference (RFC 5961 on) agree on every step.</summary>
    public static string? P08Rfc9293(Scenario s) => Differ(s, rfc5961: true);

    /// <summary>P-08 under rfc793: the model and the reference (RFC 5961 off) agree on every step.</summary>
    public static string? P08Rfc793(Scenario s) => Differ(s, rfc5961: false);

    /// <summary>P-08 with 4-octet receive buffers (zero windows, text and FIN trimmed at the right
    /// edge) the model and the reference agree on every step, under both profiles.</summary>
    public static string? P08FourOctetBuffers(Scenario s) => Differ(s, rfc5961: true, receiveBuffer: 4) ?? Differ(s, rfc5961: false, receiveBuffer: 4);

    private static string? Differ(Scenario s, bool rfc5961, int receiveBuffer = 65535)
    {
        var profile = Differential.ProfileFor(rfc5961, receiveBuffer);
        var sim = new Simulator(s, profile, Differential.ShadowFor(s, rfc5961, receiveBuffer));
        return sim.Run() is null ? null : Explain(profile, sim);
    }

    /// <summary>Checks the TIME-WAIT timing of every active closer and that passive closers are CLOSED.</summary>
    private static string? TimeWaitLastsTwoMsl(Simulator sim, Profile profile)
    {
        var checkpoints = new List<(long At, Side Side, bool Expired)>();
        foreach (var side in new[] { Side.A, Side.B })
        {
            int i = (int)side;
            var ep = sim[side];
            if (!sim.ActiveCloser[i])
            {
                if (ep.State != TcpState.Closed) sim.Fail($"passive closer {side} is {ep.State.RfcName()}, expected CLOSED");
                continue;
            }
            if (ep.State != TcpState.TimeWait)
            {
                sim.Fail($"active closer {side} is {ep.State.RfcName()}, expected TIME-WAIT");
                continue;
            }
            long deadline = sim.TimeWaitStart[i] + 2 * profile.Msl;
            checkpoints.Add((deadline - 1, side, false));
            checkpoints.Add((deadline, side, true));
        }
        // Both sides' checkpoints in time order: a side in TIME-WAIT at 2 MSL - 1 µs, CLOSED at 2 MSL.
        foreach (var (at, side, expired) in checkpoints.OrderBy(c => c.At))
        {
            if (sim.Failure is not null) break;
            var started = sim.TimeWaitStart[(int)side];
            sim.TickAt(side, at);
            var state = sim[side].State;
            if (!expired && state != TcpState.TimeWait)
                sim.Fail($"{side} left TIME-WAIT 1 µs before 2 MSL had passed since {started} µs (now {state.RfcName()})");
            if (expired && state != TcpState.Closed)
                sim.Fail($"{side} is still {state.RfcName()} exactly 2 MSL after {started} µs; expected CLOSED");
        }
        return sim.Failure;
    }

    private static string? OnEveryStep(Scenario s, Func<StepRecord, string?> invariant)
    {
        foreach (var profile in EventProfiles)
        {
            var sim = new Simulator(s, profile) { Invariant = invariant };
            if (sim.Run() is not null) return Explain(profile, sim);
        }
        return null;
    }

    private static string Explain(Profile profile, Simulator sim) =>
        $"Profile {profile.Name} (receive buffer {profile.ReceiveBuffer}{(sim.Profile.Mutant != Mutant.None ? ", seeded bug " + Mutants.Name(sim.Profile.Mutant) : "")}): {sim.Failure}\n\n" +
        (ScheduleReplay.CommandLine(sim.Scenario, profile) is { } replay
            ? $"Generated case: schedule seed {sim.Scenario.Seed}, size {sim.Scenario.Size}; the unshrunk run: {replay}\n\n" : "") +
        $"Ladder (states before each event; indented lines are what the step did):\n{sim.Ladder}\nMermaid:\n```mermaid\n{sim.Mermaid}```\n";
}
