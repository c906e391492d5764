using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>What a generated sequence or acknowledgment number is relative to.</summary>
public enum SeqBase : byte
{
    /// <summary>The target's RCV.NXT.</summary>
    RcvNxt,
    /// <summary>The target's RCV.NXT + RCV.WND (right window edge).</summary>
    RcvEdge,
    /// <summary>The target's SND.UNA.</summary>
    SndUna,
    /// <summary>The target's SND.NXT.</summary>
    SndNxt,
    /// <summary>The target's ISS.</summary>
    Iss,
    /// <summary>An absolute number (the offset itself).</summary>
    Absolute,
}

/// <summary>
/// A segment thrown at an endpoint, its numbers relative to the target's TCB at the time it arrives
/// (or, when <see cref="Tick"/> is set, time passing to the target's next timer instead).
/// </summary>
public sealed record SegSpec(
    SeqBase SeqFrom, int SeqOffset, SeqBase AckFrom, int AckOffset, Control Control,
    ushort Window, int PayloadLength, int OptionsKind, ushort Urgent, bool Tick = false)
{
    /// <summary>The segment against the target's TCB now.</summary>
    public Segment Resolve(Tcb t)
    {
        var payload = Encoding.ASCII.GetBytes(new string('x', PayloadLength));
        var options = OptionsKind switch
        {
            1 => new TcpOptions(mss: 536),
            2 => new TcpOptions(mss: 0),
            3 => new TcpOptions(mss: 1460, windowScale: 14, sackPermitted: true, timestamp: new TcpTimestamp(7, 0)),
            4 => new TcpOptions(windowScale: 200),
            5 => new TcpOptions(timestamp: new TcpTimestamp(uint.MaxValue, uint.MaxValue)),
            _ => TcpOptions.None,
        };
        return new Segment(At(SeqFrom, SeqOffset, t), At(AckFrom, AckOffset, t), Control, Window, payload, options, Urgent);
    }

    private static SeqNum At(SeqBase b, int offset, Tcb t) => b switch
    {
        SeqBase.RcvNxt => t.RcvNxt + new SeqLen(unchecked((uint)offset)),
        SeqBase.RcvEdge => t.RcvNxt + new SeqLen(t.RcvWnd) + new SeqLen(unchecked((uint)offset)),
        SeqBase.SndUna => t.SndUna + new SeqLen(unchecked((uint)offset)),
        SeqBase.SndNxt => t.SndNxt + new SeqLen(unchecked((uint)offset)),
        SeqBase.Iss => t.Iss + new SeqLen(unchecked((uint)offset)),
        _ => new SeqNum(unchecked((uint)offset)),
    };

    /// <summary>Readable form.</summary>
    public override string ToString() => Tick ? "time passes to the next timer"
        : $"<SEQ={SeqFrom}{Off(SeqOffset)}><ACK={AckFrom}{Off(AckOffset)}><CTL={Control}><WND={Window}> data {PayloadLength}, options #{OptionsKind}, UP {Urgent}";

    private static string Off(int o) => o == 0 ? "" : o > 0 ? "+" + o : o.ToString(CultureInfo.InvariantCulture);

    /// <summary>As C#.</summary>
    public string ToCode() => Tick ? "SegSpec.Timer"
        : string.Create(CultureInfo.InvariantCulture,
            $"new SegSpec(SeqBase.{SeqFrom}, {SeqOffset}, SeqBase.{AckFrom}, {AckOffset}, (Control){(int)Control}, {Window}, {PayloadLength}, {OptionsKind}, {Urgent})");

    /// <summary>Time passing to the target's next timer.</summary>
    public static SegSpec Timer { get; } = new(SeqBase.Absolute, 0, SeqBase.Absolute, 0, Control.None, 0, 0, 0, 0, Tick: true);
}

/// <summary>P-01's case: a canonical endpoint in <see cref="State"/> under profile number
/// <see cref="ProfileIndex"/> of <see cref="SegmentAttacks.Profiles"/>, then a list of segments.</summary>
public sealed record SegmentAttack(TcpState State, int ProfileIndex, bool WithData, uint IssA, uint IssB, IReadOnlyList<SegSpec> Segments)
{
    /// <summary>Readable form.</summary>
    public override string ToString() =>
        $"{State.RfcName()} ({SegmentAttacks.Profiles[ProfileIndex].Name} #{ProfileIndex}{(WithData ? ", data in flight" : "")}): "
        + string.Join("; ", Segments);

