using System.Globalization;
using System.Text;


namespace TcpModel.Network;

/// <summary>What one event of a scenario does.</summary>
public enum EvKind : byte
{
    /// <summary>The user calls passive OPEN (remote socket specified).</summary>
    OpenPassive,
    /// <summary>The user calls active OPEN.</summary>
    OpenActive,
    /// <summary>The user SENDs <c>Arg</c> (1-3) octets of its stream.</summary>
    Send,
    /// <summary>The user calls RECEIVE for at most <c>Arg</c> octets.</summary>
    Receive,
    /// <summary>The user calls CLOSE.</summary>
    Close,
    /// <summary>The user calls ABORT.</summary>
    Abort,
    /// <summary>The next segment in flight towards the side arrives (with <c>Arg</c> k &gt; 0: the k-th after it,
    /// which overtakes the k sent before it).</summary>
    Deliver,
    /// <summary>The next segment in flight towards the side is lost (lost FIN, lost last ACK); <c>Arg</c> as for <see cref="Deliver"/>.</summary>
    Lose,
    /// <summary>The next segment in flight arrives and stays in flight: it will arrive again (duplicate SYN);
    /// <c>Arg</c> as for <see cref="Deliver"/>.</summary>
    Duplicate,
    /// <summary>The second segment in flight arrives before the first (reordered ACK).</summary>
    Reorder,
    /// <summary>A segment delivered earlier to the side arrives again (old duplicate); <c>Arg</c> picks which.</summary>
    Replay,
    /// <summary>An attacker's RST arrives near RCV.NXT: <c>Arg % 3</c> is 0 at, 1 inside the window, 2 outside.</summary>
    InjectRst,
    /// <summary>An attacker's SYN arrives near RCV.NXT (placement as for <see cref="InjectRst"/>).</summary>
    InjectSyn,
    /// <summary>Time advances to the earliest timer of either side, which fires (retransmission, TIME-WAIT, ...).</summary>
    Tick,
    /// <summary>Time advances to the side's TIME-WAIT deadline, which fires (the only timer the reference has).</summary>
    TimeWaitExpires,
    /// <summary>Time advances by <c>Arg</c> × 100 ms; timers that fall due meanwhile fire at their deadlines.</summary>
    Wait,
    /// <summary>A crafted segment arrives from off the path: <c>Arg</c> picks its controls, its SEQ relative
    /// to the receiver's RCV.NXT / IRS and its ACK relative to SND.UNA / SND.NXT / ISS
    /// (<see cref="Ev.Crafted(int)"/>), so every segment class of every state can be reached.</summary>
    InjectSegment,
    /// <summary>The user calls STATUS.</summary>
    Status,
    /// <summary>Time advances by <c>Arg</c> µs (a timed schedule's clock, <see cref="TimedSchedule"/>); timers due
    /// before the new time fire at their deadlines, one due at it fires with the next <see cref="Tick"/>.</summary>
    Elapse,
}

