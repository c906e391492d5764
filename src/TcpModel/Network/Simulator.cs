using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>Which endpoint of a <see cref="Simulator"/>.</summary>
public enum Side : byte
{
    /// <summary>Endpoint A (the left of a ladder).</summary>
    A,
    /// <summary>Endpoint B (the right of a ladder).</summary>
    B,
}

/// <summary>What one endpoint step did, for invariant checks: the side's variables before the step,
/// the input (<see cref="Arrived"/> when it was a segment), and what the step emitted, told the user
/// and which cells it went through.</summary>
public readonly record struct StepRecord(
    Side Side, string Label, TcpState Before, TcpState After, Tcb Tcb,
    SeqNum RcvNxtBefore, SeqNum IrsBefore, IReadOnlyList<Segment> Emitted)
{
    /// <summary>The endpoint after the step.</summary>
    public required Endpoint Endpoint { get; init; }
    /// <summary>Virtual time of the step (µs).</summary>
    public required long Now { get; init; }
    /// <summary>The segment that arrived, or null for a user call or a timer.</summary>
    public required Segment? Arrived { get; init; }
    /// <summary>The input was a timer tick.</summary>
    public required bool WasTick { get; init; }
    /// <summary>SND.UNA, SND.NXT, ISS and RCV.NXT + RCV.WND before the step.</summary>
    public required SeqNum SndUnaBefore { get; init; }
    /// <inheritdoc cref="SndUnaBefore"/>
    public required SeqNum SndNxtBefore { get; init; }
    /// <inheritdoc cref="SndUnaBefore"/>
    public required SeqNum IssBefore { get; init; }
    /// <inheritdoc cref="SndUnaBefore"/>
    public required SeqNum RcvEdgeBefore { get; init; }
    /// <summary>The endpoint's NextDeadline before the step.</summary>
    public required long DeadlineBefore { get; init; }
    /// <summary>The cells the step fired.</summary>
    public required IReadOnlyList<FiredCell> Fired { get; init; }
    /// <summary>The notices the step gave the user.</summary>
    public required IReadOnlyList<Notice> Notices { get; init; }
}

/// <summary>One record of a <see cref="Simulator"/> run: a user call (<see cref="Event"/> is its words, e.g.
/// <c>A: CLOSE</c>), what RECEIVE returned (<c>reads "..."</c>), a state entered (<c>enters TIME-WAIT</c>), a timer
/// firing (<c>timer fires</c>), or a segment that <c>sends</c> (<see cref="Side"/> is the sender), <c>arrives</c>,
/// is <c>lost</c> or is <c>injected</c> by an attacker (<see cref="Side"/> is the receiver); A and B are the states after it.</summary>
public sealed record SimRow(long Time, Side Side, Segment? Segment, string Event, string Note, TcpState A, TcpState B)
{
    /// <summary>On an <c>enters</c> row: the trigger of the first cell the step fired (e.g. <c>TimeWaitTimeout</c>), or null.</summary>
    public Trigger? Trigger { get; init; }

    /// <summary>A segment sent that the network lost (a <c>sends</c> row noted <c>lost</c>).</summary>
    public bool SentAndLost => Event == "sends" && Note == "lost";
}

/// <summary>Which call the shadow makes for a model step.</summary>
public enum ShadowCall : byte
{
    /// <summary>The same user call or segment.</summary>
    Same,
    /// <summary>The clock moved to <see cref="ShadowStep.Now"/> (the model's timers ticked).</summary>
    Clock,
    /// <summary>The 2 MSL time-wait timeout at once (a shadow without a clock).</summary>
    TimeWaitExpiry,
}

/// <summary>One model step handed to a <see cref="IShadow"/>: the input, what the model did, and for
/// RECEIVE the octets the model returned.</summary>
public sealed record ShadowStep(Side Side, string Label, TcpState Before, Input Input, ShadowCall Call, long Now,
    Endpoint Endpoint, IReadOnlyList<Segment> Emitted, IReadOnlyList<Notice> Notices, byte[] Received);

/// <summary>
/// A second implementation fed the same inputs as the model (the differential property's reference
/// model): the simulator calls it after every model step and stops at the first disagreement it reports.
/// The library does not know what the shadow is; the tests give it the clean-room reference.
/// </summary>
public interface IShadow
{
    /// <summary>A reason not to make a user call at all in this state (the two legitimately differ and
    /// the difference would carry on), or null to make it.</summary>
    string? Skip(Side side, TcpState before, in Input input);

    /// <summary>Gives the shadow the same step and compares; null when the two agree, otherwise why not.</summary>
    string? Step(ShadowStep step);
}