    /// <summary>As C#.</summary>
    public string ToCode() =>
        $"new SegmentAttack(TcpState.{State}, {ProfileIndex}, {(WithData ? "true" : "false")}, {IssA}u, {IssB}u,\n            [\n"
        + string.Concat(Segments.Select(s => "                " + s.ToCode() + ",\n")) + "            ])";
}

/// <summary>
/// P-01: canonical endpoints in each of the 11 states (reached through real exchanges between two
/// endpoints) receive random segments — every flag combination, numbers around RCV.NXT, the window
/// edge, SND.UNA, SND.NXT and ISS or anywhere, odd options — and must never throw.
/// </summary>
internal static class SegmentAttacks
{
    /// <summary>The built-in profiles and variants with every optional mechanism switched on.</summary>
    public static readonly Profile[] Profiles =
    [
        Profile.Rfc9293,
        Profile.Rfc793,
        Profile.Rfc793 with { Name = "rfc793-bsd-rst", SynResetForm = SynResetForm.FromConnection, IgnoreRstInTimeWait = true },
        Profile.Rfc9293 with
        {
            Name = "rfc9293-all-options", WindowScale = 7, Timestamps = true, SackPermitted = true, DelayedAck = 200_000,
            KeepAliveIdle = 7_200_000_000, FinOnAckWhileFinUnacked = true, RoundReceiveBufferToMss = true,
            ResetOnCloseWithUnreadData = true,
        },
        Profile.Rfc9293 with { Name = "rfc9293-tiny-buffer", ReceiveBuffer = 3, SendBuffer = 4, ChallengeAckLimitPerSecond = 1 },
    ];

    /// <summary>Events that bring endpoint A (or B) into each state over a lossless network.</summary>
    public static (Side Target, Ev[] Events) Fixture(TcpState state, bool withData)
    {
        var (target, events) = FixtureCalls(state, withData);
        // Every CLOSE is preceded by a RECEIVE, so that reset-on-close-with-unread-data keeps its FIN close.
        return (target, events.SelectMany(e => e.Kind == EvKind.Close ? new[] { Ev.Receive(e.Side, 64), e } : [e]).ToArray());
    }

