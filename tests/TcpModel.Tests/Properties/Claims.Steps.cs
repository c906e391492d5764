using System.Text;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>The per-step invariants and run-level claims P-10 to P-22 of spec/properties.md.</summary>
public static partial class Claims
{
    /// <summary>The built-in profiles (spec/policies.md): every invariant holds under each.</summary>
    internal static readonly Profile[] BuiltInProfiles = [Profile.Rfc9293, Profile.Rfc793, Profile.Standard, Profile.FreeBsd];

    /// <summary>Profiles with every optional timer running (delayed ACK, keep-alive, a short user timeout),
    /// on rfc9293 and on linux (whose policies reset on CLOSE with unread data and drop an ACK of unsent
    /// data silently): the timer claims (P-15, P-16, P-22) run under these too, so the cells of those
    /// timers and policies fire in generated runs.</summary>
    internal static readonly Profile[] TimerProfiles =
    [
        Profile.Rfc9293 with { Name = "rfc9293+timers", DelayedAck = 200_000, KeepAliveIdle = 2_000_000, KeepAliveInterval = 1_000_000, UserTimeout = 20_000_000 },
        Profile.Linux with { Name = "linux+timers", DelayedAck = 200_000, KeepAliveIdle = 2_000_000, KeepAliveInterval = 1_000_000, UserTimeout = 20_000_000 },
    ];

    /// <summary>The built-in profiles and the timer profiles.</summary>
    internal static readonly Profile[] AllTimerProfiles = [.. BuiltInProfiles, .. TimerProfiles];

    /// <summary>P-10: every non-RST segment emitted lies in [ISS, SND.NXT] after the step (a zero-window probe's one octet
    /// at SND.NXT, which it does not advance, in [ISS, SND.NXT + 1]).</summary>
    public static string? P10(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
    {
        foreach (var seg in r.Emitted.Where(x => !x.Rst))
        {
            if (!(seg.Seq >= r.Tcb.Iss)) return $"sent {seg.ToShortString()} before ISS={r.Tcb.Iss}";
            // a zero-window probe's octet lies at SND.NXT, which it does not advance (§3.8.6.1; FreeBSD's snd_max)
            bool probe = r.Tcb.ProbeOutstanding && seg.Seq == r.Tcb.SndNxt && seg.Length.Value == 1;
            if (!(seg.Seq + seg.Length <= r.Tcb.SndNxt) && !probe) return $"sent {seg.ToShortString()} (SEG.LEN {seg.Length.Value}) beyond SND.NXT={r.Tcb.SndNxt}";
        }
        return null;
    });

    /// <summary>P-11: a segment carrying RST is never answered with an RST.</summary>
    public static string? P11(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
        r.Arrived is { Rst: true } && r.Emitted.FirstOrDefault(x => x.Rst) is { Rst: true } reply
            ? $"answered {r.Arrived.Value.ToShortString()} with {reply.ToShortString()}" : null);

    /// <summary>P-12: in a synchronized state every non-RST segment emitted has ACK = RCV.NXT.</summary>
    public static string? P12(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
    {
        if (!r.After.IsSynchronized()) return null;
        foreach (var seg in r.Emitted.Where(x => !x.Rst))
        {
            if ((seg.Control & Control.ACK) == 0 || seg.Ack != r.Tcb.RcvNxt)
                return $"sent {seg.ToShortString()} in {r.After.RfcName()} with RCV.NXT={r.Tcb.RcvNxt}";
        }
        return null;
    });

    /// <summary>The built-in profiles with 4-octet receive buffers: windows fill, close and reopen
    /// (standard and freebsd round the buffer up to the MSS once established, as they do).</summary>
    internal static readonly Profile[] FourOctetBuffers =
        [.. BuiltInProfiles.Select(p => p with { Name = p.Name + "-4-octet-buffer", ReceiveBuffer = 4 })];

    /// <summary>P-13: new text sent in a step ends within SND.UNA + SND.WND, except a one-octet
    /// probe of a zero window.</summary>
    public static string? P13(Scenario s)
    {
        bool exercised = false;
        var why = OnEveryStepUnderEveryProfile(s, r =>
        {
            exercised |= r.After.IsSynchronized() && r.Tcb.SendQueue.Count > r.Tcb.SndWnd; // the window holds text back
            return NewTextWithinWindow(r);
        }, profiles: [.. BuiltInProfiles, .. FourOctetBuffers]);
        if (exercised) PropertyRunner.Exercised();
        return why;
    }