/// <summary>
/// Two model endpoints (and, for the differential property, a <see cref="IShadow"/> fed the same
/// inputs) joined by a faulty network of two FIFO channels, on virtual time. Runs a
/// <see cref="Scenario"/> event by event, keeps a ladder in RFC notation, and stops at the first
/// invariant violation or model/reference disagreement. Clocked (<see cref="Simulator(Endpoint, Endpoint, long)"/>),
/// the network delivers by itself instead: every segment sent arrives after a fixed one-way
/// <see cref="Latency"/> unless <see cref="Lose"/> drops it, user calls are made with <see cref="User"/> and time
/// runs with <see cref="RunUntil"/> (the walkthrough's and the RFC figures' runs).
/// </summary>
public sealed class Simulator
{
    /// <summary>Virtual time that passes with every event (µs).</summary>
    public const long EventSpacing = 1_000;

    private readonly Endpoint[] _ep = new Endpoint[2];
    private readonly IShadow? _shadow;
    private readonly List<Segment>[] _inFlight = [[], []];
    private readonly List<Segment>[] _delivered = [[], []];
    // when (and in which global order) each segment in flight was sent, beside _inFlight: a clocked run delivers by it
    private readonly List<(long At, long Order)>[] _sentAt = [[], []];
    private readonly int[] _sentBy = new int[2];
    private readonly HashSet<string> _loseMarks = [];
    private long _sendOrder;
    private readonly int[] _streamNext = new int[2];
    private readonly Outbox _out = new();
    private readonly StringBuilder _ladder = new();
    private readonly StringBuilder _mermaid = new("sequenceDiagram\n    participant A\n    participant B\n");
    private int _row;
    private bool _silent;

    /// <summary>A simulation of <paramref name="scenario"/> with <paramref name="profile"/> (plus the seeded bug
    /// of the current <see cref="MutantScope"/>) on both sides, and optionally a shadow fed the same inputs.</summary>
    public Simulator(Scenario scenario, Profile profile, IShadow? shadow = null) : this(scenario, profile, shadow, seededBugs: true)
    {
    }