/// <summary>
/// One event of an adversarial scenario. For network events <see cref="Side"/> is the receiving
/// side. Arguments are interpreted against the state at the time (an event that does not apply,
/// such as delivering from an empty channel, is a no-op), so every sub-list of a scenario is a
/// scenario: this is what makes shrinking work.
/// </summary>
public readonly record struct Ev(EvKind Kind, Side Side, int Arg = 0)
{
    /// <summary>Passive OPEN at a side.</summary>
    public static Ev OpenPassive(Side s) => new(EvKind.OpenPassive, s);
    /// <summary>Passive OPEN with the foreign socket unspecified (a SEND then has no one to send to).</summary>
    public static Ev OpenPassiveUnspecified(Side s) => new(EvKind.OpenPassive, s, 1);
    /// <summary>STATUS at a side.</summary>
    public static Ev Status(Side s) => new(EvKind.Status, s);
    /// <summary>Active OPEN at a side.</summary>
    public static Ev OpenActive(Side s) => new(EvKind.OpenActive, s);
    /// <summary>SEND of n octets.</summary>
    public static Ev Send(Side s, int n) => new(EvKind.Send, s, n);
    /// <summary>RECEIVE of at most n octets.</summary>
    public static Ev Receive(Side s, int n) => new(EvKind.Receive, s, n);
    /// <summary>CLOSE.</summary>
    public static Ev Close(Side s) => new(EvKind.Close, s);
    /// <summary>ABORT.</summary>
    public static Ev Abort(Side s) => new(EvKind.Abort, s);
    /// <summary>Deliver the next segment to a side.</summary>
    public static Ev Deliver(Side to) => new(EvKind.Deliver, to);
    /// <summary>Lose the next segment to a side.</summary>
    public static Ev Lose(Side to) => new(EvKind.Lose, to);
    /// <summary>Deliver the next segment to a side and keep a copy in flight.</summary>
    public static Ev Duplicate(Side to) => new(EvKind.Duplicate, to);
    /// <summary>Deliver the second segment in flight to a side before the first.</summary>
    public static Ev Reorder(Side to) => new(EvKind.Reorder, to);
    /// <summary>Deliver an old duplicate to a side.</summary>
    public static Ev Replay(Side to, int which) => new(EvKind.Replay, to, which);
    /// <summary>Inject a RST near the side's RCV.NXT.</summary>
    public static Ev InjectRst(Side to, int where) => new(EvKind.InjectRst, to, where);
    /// <summary>Inject a SYN near the side's RCV.NXT.</summary>
    public static Ev InjectSyn(Side to, int where) => new(EvKind.InjectSyn, to, where);
    /// <summary>Fire the earliest timer(s).</summary>
    public static Ev Tick() => new(EvKind.Tick, Side.A);
    /// <summary>Let n × 100 ms pass, firing timers at their deadlines.</summary>
    public static Ev Wait(int tenths) => new(EvKind.Wait, Side.A, tenths);
    /// <summary>Fire the side's TIME-WAIT timer.</summary>
    public static Ev TimeWaitExpires(Side s) => new(EvKind.TimeWaitExpires, s);
    /// <summary>Let <paramref name="micros"/> µs pass (timers due before then fire at their deadlines).</summary>
    public static Ev Elapse(int micros) => new(EvKind.Elapse, Side.A, micros);
    /// <summary>Deliver the segment in flight to a side that overtakes <paramref name="overtaken"/> sent before it.</summary>
    public static Ev DeliverAt(Side to, int overtaken) => new(EvKind.Deliver, to, overtaken);
    /// <summary>Lose the segment in flight to a side after <paramref name="index"/> others.</summary>
    public static Ev LoseAt(Side to, int index) => new(EvKind.Lose, to, index);
    /// <summary>Deliver the segment in flight to a side after <paramref name="index"/> others and keep a copy in flight.</summary>
    public static Ev DuplicateAt(Side to, int index) => new(EvKind.Duplicate, to, index);
    /// <summary>A crafted segment to a side (<see cref="Crafted(int)"/> says which).</summary>
    public static Ev InjectSegment(Side to, int form) => new(EvKind.InjectSegment, to, form);

    /// <summary>Controls of crafted segments (index <c>Arg % CraftedControls</c>).</summary>
    public const int CraftedControls = 12;
    /// <summary>SEQ placements of crafted segments.</summary>
    public const int CraftedSeqs = 6;
    /// <summary>ACK placements of crafted segments.</summary>
    public const int CraftedAcks = 6;
    /// <summary>Number of distinct crafted forms.</summary>
    public const int CraftedForms = CraftedControls * CraftedSeqs * CraftedAcks;

    /// <summary>The crafted form of an <c>Arg</c>: control index, SEQ placement, ACK placement.</summary>
    public static (int Control, int Seq, int Ack) Crafted(int arg)
    {
        int a = Math.Abs(arg) % CraftedForms;
        return (a % CraftedControls, a / CraftedControls % CraftedSeqs, a / (CraftedControls * CraftedSeqs));
    }

    /// <summary>Words for a crafted form.</summary>
    public static string CraftedText(int arg)
    {
        var (c, q, k) = Crafted(arg);
        string ctl = c switch
        {
            0 => "ACK", 1 => "ACK+2 octets", 2 => "FIN,ACK", 3 => "FIN,ACK+2 octets", 4 => "SYN", 5 => "SYN,ACK",
            6 => "RST", 7 => "RST,ACK", 8 => "2 octets without ACK", 9 => "FIN without ACK", 10 => "ACK, window 0", _ => "SYN,FIN",
        };
        string seq = q switch
        {
            0 => "RCV.NXT", 1 => "RCV.NXT+1", 2 => "RCV.NXT+RCV.WND", 3 => "RCV.NXT-1", 4 => "IRS", _ => "RCV.NXT+RCV.WND-1",
        };
        string ack = k switch
        {
            0 => "SND.NXT", 1 => "SND.UNA", 2 => "SND.UNA-1", 3 => "SND.NXT+1", 4 => "SND.UNA-2^30", _ => "ISS",
        };
        return $"{ctl} SEQ={seq} ACK={ack}";
    }

    /// <summary>True for crafted forms that carry text (an attacker's octets, which P-04 cannot tell from the peer's).</summary>
    public static bool CraftedCarriesText(int arg) => Crafted(arg).Control is 1 or 3 or 8;

    /// <summary>True for events that move segments (the side is the receiver).</summary>
    public bool IsNetwork => Kind is EvKind.Deliver or EvKind.Lose or EvKind.Duplicate or EvKind.Reorder
        or EvKind.Replay or EvKind.InjectRst or EvKind.InjectSyn or EvKind.InjectSegment;

    /// <summary>The event as RFC-style words, e.g. <c>A: OPEN (active)</c> or <c>deliver to B</c>.</summary>
    public override string ToString() => Kind switch
    {
        EvKind.OpenPassive => Arg == 1 ? $"{Side}: OPEN (passive, foreign socket unspecified)" : $"{Side}: OPEN (passive)",
        EvKind.Status => $"{Side}: STATUS",
        EvKind.OpenActive => $"{Side}: OPEN (active)",
        EvKind.Send => $"{Side}: SEND {Arg} octet(s)",
        EvKind.Receive => $"{Side}: RECEIVE up to {Arg}",
        EvKind.Close => $"{Side}: CLOSE",
        EvKind.Abort => $"{Side}: ABORT",
        EvKind.Deliver => Arg == 0 ? $"deliver to {Side}" : $"deliver #{Arg} in flight to {Side}",
        EvKind.Lose => Arg == 0 ? $"lose next to {Side}" : $"lose #{Arg} in flight to {Side}",
        EvKind.Duplicate => Arg == 0 ? $"duplicate next to {Side}" : $"duplicate #{Arg} in flight to {Side}",
        EvKind.Reorder => $"reorder: second before first to {Side}",
        EvKind.Replay => $"old duplicate #{Arg} to {Side}",
        EvKind.InjectRst => $"inject RST {Placement(Arg)} to {Side}",
        EvKind.InjectSyn => $"inject SYN {Placement(Arg)} to {Side}",
        EvKind.Tick => "time passes: earliest timer fires",
        EvKind.TimeWaitExpires => $"{Side}: 2MSL time-wait timeout",
        EvKind.Wait => $"time passes: {Arg * 100} ms",
        EvKind.InjectSegment => $"inject {CraftedText(Arg)} to {Side}",
        EvKind.Elapse => $"time passes: {Arg} µs",
        _ => Kind.ToString(),
    };

    /// <summary>Where an injected segment lies relative to RCV.NXT.</summary>
    public static string Placement(int arg) => (arg % 3) switch
    {
        0 => "at RCV.NXT",
        1 => $"inside window (RCV.NXT+{1 + arg / 3})",
        _ => (arg / 3) % 2 == 0 ? $"outside window (RCV.NXT+RCV.WND+{arg / 6})" : $"outside window (RCV.NXT-{1 + arg / 6})",
    };

    /// <summary>The event as C# for a regression test.</summary>
    public string ToCode()
    {
        string s = "Side." + Side;
        return Kind switch
        {
            EvKind.Send or EvKind.Receive or EvKind.Replay or EvKind.InjectRst or EvKind.InjectSyn or EvKind.InjectSegment
                => string.Create(CultureInfo.InvariantCulture, $"Ev.{Kind}({s}, {Arg})"),
            EvKind.Deliver or EvKind.Lose or EvKind.Duplicate when Arg != 0
                => string.Create(CultureInfo.InvariantCulture, $"Ev.{Kind}At({s}, {Arg})"),
            EvKind.Elapse => string.Create(CultureInfo.InvariantCulture, $"Ev.Elapse({Arg})"),
            EvKind.Tick => "Ev.Tick()",
            EvKind.OpenPassive when Arg == 1 => $"Ev.OpenPassiveUnspecified({s})",
            EvKind.Wait => string.Create(CultureInfo.InvariantCulture, $"Ev.Wait({Arg})"),
            _ => $"Ev.{Kind}({s})",
        };
    }
}