    private static string? NewTextWithinWindow(StepRecord r)
    {
        if (!r.After.IsSynchronized()) return null;
        var edge = r.Tcb.SndUna + new SeqLen(r.Tcb.SndWnd);
        foreach (var seg in r.Emitted.Where(x => !x.Rst && x.Payload.Length > 0))
        {
            var textStart = seg.Syn ? seg.Seq + new SeqLen(1) : seg.Seq;
            var end = textStart + new SeqLen((uint)seg.Payload.Length);
            bool newText = end > r.SndNxtBefore;
            bool probe = r.Tcb.SndWnd == 0 && seg.Payload.Length == 1;
            if (newText && !probe && end > edge)
                return $"sent {seg.ToShortString()} ending at {end}, beyond SND.UNA+SND.WND={r.Tcb.SndUna}+{r.Tcb.SndWnd}";
        }
        return null;
    }

    /// <summary>P-14: RCV.NXT + RCV.WND never decreases within one synchronized incarnation.</summary>
    public static string? P14(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
    {
        if (!r.Before.IsSynchronized() || !r.After.IsSynchronized() || r.Tcb.Irs != r.IrsBefore) return null;
        var edge = r.Tcb.RcvNxt + new SeqLen(r.Tcb.RcvWnd);
        return edge >= r.RcvEdgeBefore ? null
            : $"RCV.NXT+RCV.WND moved left from {r.RcvEdgeBefore} to {edge} (RCV.NXT={r.Tcb.RcvNxt}, RCV.WND={r.Tcb.RcvWnd}) in {r.After.RfcName()}";
    }, profiles: [.. BuiltInProfiles, .. FourOctetBuffers]);

    /// <summary>P-15: in CLOSED the TCB holds nothing and no timer is armed.</summary>
    public static string? P15(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
    {
        if (r.After != TcpState.Closed) return null;
        var t = r.Tcb;
        var held = new List<string>();
        if (r.Endpoint.NextDeadline != TimerSet.Off) held.Add($"a timer due at {r.Endpoint.NextDeadline}");
        if (t.SendQueue.Count > 0) held.Add($"{t.SendQueue.Count} octet(s) to send");
        if (t.ReceiveQueue.Count > 0) held.Add($"{t.ReceiveQueue.Count} octet(s) received");
        if (!t.Reassembly.IsEmpty) held.Add("out-of-order octets");
        if (t.FinQueued || t.FinSent || t.FinReceived) held.Add("FIN flags");
        if (t.SndUna != default || t.SndNxt != default || t.Iss != default || t.RcvNxt != default || t.Irs != default)
            held.Add($"sequence variables (SND.UNA={t.SndUna} SND.NXT={t.SndNxt} ISS={t.Iss} RCV.NXT={t.RcvNxt} IRS={t.Irs})");
        return held.Count == 0 ? null : "CLOSED but holds " + string.Join(", ", held);
    }, profiles: AllTimerProfiles);

    /// <summary>P-16: after a step at t, NextDeadline is off or later than t, and a Tick before it
    /// changes nothing (state, variables, deadline; nothing sent, nothing told).</summary>
    public static string? P16(Scenario s) => OnEveryStepUnderEveryProfile(s, r =>
    {
        var ep = r.Endpoint;
        long deadline = ep.NextDeadline;
        if (deadline != TimerSet.Off && deadline <= r.Now)
        {
            // A driver that let a deadline pass and then made a user call or delivered a segment
            // has a Tick to catch up on: only a Tick must leave nothing due, and no step arms a new past deadline.
            bool overdueBefore = r.DeadlineBefore <= r.Now && deadline == r.DeadlineBefore && !r.WasTick;
            return overdueBefore ? null : $"NextDeadline {deadline} µs is not after now ({r.Now} µs)";
        }
        var before = Snapshot(ep);
        var outbox = new Outbox();
        ep.Step(Input.Tick, r.Now, outbox);
        if (outbox.SegmentCount > 0 || outbox.NoticeCount > 0)
            return $"a Tick at {r.Now} µs, before the deadline {deadline} µs, sent {outbox.SegmentCount} segment(s) and {outbox.NoticeCount} notice(s)";
        var after = Snapshot(ep);
        return after == before ? null : $"a Tick before the deadline changed the endpoint:\n  {before}\n  {after}";
    }, profiles: AllTimerProfiles);

