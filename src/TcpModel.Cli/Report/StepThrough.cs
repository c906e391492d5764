using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Cli.Report;

/// <summary>One endpoint as a step leaves it: its state, the TCB variables a learner follows, and the armed timers.</summary>
internal sealed record EndpointView(string State, IReadOnlyDictionary<string, string> Tcb, IReadOnlyList<TimerView> Timers);

/// <summary>An armed timer and its deadline (virtual seconds).</summary>
internal sealed record TimerView(string Name, double Deadline);

/// <summary>A declared cell as the page shows it (steps name cells by <see cref="Anchor"/>; the page quotes the RFC sentence from the report's quote table).</summary>
internal sealed record CellView(string Anchor, string From, string Trigger, string Guard, string To, string Kind, string Effect, string Rfc);

/// <summary>One step of a precomputed run: who acted and on what, what was sent, the cells fired, and both endpoints after it.</summary>
internal sealed record StepView(
    double Time, string Actor, string What, string? Segment, string? Arithmetic, IReadOnlyList<string> Sent,
    IReadOnlyList<string> Cells, IReadOnlyList<string> Notices, EndpointView A, EndpointView? B, string? Note);

/// <summary>A named two-endpoint scenario, computed by running the model.</summary>
internal sealed record ScenarioView(string Id, string Title, string Summary, IReadOnlyList<StepView> Steps);

/// <summary>
/// Drives model endpoints through scripted runs and records every step for the report's
/// step-through. The page only replays these records: it holds no TCP of its own, and neither does this:
/// the run is the library's one <see cref="Simulator"/> (clocked, one-way latency), read step by step.
/// </summary>
internal sealed class StepRecorder
{
    private readonly Simulator _sim;
    private readonly List<StepRecord> _taken = [];
    private readonly uint _issA, _issB;
    private readonly Profile _profile;
    private (Side To, Segment Segment)? _held;

