using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>Channel faults of a <see cref="Simulation"/>: probabilities per segment, one-way delay.</summary>
public sealed record Faults(double Loss = 0, double Duplicate = 0, double Reorder = 0, long DelayMicros = 10_000, bool Attacker = false);

/// <summary>What the network does to one segment (a scenario's override of the random faults).</summary>
public enum SegmentFate : byte
{
    /// <summary>Let the random faults decide.</summary>
    Random,
    /// <summary>Delivered after the delay.</summary>
    Deliver,
    /// <summary>Lost.</summary>
    Lose,
    /// <summary>Delivered twice.</summary>
    Duplicate,
    /// <summary>Held back so that later segments overtake it (three delays).</summary>
    Reorder,
    /// <summary>Delivered, and a copy arrives again after 2 MSL and a second (an old duplicate).</summary>
    OldDuplicate,
}

/// <summary>A user call at a virtual time.</summary>
public sealed record UserCall(long At, Side Side, Trigger Call, string Text = "");

/// <summary>One row of a simulation: a segment on the wire, or an event at one side.</summary>
public sealed record SimRow(long Time, Side Side, Segment? Segment, string Event, string Note, TcpState A, TcpState B);

/// <summary>
/// Two model endpoints on a faulty network in virtual time: loss, duplication, reordering, delay
/// (including beyond MSL, so old duplicates reach a later incarnation), and an off-path attacker that
/// throws RSTs and SYNs at guessed sequence numbers. Deterministic for a seed (its own xorshift
/// generator, no clock). Users' byte streams are real: each side RECEIVEs whatever arrives.
/// </summary>
public sealed class Simulation
{
    private readonly Endpoint[] _ep = new Endpoint[2];
    private readonly Outbox _out = new();
    private readonly List<(long At, long Order, Side To, Segment Seg, string Note)> _flight = [];
    private readonly Faults _faults;
    private ulong _rng;
    private long _order;
    private readonly int[] _sent = new int[2];