/// <summary>
/// A scenario: the two endpoints' ISNs (near 2^32, so that sequence numbers wrap) and a list of
/// events on a faulty network. Endpoint A is on the left of a ladder, B on the right.
/// </summary>
public sealed record Scenario(uint IssA, uint IssB, IReadOnlyList<Ev> Events)
{
    /// <summary>The generator seed this scenario was drawn from (<see cref="ScheduleGenerator.Generate"/>), or null.
    /// Shrinking keeps it: it names the original run, which <c>tcpmodel simulate --replay SEED --size N</c> shows.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The size (most events) the scenario was generated with.</summary>
    public int Size { get; init; }

    /// <summary>The generator options it was drawn with.</summary>
    public GeneratorOptions? Options { get; init; }

    /// <summary>A timed schedule (<see cref="TimedSchedule"/>): events take no time of their own, the clock moves only
    /// by <see cref="EvKind.Elapse"/> and the timers, and the ladder shows each row's virtual time. Otherwise every
    /// event but the time advances takes <see cref="Simulator.EventSpacing"/>.</summary>
    public bool Timed { get; init; }

    /// <summary>The same ISNs with other events.</summary>
    public Scenario With(IReadOnlyList<Ev> events) => this with { Events = events };

    /// <summary>A compact one-line form (FsCheck prints it for the original and shrunk cases).</summary>
    public override string ToString() =>
        $"ISS A={IssA} B={IssB}: " + string.Join("; ", Events.Select(e => e.ToString()));

    /// <summary>The scenario as a C# expression, for pasting into Regressions.cs.</summary>
    public string ToCode()
    {
        var sb = new StringBuilder();
        sb.Append("new Scenario(").Append(IssA.ToString(CultureInfo.InvariantCulture)).Append("u, ")
          .Append(IssB.ToString(CultureInfo.InvariantCulture)).Append("u,\n            [\n");
        foreach (var e in Events) sb.Append("                ").Append(e.ToCode()).Append(",\n");
        sb.Append("            ])");
        if (Timed) sb.Append(" { Timed = true }");
        return sb.ToString();
    }
}