    /// <summary>P-17: the same scenario run twice gives the same ladder, states, variables and deadlines.
    /// The two runs are built separately (a fresh copy of the profile, their own endpoints, outboxes and
    /// simulators) and stepped in lockstep, event by event, so state one run leaves behind anywhere it is
    /// shared (a static cache, a reused buffer, a thread-static) reaches the other before it steps; each
    /// step is compared in serialized form. <c>P17_TwoProcessesGiveTheSameRun</c> compares across processes.</summary>
    public static string? P17(Scenario s)
    {
        foreach (var profile in BuiltInProfiles)
        {
            var (trace1, sim1) = Tracing(s, profile);
            var (trace2, sim2) = Tracing(s, profile with { Name = profile.Name });
            foreach (var e in s.Events)
            {
                sim1.Apply(e);
                sim2.Apply(e);
                if (trace1.Count != trace2.Count || trace1.Count > 0 && trace1[^1] != trace2[^1])
                    return $"Profile {profile.Name}: after \"{e}\" the two runs differ:\n  {(trace1.Count > 0 ? trace1[^1] : "(nothing)")}\n  {(trace2.Count > 0 ? trace2[^1] : "(nothing)")}\n\n{sim1.Ladder}";
            }
            if (sim1.Ladder != sim2.Ladder) return $"Profile {profile.Name}: the ladders differ:\n{sim1.Ladder}\n---\n{sim2.Ladder}";
            if (!trace1.SequenceEqual(trace2)) return $"Profile {profile.Name}: the step traces differ";
            if (sim1.Failure is not null) return Explain(profile, sim1);
        }
        return null;
    }

    private static (List<string> Trace, Simulator Sim) Tracing(Scenario s, Profile profile)
    {
        var trace = new List<string>();
        var sim = new Simulator(s, profile)
        {
            Invariant = r =>
            {
                trace.Add($"{r.Side} {r.Label} at {r.Now}: {Snapshot(r.Endpoint)}; sent " +
                          string.Join(" ", r.Emitted.Select(x => x.ToString())) + "; told " + string.Join(",", r.Notices) +
                          "; fired " + string.Join(",", r.Fired.Select(f => f.Cell.Key.ToString())));
                return null;
            },
        };
        return (trace, sim);
    }

    /// <summary>P-18: over a reliable network with both users closing after their SENDs, the peer's
    /// octets are all on hand (read or queued) when "connection closing" is signalled, and both sides
    /// reach CLOSED once the timers have run.</summary>
    public static string? P18(Scenario s)
    {
        if (s.Events.Count(e => e.Kind == EvKind.Close) != 2) return null;
        foreach (var profile in BuiltInProfiles)
        {
            Simulator sim = null!;
            sim = new Simulator(s, profile)
            {
                Invariant = r =>
                {
                    if (!r.Notices.Contains(Notice.ConnectionClosing)) return null;
                    int i = (int)r.Side;
                    var onHand = sim.Read[i].Skip(sim.IncarnationReadStart[i])
                        .Concat(r.Tcb.ReceiveQueue.Peek(0, r.Tcb.ReceiveQueue.Count).ToArray()).ToArray();
                    var sent = sim.Sent[1 - i].ToArray();
                    return onHand.AsSpan().SequenceEqual(sent) ? null
                        : $"\"connection closing\" with \"{Encoding.ASCII.GetString(onHand)}\" on hand; the peer sent \"{Encoding.ASCII.GetString(sent)}\"";
                },
            };
            bool precondition = true;
            foreach (var e in s.Events)
            {
                // Each CLOSE comes from a synchronized, open connection with nothing unread (a CLOSE with
                // unread octets is the reset-on-close-with-unread-data policy's business, not a graceful close).
                if (e.Kind == EvKind.Close)
                    precondition &= sim[e.Side].State is TcpState.Established or TcpState.CloseWait && sim[e.Side].Tcb.ReceiveQueue.Count == 0;
                sim.Apply(e);
            }
            if (!precondition) return null;
            for (int n = 0; n < 400 && sim.Failure is null; n++)
            {
                if (sim.InFlightTo(Side.B).Count > 0) sim.Apply(Ev.Deliver(Side.B));
                else if (sim.InFlightTo(Side.A).Count > 0) sim.Apply(Ev.Deliver(Side.A));
                else if (Math.Min(sim[Side.A].NextDeadline, sim[Side.B].NextDeadline) != TimerSet.Off) sim.Apply(Ev.Tick());
                else break;
            }
            // POLICY time-wait-ack-rule every-ack (the literal §3.10.7.4 fifth check: acknowledge, restart
            // 2 MSL): after a simultaneous close the two TIME-WAIT ends acknowledge each other's ACKs for as
            // long as the network carries them (spec/policies.md); the drain stops, neither reaches CLOSED.
            bool ackPingPong = profile.TimeWaitAckRule == TimeWaitAckRule.EveryAck
                               && sim[Side.A].State == TcpState.TimeWait && sim[Side.B].State == TcpState.TimeWait;
            if (sim.Failure is null && !ackPingPong && (sim[Side.A].State != TcpState.Closed || sim[Side.B].State != TcpState.Closed))
                sim.Fail($"A is {sim[Side.A].State.RfcName()}, B {sim[Side.B].State.RfcName()} after the network drained and the timers ran; both should be CLOSED");
            if (sim.Failure is not null) return Explain(profile, sim);
            if (profile == BuiltInProfiles[0]) PropertyRunner.Exercised();
        }
        return null;
    }