    public StepRecorder(Profile profile, uint issA, uint issB, long latency = 10_000, uint[]? isnA = null)
    {
        _issA = issA; _issB = issB; Latency = latency; _profile = profile;
        var a = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(isnA ?? [issA]) });
        var b = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(issB) });
        _sim = new Simulator(a, b, latency) { Quiet = true, Invariant = r => { _taken.Add(r); return null; } };
    }

    public Endpoint A => _sim[Side.A];
    public Endpoint B => _sim[Side.B];
    public long Latency { get; }
    public long Now => _sim.Now;
    public List<StepView> Steps { get; } = [];
    public int InFlight => _sim.InFlightTo(Side.A).Count + _sim.InFlightTo(Side.B).Count;

    private static Side SideOf(char c) => c == 'A' ? Side.A : Side.B;
    private static char Name(Side s) => s == Side.A ? 'A' : 'B';

    /// <summary>A user call at one side.</summary>
    public void User(char side, Input input, string label, string? note = null)
    {
        _taken.Clear();
        _sim.User(SideOf(side), input, label);
        Record(side, $"{side}: {label}", null, note);
    }

    /// <summary>The oldest segment in flight arrives (after the one-way delay).</summary>
    public void Deliver(string? note = null)
    {
        var to = _sim.OldestInFlight() ?? throw new InvalidOperationException("nothing in flight");
        var seg = _sim.InFlightTo(to)[0];
        Elapse();
        _taken.Clear();
        _sim.Apply(Ev.Deliver(to));
        Record(Name(to), $"{Name(to)} receives", seg, note);
    }

    /// <summary>One side crashes: its TCB is gone and a fresh CLOSED endpoint (with a new ISN) takes its place.</summary>
    public void Crash(char side, uint newIsn, string note)
    {
        _sim.Replace(SideOf(side), new Endpoint(_profile, new EndpointOptions { Isn = new FixedIsnSource(newIsn) }));
        Steps.Add(new StepView(Now / 1e6, side.ToString(), $"{side} crashes", null, null, [], [], [], View(A), View(B), note));
    }

    /// <summary>The network holds back the oldest segment in flight (it is reordered behind later ones).</summary>
    public void Hold(string note)
    {
        var to = _sim.OldestInFlight() ?? throw new InvalidOperationException("nothing in flight");
        _held = (to, _sim.InFlightTo(to)[0]);
        _sim.Apply(Ev.Lose(to)); // out of the channel; it comes back at Release
        Steps.Add(new StepView(Now / 1e6, "network", "the network delays a segment", _held.Value.Segment.ToString(), null, [], [], [], View(A), View(B), note));
    }

    /// <summary>The held segment arrives now.</summary>
    public void Release(string note)
    {
        var (to, seg) = _held!.Value;
        _held = null;
        Elapse();
        _taken.Clear();
        _sim.Inject(to, seg);
        Record(Name(to), $"{Name(to)} receives the delayed segment", seg, note);
    }

    /// <summary>The oldest segment in flight is lost by the network.</summary>
    public void Lose(string? note = null)
    {
        var to = _sim.OldestInFlight() ?? throw new InvalidOperationException("nothing in flight");
        var seg = _sim.InFlightTo(to)[0];
        _sim.Apply(Ev.Lose(to));
        char from = to == Side.A ? 'B' : 'A';
        Steps.Add(new StepView(Now / 1e6, "network", $"the network loses {from}'s segment", seg.ToString(), Arithmetic(from, seg),
            [], [], [], View(A), View(B), note));
    }

    /// <summary>Time passes to one side's earliest timer, which fires.</summary>
    public void Timer(char side, string? note = null)
    {
        var ep = _sim[SideOf(side)];
        if (ep.NextDeadline == TimerSet.Off)
        {
            Steps.Add(new StepView(Now / 1e6, side.ToString(), $"{side} has no timer armed", null, null, [], [], [], View(A), View(B), note));
            return;
        }
        var kind = Enum.GetValues<TimerKind>().MinBy(k => ep.Tcb.Timers.Get(k));
        _taken.Clear();
        _sim.TickAt(SideOf(side), ep.NextDeadline);
        Record(side, $"{side}: {TimerName(kind)} timer expires", null, note);
    }

    /// <summary>A segment from outside (an old duplicate, or a peer that is not modelled) arrives at one side.</summary>
    public void Inject(char side, Segment seg, string label, string? note = null)
    {
        Elapse();
        _taken.Clear();
        _sim.Inject(SideOf(side), seg);
        Record(side, $"{side} receives {label}", seg, note);
    }

    /// <summary>The one-way delay passes: a timer falling due within it fires first, at its deadline, as its own step.</summary>
    private void Elapse()
    {
        for (int n = 0; n < 100; n++)
        {
            long a = A.NextDeadline, b = B.NextDeadline, next = Math.Min(a, b);
            if (next == TimerSet.Off || next >= Now + Latency) break;
            Timer(a <= b ? 'A' : 'B');
        }
        _sim.Apply(Ev.Elapse((int)Latency));
    }

    /// <summary>One step as the page shows it: what the simulator's step at <paramref name="side"/> sent (each sent
    /// segment also went into flight), the cells it fired, what it told the user, and both endpoints after it.</summary>
    private void Record(char side, string what, Segment? arriving, string? note)
    {
        var sent = new List<string>();
        var cells = new List<string>();
        var notices = new List<string>();
        foreach (var step in _taken)
        {
            foreach (var s in step.Emitted) sent.Add(s.ToString() + "   " + Arithmetic(Name(step.Side), s));
            foreach (var f in step.Fired) cells.Add(Site.Anchor(f.Cell.Key));
            foreach (var n in step.Notices) notices.Add(n.Text());
        }
        _taken.Clear();
        char from = side == 'A' ? 'B' : 'A';
        Steps.Add(new StepView(Now / 1e6, side.ToString(), what, arriving?.ToString(), arriving is { } a ? Arithmetic(from, a) : null,
            sent, cells, notices, View(A), View(B), note));
    }

    internal static CellView Cell(CellFacts f) => new(
        Site.Anchor(f.Key), f.Key.State.RfcName(), f.Key.Trigger.ToString(), f.Key.GuardText, f.Next.RfcName(),
        f.Kind.ToString(), f.Effect.ToString(), f.Rfc);

    /// <summary>The segment's numbers as the learning note writes them: seq=x+1 ack=y+1, with x and y
    /// the ISSs of A and B.</summary>
    internal string Arithmetic(char sender, Segment s)
    {
        string Rel(SeqNum v, uint iss, char name) => (v - new SeqNum(iss)).Value is var d && d == 0 ? $"{name}" : d < 1u << 31 ? $"{name}+{d}" : $"{name}-{(uint)-(int)d}";
        var (own, ownName, peer, peerName) = sender == 'A' ? (_issA, 'x', _issB, 'y') : (_issB, 'y', _issA, 'x');
        var text = $"seq={Rel(s.Seq, own, ownName)}";
        if (s.HasAck) text += $" ack={Rel(s.Ack, peer, peerName)}";
        return text;
    }

    internal static EndpointView View(Endpoint ep)
    {
        var t = ep.Tcb;
        var tcb = new Dictionary<string, string>();
        if (ep.State is not (TcpState.Closed or TcpState.Listen))
        {
            tcb["ISS"] = t.Iss.ToString(); tcb["SND.UNA"] = t.SndUna.ToString(); tcb["SND.NXT"] = t.SndNxt.ToString();
            tcb["SND.WND"] = t.SndWnd.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (ep.State != TcpState.SynSent) { tcb["IRS"] = t.Irs.ToString(); tcb["RCV.NXT"] = t.RcvNxt.ToString(); }
        }
        var timers = new List<TimerView>();
        foreach (var k in Enum.GetValues<TimerKind>())
            if (t.Timers.Get(k) != TimerSet.Off) timers.Add(new TimerView(TimerName(k), t.Timers.Get(k) / 1e6));
        return new EndpointView(ep.State.RfcName(), tcb, timers);
    }

    internal static string TimerName(TimerKind k) => k switch
    {
        TimerKind.Retransmit => "retransmission",
        TimerKind.Persist => "persist",
        TimerKind.DelayedAck => "delayed-ACK",
        TimerKind.KeepAlive => "keep-alive",
        TimerKind.User => "user",
        _ => "time-wait (2MSL)",
    };
}