    private static (Side Target, Ev[] Events) FixtureCalls(TcpState state, bool withData)
    {
        Ev[] handshake = [Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.B)];
        Ev[] data = withData ? [Ev.Send(Side.A, 2), Ev.Send(Side.B, 1)] : []; // fits the 3-octet buffer of rfc9293-tiny-buffer
        Ev[] established = [.. handshake, .. data];
        return state switch
        {
            TcpState.Closed => (Side.A, []),
            TcpState.Listen => (Side.B, [Ev.OpenPassive(Side.B)]),
            TcpState.SynSent => (Side.A, [Ev.OpenActive(Side.A), .. withData ? new[] { Ev.Send(Side.A, 3) } : []]),
            TcpState.SynReceived => (Side.B, [Ev.OpenPassive(Side.B), Ev.OpenActive(Side.A), Ev.Deliver(Side.B)]),
            TcpState.Established => (Side.A, established),
            TcpState.FinWait1 => (Side.A, [.. established, Ev.Close(Side.A)]),
            TcpState.FinWait2 => (Side.A, [.. established, Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.A), Ev.Deliver(Side.A)]),
            TcpState.CloseWait => (Side.B, [.. established, Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.B), Ev.Deliver(Side.B)]),
            TcpState.Closing => (Side.A, [.. established, Ev.Close(Side.A), Ev.Close(Side.B), Ev.Deliver(Side.A), Ev.Deliver(Side.A), Ev.Deliver(Side.A)]),
            TcpState.LastAck => (Side.B, [.. established, Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.B), Ev.Deliver(Side.B), Ev.Close(Side.B)]),
            _ => (Side.A, [.. established, Ev.Close(Side.A), Ev.Deliver(Side.B), Ev.Deliver(Side.B), Ev.Close(Side.B),
                Ev.Deliver(Side.A), Ev.Deliver(Side.A), Ev.Deliver(Side.A), Ev.Deliver(Side.A)]),
        };
    }

    /// <summary>Runs an attack; null when nothing threw and SND.UNA =&lt; SND.NXT held throughout.</summary>
    public static string? Run(SegmentAttack a)
    {
        var profile = Profiles[a.ProfileIndex % Profiles.Length];
        var (target, events) = Fixture(a.State, a.WithData);
        var sim = new Simulator(new Scenario(a.IssA, a.IssB, events), profile)
        {
            Invariant = r => r.Tcb.SndUna <= r.Tcb.SndNxt ? null : $"SND.UNA={r.Tcb.SndUna} > SND.NXT={r.Tcb.SndNxt}",
        };
        // The fixture's deliveries are a plan: stop delivering once the target is in the state, and
        // deliver more (to the target first) if window updates or piggybacking changed the count.
        foreach (var e in events)
        {
            if (e.Kind == EvKind.Deliver && sim[target].State == a.State) continue;
            sim.Apply(e);
        }
        var other = target == Side.A ? Side.B : Side.A;
        for (int n = 0; n < 20 && sim.Failure is null && sim[target].State != a.State; n++)
            sim.Apply(Ev.Deliver(sim.InFlightTo(target).Count > 0 ? target : other));
        if (sim.Failure is null && sim[target].State != a.State)
            sim.Fail($"fixture bug: {target} is {sim[target].State.RfcName()}, not {a.State.RfcName()}");
        foreach (var spec in a.Segments)
        {
            if (sim.Failure is not null) break;
            if (spec.Tick)
            {
                if (sim[target].NextDeadline != TimerSet.Off) sim.TickAt(target, sim[target].NextDeadline);
                continue;
            }
            sim.Inject(target, spec.Resolve(sim[target].Tcb));
        }
        return sim.Failure is null ? null
            : $"Profile {profile.Name}: {sim.Failure}\n\nLadder:\n{sim.Ladder}";
    }

    private static readonly Gen<Control> Controls = Gen.ArrayOf(Gen.Elements(true, false), 6).Select(Flags);

    private static Control Flags(bool[] on)
    {
        var c = Control.None;
        Control[] all = [Control.FIN, Control.SYN, Control.RST, Control.PSH, Control.ACK, Control.URG];
        for (int k = 0; k < all.Length; k++) if (on[k]) c |= all[k];
        return c;
    }

    private static readonly Gen<int> Offsets = Gen.Frequency(
        (6, Gen.Choose(-3, 3)),
        (2, Gen.Choose(-70000, 70000)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, 1 << 30, -(1 << 30))));

    private static readonly Gen<SegSpec> Specs =
        from seqFrom in Gen.Elements(SeqBase.RcvNxt, SeqBase.RcvNxt, SeqBase.RcvEdge, SeqBase.SndNxt, SeqBase.Absolute)
        from seqOff in Offsets
        from ackFrom in Gen.Elements(SeqBase.SndNxt, SeqBase.SndNxt, SeqBase.SndUna, SeqBase.Iss, SeqBase.RcvNxt, SeqBase.Absolute)
        from ackOff in Offsets
        from ctl in Controls
        from wnd in Gen.Elements<ushort>(0, 1, 3, 1000, 65535)
        from len in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 4)), (1, Gen.Choose(5, 2000)))
        from opt in Gen.Choose(0, 5)
        from up in Gen.Elements<ushort>(0, 1, 65535)
        select new SegSpec(seqFrom, seqOff, ackFrom, ackOff, ctl, wnd, len, opt, up);

    /// <summary>Attacks on every state under every profile.</summary>
    public static readonly Gen<SegmentAttack> Attacks =
        from state in Gen.Elements(TcpStates.All)
        from profile in Gen.Choose(0, Profiles.Length - 1)
        from withData in Gen.Elements(true, false)
        from issA in Generators.Iss
        from issB in Generators.Iss
        from n in Gen.Choose(1, 8)
        from segs in Gen.ArrayOf(Gen.Frequency((8, Specs), (1, Gen.Constant(SegSpec.Timer))), n)
        select new SegmentAttack(state, profile, withData, issA, issB, segs);

    /// <summary>Drops segments, then simplifies one (offsets to 0, no payload, no options).</summary>
    public static IEnumerable<SegmentAttack> Shrink(SegmentAttack a)
    {
        var segs = a.Segments;
        for (int k = 0; k < segs.Count; k++)
            if (segs.Count > 1) yield return a with { Segments = [.. segs.Take(k), .. segs.Skip(k + 1)] };
        if (a.WithData) yield return a with { WithData = false };
        for (int k = 0; k < segs.Count; k++)
        {
            var s = segs[k];
            if (s.Tick) continue;
            SegSpec[] simpler =
            [
                s with { PayloadLength = 0 }, s with { OptionsKind = 0 }, s with { SeqOffset = 0 }, s with { AckOffset = 0 },
                s with { Urgent = 0 }, s with { Window = 65535 },
            ];
            foreach (var x in simpler.Where(x => x != s).Distinct())
                yield return a with { Segments = [.. segs.Take(k), x, .. segs.Skip(k + 1)] };
        }
    }
}