    /// <summary>P-19: under rfc5961-rst an RST whose SEQ is not RCV.NXT never moves a synchronized
    /// connection out of its state.</summary>
    public static string? P19(Scenario s)
    {
        bool exercised = false;
        var why = OnEveryStepUnderEveryProfile(s, r =>
        {
            if (r.Arrived is not { Rst: true } rst || !r.Before.IsSynchronized() || rst.Seq == r.RcvNxtBefore) return null;
            exercised = true;
            return r.After == r.Before ? null
                : $"blind {rst.ToShortString()} (RCV.NXT={r.RcvNxtBefore}) moved {r.Before.RfcName()} to {r.After.RfcName()}";
        }, p => p.ChallengeAckOnRst);
        if (exercised) PropertyRunner.Exercised();
        return why;
    }

    /// <summary>A built-in profile with a low challenge-ACK limit, so that the limit is reached often.</summary>
    internal static readonly Profile LowChallengeLimit = Profile.Rfc9293 with { Name = "rfc9293-challenge-limit-2", ChallengeAckLimitPerSecond = 2 };

    /// <summary>P-20: challenge ACKs never exceed the limit within a throttling interval: an interval
    /// opens at a challenge ACK sent one second or more after the previous interval opened, and lasts one
    /// second (RFC 5961 §7); so never more than twice the limit in any one second.</summary>
    public static string? P20(Scenario s)
    {
        bool exercised = false;
        foreach (var profile in BuiltInProfiles.Append(LowChallengeLimit).Where(p => p.ChallengeAckLimitPerSecond > 0))
        {
            var sent = new List<long>[] { [], [] };
            var opened = new long[] { long.MinValue, long.MinValue };
            var inInterval = new int[2];
            var sim = new Simulator(s, profile)
            {
                Invariant = r =>
                {
                    int i = (int)r.Side;
                    if (r.After.IsSynchronized() && r.Tcb.Irs != r.IrsBefore || !r.After.IsSynchronized())
                    {
                        opened[i] = long.MinValue; // a new TCB starts its own count
                        inInterval[i] = 0;
                    }
                    bool challenge = r.Fired.Any(f => f.Cell.Effect == Effect.ChallengeAck);
                    if (!challenge || r.Emitted.Count == 0) return null;
                    exercised = true;
                    if (opened[i] == long.MinValue || r.Now - opened[i] >= 1_000_000) { opened[i] = r.Now; inInterval[i] = 0; }
                    inInterval[i]++;
                    return inInterval[i] <= profile.ChallengeAckLimitPerSecond ? null
                        : $"challenge ACK number {inInterval[i]} in the interval opened at {opened[i]} µs; the limit is {profile.ChallengeAckLimitPerSecond}";
                },
            };
            if (sim.Run() is not null) return Explain(profile, sim);
        }
        if (exercised) PropertyRunner.Exercised();
        return null;
    }