    /// <summary>Creates a simulation of <paramref name="profile"/> on both sides.</summary>
    public Simulation(Profile profile, ulong seed, Faults faults, uint issA = 4_294_966_000, uint issB = 2_000_000_000)
    {
        Profile = profile;
        Seed = seed;
        _faults = faults;
        _rng = seed * 0x9E3779B97F4A7C15UL + 0x2545F4914F6CDD1DUL;
        if (_rng == 0) _rng = 1;
        _ep[0] = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(issA, issA + 1_000_000) });
        _ep[1] = new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(issB, issB + 1_000_000) });
    }

    /// <summary>The profile of both sides.</summary>
    public Profile Profile { get; }
    /// <summary>The seed.</summary>
    public ulong Seed { get; }
    /// <summary>Virtual time (µs).</summary>
    public long Now { get; private set; }
    /// <summary>The endpoint of a side.</summary>
    public Endpoint this[Side s] => _ep[(int)s];
    /// <summary>The run so far.</summary>
    public List<SimRow> Rows { get; } = [];
    /// <summary>What each side's user received (A, B).</summary>
    public StringBuilder[] Received { get; } = [new(), new()];
    /// <summary>What each side's user handed to SEND and the model accepted.</summary>
    public StringBuilder[] SentText { get; } = [new(), new()];
    /// <summary>Marks a scenario sets (e.g. "the first FIN was lost already").</summary>
    public HashSet<string> Marks { get; } = [];
    /// <summary>Notices to each side's user.</summary>
    public List<(long Time, Side Side, Notice Notice)> Notices { get; } = [];
    /// <summary>A scenario's fate for the n-th (1-based) segment a side sends, or <see cref="SegmentFate.Random"/>.</summary>
    public Func<Side, int, Segment, Simulation, SegmentFate> Fate { get; init; } = (_, _, _, _) => SegmentFate.Random;

    private double NextDouble()
    {
        _rng ^= _rng << 13;
        _rng ^= _rng >> 7;
        _rng ^= _rng << 17;
        return (_rng >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Runs the calls and the network until <paramref name="until"/> (µs) or until nothing is left to happen.</summary>
    public void Run(IEnumerable<UserCall> calls, long until = 600_000_000)
    {
        var pending = calls.OrderBy(c => c.At).ToList();
        int next = 0;
        long attackAt = _faults.Attacker ? 50_000 : long.MaxValue;
        for (int guard = 0; guard < 100_000; guard++)
        {
            long tCall = next < pending.Count ? pending[next].At : long.MaxValue;
            long tSeg = _flight.Count == 0 ? long.MaxValue : _flight.Min(f => f.At);
            long tTimer = Math.Min(_ep[0].NextDeadline, _ep[1].NextDeadline);
            long t = Math.Min(Math.Min(tCall, tSeg), Math.Min(tTimer, attackAt));
            if (t == long.MaxValue || t > until) break;
            if (t == attackAt && tTimer == TimerSet.Off && tSeg == long.MaxValue && tCall == long.MaxValue) break;
            Now = Math.Max(Now, t);
            if (t == tCall)
            {
                var c = pending[next++];
                Call(c);
            }
            else if (t == tSeg)
            {
                var f = _flight.Where(x => x.At == tSeg).MinBy(x => x.Order);
                _flight.Remove(f);
                Rows.Add(new SimRow(Now, f.To, f.Seg, "arrives", f.Note, _ep[0].State, _ep[1].State));
                Step(f.To, Input.Arrive(f.Seg));
                ReceiveAll(f.To);
            }
            else if (t == tTimer)
            {
                var side = _ep[0].NextDeadline <= _ep[1].NextDeadline ? Side.A : Side.B;
                Rows.Add(new SimRow(Now, side, null, "timer fires", "", _ep[0].State, _ep[1].State));
                Step(side, Input.Tick);
            }
            else
            {
                Attack();
                attackAt = Now + 200_000 + (long)(NextDouble() * 800_000);
            }
        }
    }

    /// <summary>An off-path attacker's segment: an RST or a SYN at a sequence number guessed near the
    /// target's RCV.NXT (at it, inside the window, or outside it).</summary>
    private void Attack()
    {
        var to = NextDouble() < 0.5 ? Side.A : Side.B;
        var t = _ep[(int)to].Tcb;
        if (!_ep[(int)to].State.IsSynchronized()) return;
        double r = NextDouble();
        uint wnd = Math.Max(1u, t.RcvWnd);
        var seq = r < 0.2 ? t.RcvNxt : r < 0.7 ? t.RcvNxt + new SeqLen(1 + (uint)(NextDouble() * (wnd - 1))) : t.RcvNxt + new SeqLen(wnd + (uint)(NextDouble() * 1000));
        var seg = NextDouble() < 0.6 ? new Segment(seq, default, Control.RST) : new Segment(seq, default, Control.SYN, 65535);
        Rows.Add(new SimRow(Now, to, seg, "arrives", "attacker", _ep[0].State, _ep[1].State));
        Step(to, Input.Arrive(seg));
    }

    private void Call(UserCall c)
    {
        Rows.Add(new SimRow(Now, c.Side, null, c.Call switch
        {
            Trigger.OpenPassive => "OPEN (passive)",
            Trigger.OpenActive => "OPEN (active)",
            Trigger.Send => $"SEND \"{c.Text}\"",
            Trigger.Close => "CLOSE",
            Trigger.Abort => "ABORT",
            _ => c.Call.ToString(),
        }, "", _ep[0].State, _ep[1].State));
        var input = c.Call switch
        {
            Trigger.OpenPassive => Input.OpenPassive(remoteSpecified: true),
            Trigger.OpenActive => Input.OpenActive,
            Trigger.Send => Input.Send(Encoding.ASCII.GetBytes(c.Text)),
            Trigger.Close => Input.Close,
            Trigger.Abort => Input.Abort,
            _ => Input.Status,
        };
        Step(c.Side, input);
        if (c.Call == Trigger.Send) SentText[(int)c.Side].Append(c.Text.AsSpan(0, Math.Min(c.Text.Length, _out.Accepted)));
    }

    private void ReceiveAll(Side side)
    {
        var ep = _ep[(int)side];
        if (ep.Tcb.ReceiveQueue.Count == 0 || ep.State is not (TcpState.Established or TcpState.FinWait1 or TcpState.FinWait2 or TcpState.CloseWait)) return;
        var buffer = new byte[ep.Tcb.ReceiveQueue.Count];
        Step(side, Input.Receive(buffer));
        var got = Encoding.ASCII.GetString(buffer, 0, _out.Received);
        Received[(int)side].Append(got);
        Rows.Add(new SimRow(Now, side, null, $"RECEIVE \"{got}\"", "", _ep[0].State, _ep[1].State));
    }

    private void Step(Side side, in Input input)
    {
        int i = (int)side;
        var before = _ep[i].State;
        _ep[i].Step(input, Now, _out);
        foreach (var n in _out.Notices) Notices.Add((Now, side, n));
        if (_ep[i].State != before)
            Rows.Add(new SimRow(Now, side, null, "enters " + _ep[i].State.RfcName(), "", _ep[0].State, _ep[1].State));
        var emitted = _out.Segments.ToArray().Select(s => s.WithPayload(s.Payload.ToArray())).ToList();
        var to = side == Side.A ? Side.B : Side.A;
        foreach (var s in emitted)
        {
            var fate = Fate(side, ++_sent[i], s, this);
            if (fate == SegmentFate.Random)
            {
                fate = NextDouble() < _faults.Loss ? SegmentFate.Lose
                    : NextDouble() < _faults.Duplicate ? SegmentFate.Duplicate
                    : NextDouble() < _faults.Reorder ? SegmentFate.Reorder : SegmentFate.Deliver;
            }
            string note = fate switch
            {
                SegmentFate.Lose => "lost",
                SegmentFate.Duplicate => "duplicated",
                SegmentFate.Reorder => "delayed: later segments overtake it",
                SegmentFate.OldDuplicate => "a copy will arrive again after 2 MSL",
                _ => "",
            };
            Rows.Add(new SimRow(Now, side, s, "sends", note, _ep[0].State, _ep[1].State));
            long d = _faults.DelayMicros;
            switch (fate)
            {
                case SegmentFate.Lose: break;
                case SegmentFate.Duplicate:
                    Fly(Now + d, to, s, "");
                    Fly(Now + d + d / 2 + 1, to, s, "duplicate");
                    break;
                case SegmentFate.Reorder: Fly(Now + 3 * d, to, s, "reordered"); break;
                case SegmentFate.OldDuplicate:
                    Fly(Now + d, to, s, "");
                    Fly(Now + 2 * Profile.Msl + 1_000_000, to, s, "old duplicate");
                    break;
                default: Fly(Now + d, to, s, ""); break;
            }
        }
    }

    private void Fly(long at, Side to, Segment s, string note) => _flight.Add((at, _order++, to, s, note));

    /// <summary>The run as an RFC-style ladder, the final states and what each user received.</summary>
    public string Text()
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"tcpmodel simulate: profile {Profile.Name}, seed {Seed}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"time",10}  {"A",-12}     {"",-52} {"B",-12}");
        foreach (var r in Rows)
        {
            string what = r.Segment is { } s
                ? (r.Event == "sends" ? (r.Side == Side.A ? "--> " : "<-- ") : (r.Side == Side.B ? "--> " : "<-- ")) + s.ToShortString() + (r.Event == "arrives" ? " (arrives)" : "")
                : r.Side + ": " + r.Event;
            if (r.Note.Length > 0) what += "  (" + r.Note + ")";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Time / 1e6,9:0.000}s  {r.A.RfcName(),-12}  {what,-56} {r.B.RfcName(),-12}");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"final: A {_ep[0].State.RfcName()}, B {_ep[1].State.RfcName()} at {Now / 1e6:0.000}s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"A received \"{Received[0]}\" (B sent \"{SentText[1]}\")");
        sb.AppendLine(CultureInfo.InvariantCulture, $"B received \"{Received[1]}\" (A sent \"{SentText[0]}\")");
        foreach (var (time, side, n) in Notices)
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {time / 1e6:0.000}s {side}: {n.Text()}");
        return sb.ToString();
    }

    /// <summary>The run as a Mermaid <c>sequenceDiagram</c>: lost segments end in a cross.</summary>
    public string Mermaid()
    {
        var sb = new StringBuilder("sequenceDiagram\n    participant A\n    participant B\n");
        foreach (var r in Rows)
        {
            if (r.Segment is { } s && r.Event == "sends")
            {
                string arrow = r.Note == "lost" ? "-x" : "->>";
                sb.AppendLine(CultureInfo.InvariantCulture, $"    {r.Side}{arrow}{(r.Side == Side.A ? "B" : "A")}: {Escape(s.ToShortString())}{(r.Note.Length > 0 ? " (" + r.Note + ")" : "")}");
            }
            else if (r.Segment is { } a && r.Note == "attacker")
                sb.AppendLine(CultureInfo.InvariantCulture, $"    Note over {r.Side}: attacker {Escape(a.ToShortString())}");
            else if (r.Segment is null)
                sb.AppendLine(CultureInfo.InvariantCulture, $"    Note over {r.Side}: {Escape(r.Event)}");
        }
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace(";", ",", StringComparison.Ordinal).Replace("#", "", StringComparison.Ordinal);

    /// <summary>The run as JSON: rows, final states, what each user received.</summary>
    public string Json()
    {
        var o = new
        {
            profile = Profile.Name,
            seed = Seed,
            rows = Rows.Select(r => new
            {
                time_us = r.Time, side = r.Side.ToString(), @event = r.Event, segment = r.Segment?.ToShortString(), note = r.Note,
                a = r.A.RfcName(), b = r.B.RfcName(),
            }),
            final = new { a = _ep[0].State.RfcName(), b = _ep[1].State.RfcName(), time_us = Now },
            received = new { a = Received[0].ToString(), b = Received[1].ToString() },
            sent = new { a = SentText[0].ToString(), b = SentText[1].ToString() },
            notices = Notices.Select(n => new { time_us = n.Time, side = n.Side.ToString(), notice = n.Notice.Text() }),
        };
        return System.Text.Json.JsonSerializer.Serialize(o, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