    /// <summary>As above; <paramref name="seededBugs"/> false ignores the current <see cref="MutantScope"/>
    /// (the schedule generator draws the same events with or without a seeded bug in force).</summary>
    internal Simulator(Scenario scenario, Profile profile, IShadow? shadow, bool seededBugs)
    {
        Scenario = scenario;
        Profile = profile = seededBugs ? MutantScope.Apply(profile) : profile;
        _ep[0] = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(scenario.IssA) });
        _ep[1] = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(scenario.IssB) });
        _shadow = shadow;
        _ladder.AppendLine(CultureInfo.InvariantCulture,
            $"{(scenario.Timed ? "       time " : "")}      {"A (ISS=" + scenario.IssA + ")",-14} {"",-70} B (ISS={scenario.IssB})");
    }

    /// <summary>A clocked simulation of two given endpoints (their own profiles and ISN sources, in whatever state
    /// they are): every segment one sends arrives at the other <paramref name="latency"/> µs later, in the order sent,
    /// unless <see cref="Lose"/> drops it; <see cref="User"/> makes calls and <see cref="RunUntil"/> lets time run.
    /// The seeded bug of the current <see cref="MutantScope"/> is not applied: the endpoints already have their profile.</summary>
    public Simulator(Endpoint a, Endpoint b, long latency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latency);
        Scenario = new Scenario(0, 0, []) { Timed = true };
        Profile = a.Profile;
        _ep[0] = a;
        _ep[1] = b;
        Latency = latency;
        StatesSeen.Add(a.State);
        StatesSeen.Add(b.State);
        _ladder.AppendLine(CultureInfo.InvariantCulture, $"       time       {"A",-14} {"",-70} B");
    }

    /// <summary>The events run (for a clocked simulation: an empty timed scenario; its calls are made with <see cref="User"/>).</summary>
    public Scenario Scenario { get; }
    public Profile Profile { get; }
    public long Now { get; private set; }
    public Endpoint this[Side s] => _ep[(int)s];
    public IReadOnlyList<Segment> InFlightTo(Side s) => _inFlight[(int)s];

    /// <summary>Segments delivered to a side so far (what an old duplicate is drawn from).</summary>
    public IReadOnlyList<Segment> DeliveredTo(Side s) => _delivered[(int)s];

    /// <summary>Endpoint steps taken so far (an event that takes none is a no-op).</summary>
    public int Steps { get; private set; }

    /// <summary>Every cell fired so far, with how often.</summary>
    public Dictionary<CellKey, int> FiredCells { get; } = [];

    /// <summary>States either side has been in.</summary>
    public HashSet<TcpState> StatesSeen { get; } = [TcpState.Closed];

    /// <summary>Named situations the run met (<see cref="Situation"/>).</summary>
    public HashSet<string> Situations { get; } = [];

    /// <summary>Octets an attacker's crafted segments carried to each side (P-04 cannot tell them from the peer's).</summary>
    public int[] InjectedText { get; } = new int[2];

    /// <summary>Octets each side's user handed to SEND and the model accepted.</summary>
    public List<byte>[] Sent { get; } = [[], []];

    /// <summary>Octets each side's user got from RECEIVE.</summary>
    public List<byte>[] Read { get; } = [[], []];

    /// <summary>Where in <see cref="Read"/> each side's current connection incarnation began (a new
    /// one starts whenever the side synchronizes again, e.g. after an old SYN reached a LISTEN).</summary>
    public int[] IncarnationReadStart { get; } = new int[2];

    /// <summary>When each side last entered TIME-WAIT or last received a FIN there (-1: never).</summary>
    public long[] TimeWaitStart { get; } = [-1, -1];

    /// <summary>The run as records (kept unless <see cref="Quiet"/>): every user call and what it returned,
    /// every segment sent, arriving, lost or injected, every state entered and timer fired, in order
    /// (the JSON and pcap forms of a run are made from these).</summary>
    public List<SimRow> Rows { get; } = [];

    /// <summary>Every notice either side's user was given, with its virtual time (kept unless <see cref="Quiet"/>).</summary>
    public List<(long Time, Side Side, Notice Notice)> NoticeLog { get; } = [];

    /// <summary>Sides that entered FIN-WAIT-1 (active closers).</summary>
    public bool[] ActiveCloser { get; } = new bool[2];

    /// <summary>Keep no ladder or diagram (coverage counting and benchmarks: the run is the same, only not written down).</summary>
    public bool Quiet { get; init; }

    /// <summary>Every step, after it is taken; a non-null result stops the run as a failure.</summary>
    public Func<StepRecord, string?>? Invariant { get; init; }

    /// <summary>The one-way delay of a clocked simulation (µs), or null when the scenario's events move the segments.</summary>
    public long? Latency { get; }

    /// <summary>Decides, as each segment is sent, whether the network loses it (the n-th its sender sent, 1-based:
    /// <see cref="SegmentSent.Number"/>); a lost segment is written in the ladder as sent and lost, and never arrives.
    /// Null: nothing is lost this way.</summary>
    public Func<SegmentSent, bool>? Lose { get; init; }

    /// <summary>The first failure (invariant or disagreement), or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The ladder so far, in RFC notation.</summary>
    public string Ladder => _ladder.ToString();

    /// <summary>The run so far as a Mermaid <c>sequenceDiagram</c>.</summary>
    public string Mermaid => _mermaid.ToString();

    /// <summary>Runs every event; returns the failure or null.</summary>
    public string? Run()
    {
        foreach (var e in Scenario.Events)
        {
            if (Failure is not null) break;
            Apply(e);
        }
        return Failure;
    }

    /// <summary>Applies one event.</summary>
    public void Apply(Ev e)
    {
        if (!Scenario.Timed && e.Kind is not (EvKind.Tick or EvKind.TimeWaitExpires or EvKind.Wait or EvKind.Elapse)) Now += EventSpacing;
        var side = e.Side;
        int i = (int)side;
        switch (e.Kind)
        {
            case EvKind.OpenPassive:
                Call(side, e.ToString());
                Step(side, Input.OpenPassive(remoteSpecified: e.Arg != 1), ShadowCall.Same, e.ToString());
                break;
            case EvKind.OpenActive:
                Call(side, e.ToString());
                Step(side, Input.OpenActive, ShadowCall.Same, e.ToString());
                break;
            case EvKind.Send:
            {
                var data = new byte[Math.Clamp(e.Arg, 1, 8)];
                // Octets spell the side's stream position ('a'.. for A, 'A'.. for B), so any
                // reordering, duplication or corruption shows in what the peer delivers.
                for (int k = 0; k < data.Length; k++)
                    data[k] = (byte)((side == Side.A ? 'a' : 'A') + (_streamNext[i] + k) % 26);
                Call(side, e + $" \"{Encoding.ASCII.GetString(data)}\"");
                Step(side, Input.Send(data), ShadowCall.Same, e.ToString());
                int accepted = _out.Accepted;
                Sent[i].AddRange(data.AsSpan(0, accepted).ToArray());
                _streamNext[i] += accepted;
                break;
            }
            case EvKind.Receive:
            {
                var buffer = new byte[Math.Clamp(e.Arg, 1, 64)];
                if (_shadow is not null && _shadow.Skip(side, this[side].State, Input.Receive(buffer)) is { } excuse)
                {
                    // The two legitimately differ here and the difference would carry on (windows):
                    // the differential run does not make this call at all.
                    Row(e + $"  (not made: {excuse})");
                    break;
                }
                Call(side, e.ToString());
                Step(side, Input.Receive(buffer), ShadowCall.Same, e.ToString(), buffer);
                var got = buffer.AsSpan(0, _out.Received).ToArray();
                Read[i].AddRange(got);
                if (got.Length > 0)
                {
                    Row($"    {side} reads \"{Encoding.ASCII.GetString(got)}\"");
                    Log(side, null, $"reads \"{Encoding.ASCII.GetString(got)}\"", "");
                }
                break;
            }
            case EvKind.Status:
                Call(side, e.ToString());
                Step(side, Input.Status, ShadowCall.Same, e.ToString());
                break;
            case EvKind.Close:
                Call(side, e.ToString());
                Step(side, Input.Close, ShadowCall.Same, e.ToString());
                break;
            case EvKind.Abort:
                Call(side, e.ToString());
                Step(side, Input.Abort, ShadowCall.Same, e.ToString());
                break;
            case EvKind.Deliver:
                // Arg picks which segment in flight arrives: 0 the oldest (FIFO), k one that overtakes k sent before it
                if (e.Arg < 0 || e.Arg >= _inFlight[i].Count) break;
                if (e.Arg > 0 && (_inFlight[i][e.Arg].HasAck || _inFlight[i][0].HasAck)) Situation("reordered ACK");
                Arrive(side, Take(i, e.Arg), e.Arg == 0 ? "" : $"  (overtakes {e.Arg} sent before it)");
                break;
            case EvKind.Lose:
                if (e.Arg < 0 || e.Arg >= _inFlight[i].Count) break;
                var lost = Take(i, e.Arg);
                if (lost.Fin) Situation("lost FIN");
                if (!lost.Fin && !lost.Syn && !lost.Rst && lost.HasAck && this[side == Side.A ? Side.B : Side.A].State == TcpState.TimeWait) Situation("lost last ACK");
                Row(Arrow(side, lost) + "  (lost)");
                Log(side, lost, "lost", "");
                _mermaid.Append("    Note over ").Append(side).Append(": lost ").AppendLine(lost.ToShortString().Replace(";", ",", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal));
                break;
            case EvKind.Duplicate:
                if (e.Arg < 0 || e.Arg >= _inFlight[i].Count) break;
                if (_inFlight[i][e.Arg].Syn) Situation("duplicate SYN");
                Arrive(side, _inFlight[i][e.Arg], "  (duplicated: a copy stays in flight)");
                break;
            case EvKind.Reorder:
                if (_inFlight[i].Count < 2) break;
                if (_inFlight[i][0].HasAck || _inFlight[i][1].HasAck) Situation("reordered ACK");
                Arrive(side, Take(i, 1), "  (reordered: overtakes the one before)");
                break;
            case EvKind.Replay:
                if (_delivered[i].Count == 0) break;
                var old = _delivered[i][e.Arg % _delivered[i].Count];
                Situation("old duplicate");
                if (old.Syn) Situation("duplicate SYN");
                Arrive(side, old, "  (old duplicate)");
                break;
            case EvKind.InjectRst:
            case EvKind.InjectSyn:
                Arrive(side, Injected(side, e), "  (injected: " + Ev.Placement(e.Arg) + ")", injected: true);
                break;
            case EvKind.InjectSegment:
            {
                var seg = Crafted(side, e.Arg);
                InjectedText[i] += seg.Payload.Length;
                Arrive(side, seg, "  (crafted: " + Ev.CraftedText(e.Arg) + ")", injected: true);
                break;
            }
            case EvKind.Tick:
            {
                long next = Math.Min(_ep[0].NextDeadline, _ep[1].NextDeadline);
                if (next == TimerSet.Off) break;
                Now = Math.Max(Now, next);
                foreach (var s in new[] { Side.A, Side.B })
                {
                    if (Failure is not null || this[s].NextDeadline > Now) continue;
                    Fire(s);
                }
                break;
            }
            case EvKind.Wait:
            {
                long until = Now + Math.Max(1, e.Arg) * 100_000L;
                Row($"time passes to {until / 1e6:0.000000}s");
                FireTimersDueBy(until, inclusive: true);
                Now = Math.Max(Now, until);
                break;
            }
            case EvKind.Elapse:
            {
                // a timed schedule's clock: timers due before the new time fire first, at their deadlines
                long until = Now + Math.Max(0, e.Arg);
                if (!Scenario.Timed) Row($"time passes to {until / 1e6:0.000000}s");
                FireTimersDueBy(until, inclusive: false);
                Now = Math.Max(Now, until);
                break;
            }
            case EvKind.TimeWaitExpires:
            {
                // Time passes to this side's 2 MSL deadline for both sides: every timer due before it fires first,
                // at its own deadline and in deadline order (the other side's retransmissions, R2, its own TIME-WAIT),
                // so that no timer is left overdue by the jump.
                var ep = this[side];
                if (ep.State != TcpState.TimeWait) break;
                FireTimersDueBy(ep.Tcb.Timers.Get(TimerKind.TimeWait), inclusive: false);
                if (Failure is not null || ep.State != TcpState.TimeWait) break;
                Now = Math.Max(Now, ep.Tcb.Timers.Get(TimerKind.TimeWait));
                Row($"{side}: 2MSL elapses ({Now / 1e6:0.000000}s)");
                Log(side, null, "timer fires", "2MSL");
                Step(side, Input.Tick, ShadowCall.TimeWaitExpiry, e.ToString());
                FireTimersDueBy(Now, inclusive: true); // the other side's timers due at the same instant
                break;
            }
        }
    }

    /// <summary>Time passes to <paramref name="until"/> for both sides: every timer due by then (or, not
    /// <paramref name="inclusive"/>, before then) fires at its own deadline, in deadline order.</summary>
    private void FireTimersDueBy(long until, bool inclusive)
    {
        for (long next, n = 0; Failure is null && ((next = Math.Min(_ep[0].NextDeadline, _ep[1].NextDeadline)) < until || inclusive && next == until); n++)
        {
            if (n == 10_000) Fail($"timers keep falling due at {next} µs");
            Now = Math.Max(Now, next);
            foreach (var s in new[] { Side.A, Side.B })
            {
                if (Failure is not null || this[s].NextDeadline > Now) continue;
                Fire(s);
            }
        }
    }

    /// <summary>A side's timer fires now.</summary>
    private void Fire(Side s)
    {
        Row($"{s}: timer fires at {Now / 1e6:0.000000}s");
        Log(s, null, "timer fires", "");
        Step(s, Input.Tick, ShadowCall.Clock, $"{s}: timer");
    }

    /// <summary>
    /// A user call at the current time, with any data or buffer (<see cref="Input.Send"/>, <see cref="Input.Receive"/>,
    /// OPEN, CLOSE, …): a ladder row <c>side: label</c>, the step, and for SEND and RECEIVE the octets taken and returned
    /// (<see cref="Sent"/>, <see cref="Read"/>).
    /// </summary>
    public void User(Side side, in Input input, string label)
    {
        if (input.Kind != InputKind.User) throw new ArgumentException("User takes a user call; a segment from outside the run is Inject", nameof(input));
        if (!Scenario.Timed) Now += EventSpacing;
        int i = (int)side;
        string what = $"{side}: {label}";
        Call(side, what);
        if (Failure is not null) return;
        Step(side, input, ShadowCall.Same, what, input.Call == Trigger.Receive ? input.Destination : default);
        if (input.Call == Trigger.Send)
        {
            Sent[i].AddRange(input.Data.Span[.._out.Accepted].ToArray());
            _streamNext[i] += _out.Accepted;
        }
        else if (input.Call == Trigger.Receive && _out.Received > 0)
        {
            var got = input.Destination.Span[.._out.Received].ToArray();
            Read[i].AddRange(got);
            Row($"    {side} reads \"{Encoding.ASCII.GetString(got)}\"");
            Log(side, null, $"reads \"{Encoding.ASCII.GetString(got)}\"", "");
        }
    }

    /// <summary>
    /// Lets time run on a clocked simulation: segments arrive (one latency after they were sent; at one instant in the
    /// order sent) and timers fire (a segment due at the same instant as a timer arrives first; A's timer before B's),
    /// in time order, until the next would happen after <paramref name="until"/> (µs; the clock then reads
    /// <paramref name="until"/>) or nothing is left to happen.
    /// </summary>
    public void RunUntil(long until = long.MaxValue)
    {
        if (Latency is not { } latency) throw new InvalidOperationException("RunUntil needs a clocked simulator (one made with a latency)");
        for (int n = 0; Failure is null; n++)
        {
            if (n == 1_000_000)
            {
                Fail($"segments and timers keep falling due at {Now} µs");
                return;
            }
            long toA = _sentAt[0].Count > 0 ? _sentAt[0][0].At + latency : long.MaxValue;
            long toB = _sentAt[1].Count > 0 ? _sentAt[1][0].At + latency : long.MaxValue;
            long nextSegment = Math.Min(toA, toB);
            long nextTimer = Math.Min(_ep[0].NextDeadline, _ep[1].NextDeadline);
            long next = Math.Min(nextSegment, nextTimer);
            if (next == long.MaxValue || next > until)
            {
                if (until != long.MaxValue) Now = Math.Max(Now, until);
                return;
            }
            Now = Math.Max(Now, next);
            if (nextSegment <= nextTimer)
                Apply(Ev.Deliver(toA < toB || toA == toB && _sentAt[0][0].Order < _sentAt[1][0].Order ? Side.A : Side.B));
            else
                Fire(_ep[0].NextDeadline <= _ep[1].NextDeadline ? Side.A : Side.B);
        }
    }

    /// <summary>Runs the network until both channels are empty (lossless, A's side first).</summary>
    public void Drain(int limit = 200)
    {
        for (int n = 0; n < limit && Failure is null && (_inFlight[0].Count > 0 || _inFlight[1].Count > 0); n++)
            Apply(Ev.Deliver(_inFlight[1].Count > 0 ? Side.B : Side.A));
    }

    /// <summary>Every notice either side's user was given, in order.</summary>
    public List<(Side Side, Notice Notice)> AllNotices { get; } = [];

    /// <summary>
    /// The network heals: from now on it is lossless and in order. Delivers what is in flight, lets each
    /// user read what is on hand, and lets timers fire (retransmissions fill what was lost), until nothing
    /// is left to happen or <paramref name="limit"/> events have been applied.
    /// </summary>
    public void Heal(int limit = 600)
    {
        _silent = false;
        Row("(the network heals: lossless and in order from here on)");
        for (int n = 0; n < limit && Failure is null; n++)
        {
            if (_inFlight[1].Count > 0) Apply(Ev.Deliver(Side.B));
            else if (_inFlight[0].Count > 0) Apply(Ev.Deliver(Side.A));
            else if (_ep[0].Tcb.ReceiveQueue.Count > 0 && CanReceive(_ep[0].State)) Apply(Ev.Receive(Side.A, 64));
            else if (_ep[1].Tcb.ReceiveQueue.Count > 0 && CanReceive(_ep[1].State)) Apply(Ev.Receive(Side.B, 64));
            else if (Math.Min(_ep[0].NextDeadline, _ep[1].NextDeadline) != TimerSet.Off) Apply(Ev.Tick());
            else break;
        }
    }

    private static bool CanReceive(TcpState s) => s is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent or TcpState.SynReceived);

    /// <summary>From now on the network loses everything: what is in flight and what is sent later.</summary>
    public void Silence()
    {
        _silent = true;
        _inFlight[0].Clear();
        _inFlight[1].Clear();
        _sentAt[0].Clear();
        _sentAt[1].Clear();
        Row("(the network falls silent: every segment is lost from here on)");
    }

    /// <summary>Ticks one side at an exact instant (for timer properties).</summary>
    public void TickAt(Side side, long at)
    {
        Now = Math.Max(Now, at);
        Row($"{side}: clock reads {Now / 1e6:0.000000}s");
        Log(side, null, "timer fires", "");
        Step(side, Input.Tick, ShadowCall.Clock, $"{side}: timer");
    }

    /// <summary>A segment from outside the scenario arrives at a side.</summary>
    public void Inject(Side to, Segment seg)
    {
        if (!Scenario.Timed) Now += EventSpacing; // on a timed schedule, as every event, it takes no time of its own
        Arrive(to, seg, "  (thrown at it)", injected: true);
    }

    /// <summary>The side the oldest segment in flight is bound for (the one sent first of all still in flight), or null
    /// when nothing is in flight.</summary>
    public Side? OldestInFlight()
    {
        bool a = _sentAt[0].Count > 0, b = _sentAt[1].Count > 0;
        if (!a && !b) return null;
        if (!b) return Side.A;
        if (!a) return Side.B;
        return _sentAt[0][0].Order < _sentAt[1][0].Order ? Side.A : Side.B;
    }

    /// <summary>A host crash: <paramref name="side"/>'s endpoint is replaced by <paramref name="fresh"/> (a new TCB, in
    /// whatever state it is given), and what was in flight to the old one is lost with it.</summary>
    public void Replace(Side side, Endpoint fresh)
    {
        int i = (int)side;
        _ep[i] = fresh;
        _inFlight[i].Clear();
        _sentAt[i].Clear();
        StatesSeen.Add(fresh.State);
        Row($"{side} crashes: a fresh endpoint in {fresh.State.RfcName()} takes its place");
    }

    /// <summary>Records a named situation of the run (coverage: lost FIN, duplicate SYN, zero window, ...).</summary>
    public void Situation(string name) => Situations.Add(name);

    public void Fail(string message)
    {
        Failure ??= message;
        Row("!!! " + message);
    }

    private Segment Take(int i, int index)
    {
        var s = _inFlight[i][index];
        _inFlight[i].RemoveAt(index);
        _sentAt[i].RemoveAt(index);
        return s;
    }

    private void Arrive(Side to, Segment seg, string note, bool injected = false)
    {
        Row(Arrow(to, seg) + note);
        Log(to, seg, injected ? "injected" : "arrives", note.Trim().TrimStart('(').TrimEnd(')'));
        if (!Quiet && (injected || note.Contains("old duplicate", StringComparison.Ordinal)))
            _mermaid.Append("    Note over ").Append(to).Append(": ").Append(injected ? "injected " : "old duplicate ")
                .AppendLine(seg.ToShortString().Replace(";", ",", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal));
        _delivered[(int)to].Add(seg);
        Step(to, Input.Arrive(seg), ShadowCall.Same, "arrives: " + seg.ToShortString());
    }

    /// <summary>An attacker's segment near the receiver's RCV.NXT (read from the model's TCB;
    /// while the two agree, the reference's RCV.NXT is the same).</summary>
    private Segment Injected(Side to, Ev e)
    {
        var t = this[to].Tcb;
        int off = e.Arg / 3;
        uint wnd = Math.Max(1u, t.RcvWnd);
        SeqNum seq = (e.Arg % 3) switch
        {
            0 => t.RcvNxt,
            1 => t.RcvNxt + new SeqLen(1 + (uint)off % Math.Max(1u, wnd - 1)),
            _ => off % 2 == 0 ? t.RcvNxt + new SeqLen(wnd + (uint)off / 2) : t.RcvNxt - new SeqLen(1 + (uint)off / 2),
        };
        return e.Kind == EvKind.InjectRst
            ? new Segment(seq, default, Control.RST)
            : new Segment(seq, default, Control.SYN, 65535, default, new TcpOptions(mss: 1460));
    }

    /// <summary>A crafted segment (<see cref="Ev.Crafted(int)"/>) with numbers taken from the receiver's TCB.</summary>
    private Segment Crafted(Side to, int arg)
    {
        var t = this[to].Tcb;
        var (c, q, k) = Ev.Crafted(arg);
        uint wnd = t.RcvWnd;
        SeqNum seq = q switch
        {
            0 => t.RcvNxt,
            1 => t.RcvNxt + new SeqLen(1),
            2 => t.RcvNxt + new SeqLen(wnd),
            3 => t.RcvNxt - new SeqLen(1),
            4 => t.Irs,
            _ => t.RcvNxt + new SeqLen(Math.Max(1u, wnd) - 1),
        };
        SeqNum ack = k switch
        {
            0 => t.SndNxt,
            1 => t.SndUna,
            2 => t.SndUna - new SeqLen(1),
            3 => t.SndNxt + new SeqLen(1),
            4 => t.SndUna - new SeqLen(1u << 30),
            _ => t.Iss,
        };
        ReadOnlyMemory<byte> text = c is 1 or 3 or 8 ? new byte[] { (byte)'#', (byte)'#' } : default;
        var ctl = c switch
        {
            0 or 1 or 10 => Control.ACK,
            2 or 3 => Control.FIN | Control.ACK,
            4 => Control.SYN,
            5 => Control.SYN | Control.ACK,
            6 => Control.RST,
            7 => Control.RST | Control.ACK,
            8 => Control.None,
            9 => Control.FIN,
            _ => Control.SYN | Control.FIN,
        };
        if (!ctl.Has(Control.ACK)) ack = default;
        var options = ctl.Has(Control.SYN) ? new TcpOptions(mss: 1460) : TcpOptions.None;
        return new Segment(seq, ack, ctl, c == 10 ? (ushort)0 : (ushort)65535, text, options);
    }

    private void Step(Side side, in Input input, ShadowCall call, string label, Memory<byte> receiveBuffer = default)
    {
        if (Failure is not null) return;
        Steps++;
        int i = (int)side;
        var ep = _ep[i];
        var before = ep.State;
        var rcvNxt = ep.Tcb.RcvNxt;
        var irs = ep.Tcb.Irs;
        var (sndUna, sndNxt, iss) = (ep.Tcb.SndUna, ep.Tcb.SndNxt, ep.Tcb.Iss);
        var rcvEdge = ep.Tcb.RcvNxt + new SeqLen(ep.Tcb.RcvWnd);
        long deadlineBefore = ep.NextDeadline;
        List<Segment> emitted;
        List<Notice> notices;
        List<FiredCell> fired;
        try
        {
            ep.Step(input, Now, _out);
            emitted = [.. _out.Segments.ToArray().Select(s => s.WithPayload(s.Payload.ToArray()))];
            notices = [.. _out.Notices.ToArray()];
            fired = [.. _out.Fired.ToArray()];
        }
        catch (Exception ex)
        {
            Fail($"{side} threw {ex.GetType().Name} in {before.RfcName()} on {label}: {ex.Message}");
            return;
        }
        if (ep.State != before && !Quiet)
        {
            Row($"    {side} enters {ep.State.RfcName()}");
            if (!Quiet) Rows.Add(new SimRow(Now, side, null, "enters " + ep.State.RfcName(), "", _ep[0].State, _ep[1].State) { Trigger = fired.Count > 0 ? fired[0].Cell.Key.Trigger : null });
            _mermaid.Append("    Note over ").Append(side).Append(": ").AppendLine(ep.State.RfcName());
        }
        if (!before.IsSynchronized() && ep.State.IsSynchronized() || ep.Tcb.Irs != irs && ep.State.IsSynchronized())
            IncarnationReadStart[i] = Read[i].Count;
        if (ep.State == TcpState.FinWait1) ActiveCloser[i] = true;
        if (ep.State == TcpState.TimeWait && (before != TcpState.TimeWait || input.Kind == InputKind.Segment && input.Segment.Fin
                                                && !input.Segment.Rst && input.Segment.Seq + input.Segment.Length == rcvNxt))
            TimeWaitStart[i] = Now;
        foreach (var s in emitted)
        {
            int number = ++_sentBy[i];
            bool lost = _silent || Lose is not null && Lose(new SegmentSent(side, number, s, this, _loseMarks));
            if (!Quiet)
            {
                Row((side == Side.A ? "    A sends --> " : "    B sends <-- ") + s.ToShortString() + WindowNote(s) + (lost ? "  (lost)" : ""));
                Log(side, s, "sends", lost ? "lost" : "");
                _mermaid.Append("    ").Append(side).Append(lost ? "-x" : "->>").Append(side == Side.A ? "B" : "A").Append(": ")
                    .AppendLine(s.ToShortString().Replace(";", ",", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal));
            }
            if (!lost)
            {
                _inFlight[1 - i].Add(s);
                _sentAt[1 - i].Add((Now, _sendOrder++));
            }
        }

        foreach (var n in notices)
        {
            AllNotices.Add((side, n));
            if (!Quiet) NoticeLog.Add((Now, side, n));
        }
        foreach (var f in fired) FiredCells[f.Cell.Key] = FiredCells.GetValueOrDefault(f.Cell.Key) + 1;
        StatesSeen.Add(ep.State);
        if (before == TcpState.SynSent && ep.State == TcpState.SynReceived) Situation("simultaneous open");
        if (ep.State == TcpState.Closing && before != TcpState.Closing) Situation("simultaneous close");
        if (ep.State.IsSynchronized() && emitted.Any(x => !x.Rst && x.Window == 0)) Situation("zero window");
        if (ep.State.IsSynchronized() && (ep.Tcb.SndNxt.Value < ep.Tcb.Iss.Value || ep.Tcb.RcvNxt.Value < ep.Tcb.Irs.Value)) Situation("sequence numbers wrap past 2^32");

        if (_shadow is not null)
        {
            var received = receiveBuffer.IsEmpty ? [] : receiveBuffer.Span[.._out.Received].ToArray();
            var why = _shadow.Step(new ShadowStep(side, label, before, input, call, Now, ep, emitted, notices, received));
            if (why is not null) Fail(why);
        }

        if (Invariant is not null && Failure is null)
        {
            var why = Invariant(new StepRecord(side, label, before, ep.State, ep.Tcb, rcvNxt, irs, emitted)
            {
                Endpoint = ep, Now = Now, Arrived = input.Kind == InputKind.Segment ? input.Segment : null,
                WasTick = input.Kind == InputKind.Tick, SndUnaBefore = sndUna, SndNxtBefore = sndNxt, IssBefore = iss,
                RcvEdgeBefore = rcvEdge, DeadlineBefore = deadlineBefore, Fired = fired, Notices = notices,
            });
            if (why is not null) Fail($"{side} after \"{label}\": {why}");
        }
    }

    private static string WindowNote(Segment s) => s.Rst ? "" : $"  WND={s.Window}";

    private string Arrow(Side to, Segment seg) =>
        to == Side.B ? "--> " + seg.ToShortString() + " -->" : "<-- " + seg.ToShortString() + " <--";

    /// <summary>A user call: a ladder row and a record.</summary>
    private void Call(Side side, string label)
    {
        Row(label);
        Log(side, null, label, "");
    }

    private void Log(Side side, Segment? seg, string what, string note)
    {
        if (!Quiet) Rows.Add(new SimRow(Now, side, seg, what, note, _ep[0].State, _ep[1].State));
    }

    private void Row(string what)
    {
        if (Quiet) return;
        // a timed schedule (a seeded faulty network on a clock) shows each row's virtual time
        if (Scenario.Timed) _ladder.Append(CultureInfo.InvariantCulture, $"{Now / 1e6,10:0.000}s ");
        if (what.StartsWith("    ", StringComparison.Ordinal))
        {
            _ladder.AppendLine(CultureInfo.InvariantCulture, $"      {"",-14} {what}");
            return;
        }
        _row++;
        _ladder.AppendLine(CultureInfo.InvariantCulture,
            $"{_row,4}. {_ep[0].State.RfcName(),-14} {what,-70} {_ep[1].State.RfcName()}");
    }
}