    /// <summary>P-21: a connection reopened from TIME-WAIT by a SYN uses an ISS above the old SND.NXT.</summary>
    public static string? P21(Scenario s)
    {
        bool exercised = false;
        var why = OnEveryStepUnderEveryProfile(s, r =>
        {
            if (r.Before != TcpState.TimeWait || r.After != TcpState.SynReceived) return null;
            exercised = true;
            return r.Tcb.Iss > r.SndNxtBefore ? null : $"reopened with ISS={r.Tcb.Iss}, not above the old SND.NXT={r.SndNxtBefore}";
        }, p => p.ReopenFromTimeWait);
        if (exercised) PropertyRunner.Exercised();
        return why;
    }

    /// <summary>
    /// P-22: after any scenario on a faulty network, the network falls silent (everything in flight and
    /// everything sent later is lost). Within the longest of 2 MSL and R2 / the user timeout (plus one
    /// maximal RTO), each side is CLOSED or waits with nothing unacknowledged in a state where the RFC
    /// gives it nothing to time (LISTEN, ESTABLISHED, FIN-WAIT-2, CLOSE-WAIT).
    /// </summary>
    public static string? P22(Scenario s)
    {
        // linux+timers used to stay ESTABLISHED with a zero-window probe outstanding past its 20 s user timeout
        // (seed 5309518284127577023 at 250 cases): the user timeout now ends a silent probe (Endpoint.FireDueTimers)
        foreach (var profile in AllTimerProfiles)
        {
            var sim = new Simulator(s, profile);
            sim.Run();
            long cut = sim.Now;
            long r2 = Math.Max(profile.R2, profile.R2Syn);
            long giveUp = profile.UserTimeout > 0 ? Math.Min(profile.UserTimeout, r2) : r2;
            long bound = cut + Math.Max(2 * profile.Msl, giveUp + profile.RtoMax);
            sim.Silence();
            for (int n = 0; n < 10_000 && sim.Failure is null; n++)
            {
                long next = Math.Min(sim[Side.A].NextDeadline, sim[Side.B].NextDeadline);
                if (next > bound) break;
                sim.Apply(Ev.Tick());
            }
            foreach (var side in new[] { Side.A, Side.B })
            {
                var ep = sim[side];
                var t = ep.Tcb;
                bool idle = t.SndUna == t.SndNxt && t.SendQueue.Count == 0 && !(t.FinQueued && !t.FinSent)
                            && ep.State is TcpState.Listen or TcpState.Established or TcpState.FinWait2 or TcpState.CloseWait;
                if (ep.State != TcpState.Closed && !idle)
                    sim.Fail($"{side} is still {ep.State.RfcName()} (SND.UNA={t.SndUna} SND.NXT={t.SndNxt}, {t.SendQueue.Count} octet(s) queued, " +
                             $"next timer {(ep.NextDeadline == TimerSet.Off ? "off" : ep.NextDeadline + " µs")}) {(bound - cut) / 1e6:0} s after the network fell silent");
            }
            if (sim.Failure is not null) return Explain(profile, sim);
        }
        return null;
    }

    private static string? OnEveryStepUnderEveryProfile(Scenario s, Func<StepRecord, string?> invariant, Func<Profile, bool>? applies = null,
        Profile[]? profiles = null)
    {
        foreach (var profile in profiles ?? BuiltInProfiles)
        {
            if (applies is not null && !applies(profile)) continue;
            var sim = new Simulator(s, profile) { Invariant = invariant };
            if (sim.Run() is not null) return Explain(profile, sim);
        }
        return null;
    }

    /// <summary>What a step can change about an endpoint, as one comparable line.</summary>
    private static string Snapshot(Endpoint ep)
    {
        var t = ep.Tcb;
        return $"{ep.State.RfcName()} SND.UNA={t.SndUna} SND.NXT={t.SndNxt} SND.WND={t.SndWnd} RCV.NXT={t.RcvNxt} RCV.WND={t.RcvWnd} " +
               $"ISS={t.Iss} IRS={t.Irs} sendq={t.SendQueue.Count} recvq={t.ReceiveQueue.Count} held={t.Reassembly.HeldOctets} " +
               $"fin={t.FinQueued}/{t.FinSent}/{t.FinReceived} rto={t.Rto} deadline={ep.NextDeadline}";
    }
}
