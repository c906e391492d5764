using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance.Pcap;

/// <summary>A segment the model emitted and the capture has yet to show (only what is compared).</summary>
internal readonly record struct Owed(SeqNum Seq, SeqNum Ack, Control Ctl, int Length, string Rule)
{
    public bool PureAck => Length == 0 && (Ctl & (Control.SYN | Control.FIN | Control.RST)) == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("<SEQ=").Append(Seq.Value.ToString(CultureInfo.InvariantCulture)).Append('>');
        if ((Ctl & Control.ACK) != 0) sb.Append("<ACK=").Append(Ack.Value.ToString(CultureInfo.InvariantCulture)).Append('>');
        sb.Append("<CTL=").Append(SegmentText.Flags(Ctl)).Append('>');
        if (Length > 0) sb.Append("<LEN=").Append(Length.ToString(CultureInfo.InvariantCulture)).Append('>');
        return sb.ToString();
    }
}

/// <summary>Per-packet record of one candidate's history (persistent list, newest first).</summary>
internal sealed record Hist(Hist? Prev, int Packet, TcpState State, string[] Hidden);

/// <summary>Persistent list of the packets a candidate assumed lost.</summary>
internal sealed record LostList(LostList? Prev, int Packet);

/// <summary>One configuration of the search: an endpoint of the model with its hidden choices so far.</summary>
internal sealed class Candidate
{
    public required Endpoint Ep;
    public long Now;
    public List<Owed> Owed = [];
    public int? Pending; // a delivery deferred (captured, not yet processed by this side)
    public int Cost;
    public Hist? Hist;
    public LostList? Lost;
    public List<string> Hidden = [];

    public Candidate Fork() => new()
    {
        Ep = Ep.Clone(), Now = Now, Owed = [.. Owed], Pending = Pending, Cost = Cost, Hist = Hist, Lost = Lost, Hidden = [.. Hidden],
    };

    public string Signature()
    {
        var t = Ep.Tcb;
        var sb = new StringBuilder();
        sb.Append((int)Ep.State).Append('|').Append(t.SndUna.Value).Append('|').Append(t.SndNxt.Value).Append('|').Append(t.RcvNxt.Value)
          .Append('|').Append(t.SendQueue.Count).Append('|').Append(t.ReceiveQueue.Count).Append('|').Append(t.FinQueued).Append(t.FinSent)
          .Append(t.FinReceived).Append('|').Append(Pending ?? -1).Append('|');
        for (int k = 0; k <= (int)TimerKind.TimeWait; k++) sb.Append(t.Timers.Get((TimerKind)k) == TimerSet.Off ? '0' : '1');
        foreach (var o in Owed) if (!o.PureAck) sb.Append(o.ToString());
        return sb.ToString();
    }
}

/// <summary>Why a candidate could not explain a segment.</summary>
internal readonly record struct Failure(TcpState State, string Reason, string Rule);

/// <summary>
/// Replays one side of a connection through the model: segments the other side sent are its inputs
/// (delivered at once, deferred past this side's next segment, or lost after the capture point);
/// segments it sent must be emitted by the model, after hidden user calls and timer expiries the
/// search chooses. A beam of at most <see cref="TraceChecker.BeamWidth"/> configurations (deduplicated
/// by their TCB) is carried from packet to packet, each packet trying at most
/// <see cref="TraceChecker.MaxHidden"/> hidden events, so the work is linear in the trace length.
/// </summary>
internal sealed class SideChecker
{
    private readonly Connection _conn;
    private readonly HostPort _me;
    private readonly long _t0;
    private readonly Outbox _out = new();
    private readonly int _beam;
    private readonly int _maxHidden;

    public SideChecker(Connection conn, bool sideA, Profile baseProfile, int beam, int maxHidden)
    {
        _conn = conn;
        _me = sideA ? conn.A : conn.B;
        _t0 = conn.Packets[0].TimeMicros;
        _beam = beam;
        _maxHidden = maxHidden;
        var mine = conn.Packets.Where(p => p.Source == _me).ToList();
        var syn = mine.FirstOrDefault(p => p.Segment.Syn);
        Profile = ProfileFor(baseProfile, syn);
        IPv6 = conn.Packets[0].IPv6;
        Isn = new FixedIsnSource(syn?.Segment.Seq.Value ?? 0);
    }

    public Profile Profile { get; }
    public bool IPv6 { get; }
    public FixedIsnSource Isn { get; }
    public int MaxCandidates { get; private set; }

    /// <summary>The options the side's own SYN shows are configuration, not behaviour: the model offers
    /// the same MSS, window scale, SACK-permitted and timestamps (RFC 9293 §3.7.1, RFC 7323, RFC 2018).</summary>
    public static Profile ProfileFor(Profile p, TcpPacket? syn) =>
        syn is null ? p : ExchangeCheck.ProfileFor(p, syn.Segment, syn.IPv6);

    /// <summary>Checks the side: the best surviving candidate's history, or the failure.</summary>
    public (Candidate? Best, int FailedAt, List<Failure> Failures) Run()
    {
        var beam = Initial();
        var packets = _conn.Packets;
        for (int i = 0; i < packets.Count; i++)
        {
            var p = packets[i];
            long now = p.TimeMicros - _t0;
            var next = new List<Candidate>();
            var failures = new List<Failure>();
            if (p.Source == _me)
            {
                foreach (var c0 in beam)
                {
                    c0.Now = Math.Max(c0.Now, now);
                    // a delivery is deferred past this side's own segments only briefly (the segment was
                    // in flight): after DeferWindow it was delivered or lost
                    var starts = c0.Pending is int k && p.TimeMicros - packets[k].TimeMicros > DeferWindow ? ResolvePending(c0) : [c0];
                    foreach (var c in starts) Explain(c, p.Segment, _maxHidden, next, failures, true);
                }
                if (next.Count == 0) return (beam.OrderBy(c => c.Cost).FirstOrDefault(), i, failures);
            }
            else
            {
                foreach (var c in beam)
                {
                    c.Now = Math.Max(c.Now, now);
                    foreach (var r in ResolvePending(c))
                    {
                        // the peer retransmits what this side already holds while this side still owes a
                        // segment: it answered late, or (cheaper to believe on a real network) the first
                        // copy was lost after the capture point
                        if (r.Owed.Count > 0 && IsOldDuplicate(r.Ep.Tcb, p.Segment)) r.Cost += LateCost;
                        ArriveVariants(r, i, next);
                    }
                }
            }
            foreach (var c in next)
            {
                c.Hist = new Hist(c.Hist, i, c.Ep.State, [.. c.Hidden]);
                c.Hidden.Clear();
            }
            beam = Prune(next);
        }
        var ends = beam.SelectMany(ResolvePending).ToList();
        var best = ends.OrderBy(c => c.Cost + 3 * c.Owed.Count(o => !o.PureAck)).First();
        return (best, -1, []);
    }

    /// <summary>How long after its capture a segment may still be in flight to this side (µs): its
    /// delivery may be deferred past segments this side sends within this time.</summary>
    public const long DeferWindow = 20_000;

    /// <summary>Cost of assuming a segment lost after the capture point.</summary>
    private const int LostCost = 4;

    /// <summary>Cost of a response still owed when the peer retransmits what it answers.</summary>
    private const int LateCost = 5;

    private static bool IsOldDuplicate(Tcb t, in Segment s) =>
        s.Syn
            // the peer's SYN again while this side, in SYN-RECEIVED, still owes its SYN,ACK: on a network that
            // captured nothing from this side, the first SYN is the one that was lost
            ? !s.HasAck && !s.Rst && s.Seq == t.Irs && t.RcvNxt == t.Irs + new SeqLen(1)
            : s.Length.Value > 0 && (s.Seq + s.Length).Value - t.RcvNxt.Value is 0 or > 0x8000_0000u;

    private List<Candidate> Initial()
    {
        var first = _conn.Packets[0];
        var opts = new EndpointOptions { Isn = Isn, IPv6 = IPv6, ReceiveBuffer = 1 << 22 };
        var closed = new Candidate { Ep = new Endpoint(Profile, opts) };
        if (first.Source == _me) return [closed];
        var listen = new Candidate { Ep = new Endpoint(Profile, opts) };
        Step(listen, Input.OpenPassive(), "OPEN (passive)", record: true);
        listen.Owed.Clear();
        closed.Cost = 1; // no socket at all: prefer a listener
        return [listen, closed];
    }

    /// <summary>A deferred delivery must happen before anything else: delivered, or lost after the capture point.</summary>
    private List<Candidate> ResolvePending(Candidate c)
    {
        if (c.Pending is not int k) return [c];
        var lost = c.Fork();
        lost.Pending = null;
        lost.Lost = new LostList(lost.Lost, k);
        lost.Cost += LostCost;
        c.Pending = null;
        Deliver(c, k);
        return [c, lost];
    }

    private void ArriveVariants(Candidate c, int i, List<Candidate> into)
    {
        var lost = c.Fork();
        lost.Lost = new LostList(lost.Lost, i);
        lost.Cost += LostCost;
        var deferred = c.Fork();
        deferred.Pending = i;
        deferred.Cost += 1;
        Deliver(c, i);
        into.Add(c);
        into.Add(deferred);
        into.Add(lost);
    }

    private void Deliver(Candidate c, int i) => Step(c, Input.Arrive(_conn.Packets[i].Segment), null, false);

    private void Step(Candidate c, in Input input, string? label, bool record)
    {
        c.Ep.Step(input, c.Now, _out);
        if (record && label is not null) c.Hidden.Add(label);
        string rule = _out.FiredCount > 0 ? _out.Fired[_out.FiredCount - 1].Cell.Rfc : "";
        foreach (var s in _out.Segments)
            c.Owed.Add(new Owed(s.Seq, s.Ack, s.Control & ~(Control.PSH | Control.URG), s.Payload.Length, rule));
        if (c.Owed.Count > 16) c.Owed.RemoveAll(o => o.PureAck); // ACKs the stack merged
    }

    /// <summary>Tries to explain sent segment <paramref name="seg"/> from <paramref name="c"/> with up to
    /// <paramref name="depth"/> more hidden events; successes go to <paramref name="into"/>.</summary>
    private void Explain(Candidate c, in Segment seg, int depth, List<Candidate> into, List<Failure> failures, bool top)
    {
        if (TryMatch(c, seg))
        {
            into.Add(c);
            return;
        }
        if (depth == 0)
        {
            if (top) failures.Add(Why(c, seg));
            return;
        }
        int before = into.Count;
        foreach (var (label, make) in Alternatives(c, seg))
        {
            var n = c.Fork();
            make(n);
            if (label.Length > 0) n.Hidden.Add(label);
            n.Hidden.RemoveAll(h => h.StartsWith('~'));
            Explain(n, seg, depth - 1, into, failures, false);
            if (into.Count - before >= 4) break;
        }
        if (top && into.Count == before) failures.Add(Why(c, seg));
    }

    private static bool Same(in Owed w, in Segment o) => ExchangeCheck.Same(w.Seq, w.Ack, w.Ctl, w.Length, o);

    private static bool TryMatch(Candidate c, in Segment o)
    {
        int i = 0;
        while (i < c.Owed.Count)
        {
            var w = c.Owed[i];
            if (Same(w, o))
            {
                c.Owed.RemoveRange(0, i + 1);
                c.Cost += i; // ACKs the stack delayed and merged into this segment (RFC 1122 §4.2.3.2)
                return true;
            }
            if (!w.PureAck) break;
            i++;
        }
        // an ACK carrying the current SND.NXT and RCV.NXT may be sent at any time: a window update
        // (RFC 9293 §3.8.6.2.2) or a duplicate; it changes nothing the model keeps
        var t = c.Ep.Tcb;
        bool pureAck = o.Payload.Length == 0 && (o.Control & (Control.SYN | Control.FIN | Control.RST)) == 0 && o.HasAck;
        if (pureAck && i == c.Owed.Count && c.Ep.State.IsSynchronized() && c.Ep.State != TcpState.SynReceived
            && o.Seq == t.SndNxt && o.Ack == t.RcvNxt)
        {
            c.Owed.Clear();
            c.Cost += 1;
            return true;
        }
        return false;
    }

    /// <summary>The hidden events worth trying before a sent segment: deliver or lose a deferred
    /// segment, the user calls whose effect the segment shows, a timer expiry.</summary>
    private IEnumerable<(string Label, Action<Candidate> Make)> Alternatives(Candidate c, Segment o)
    {
        if (c.Pending is int k)
        {
            yield return ("", n => { n.Pending = null; Deliver(n, k); n.Hidden.Add("~deliver the deferred segment"); });
            yield return ("", n => { n.Pending = null; n.Lost = new LostList(n.Lost, k); n.Cost += LostCost; n.Hidden.Add("~lose the deferred segment"); });
        }
        var ep = c.Ep;
        var t = ep.Tcb;
        if (o.Syn && !o.HasAck && ep.State == TcpState.Closed)
            yield return ("OPEN (active)", n => { n.Cost += 2; Step(n, Input.OpenActive, null, false); });
        if (o.Payload.Length > 0 && ep.State is TcpState.Established or TcpState.CloseWait or TcpState.SynSent or TcpState.SynReceived)
        {
            long queuedEnd = (long)(t.SndUna.Value) + t.SendQueue.Count + (t.SynUnacked ? 1 : 0);
            long want = (long)o.Seq.Value + o.Payload.Length;
            long more = (uint)(want - queuedEnd);
            if (more > 0 && more <= o.Payload.Length)
            {
                var data = o.Payload[(o.Payload.Length - (int)more)..].ToArray();
                yield return ($"SEND {more}", n => { n.Cost += 2; Step(n, Input.Send(data), null, false); });
            }
        }
        if ((o.Fin || o.Rst) && !t.FinQueued && ep.State is TcpState.Established or TcpState.CloseWait or TcpState.SynReceived or TcpState.SynSent)
        {
            yield return ("CLOSE", n => { n.Cost += 2; Step(n, Input.Close, null, false); });
            if (t.ReceiveQueue.Count > 0)
                yield return ("RECEIVE", n => { n.Cost += 1; Receive(n); });
        }
        if (o.Rst && ep.State != TcpState.Closed)
            yield return ("ABORT", n => { n.Cost += 2; Step(n, Input.Abort, null, false); });
        if (!o.Rst && !o.Fin && t.ReceiveQueue.Count > 0 && o.Payload.Length == 0)
            yield return ("RECEIVE", n => { n.Cost += 1; Receive(n); });
        // RFC 1122 §4.2.3.6: keep-alives are an option the application turns on (SO_KEEPALIVE, with its own idle
        // time), which a capture does not show; a probe — <SEQ=SND.NXT-1><ACK=RCV.NXT>, no text (or MAY-5's one
        // garbage octet), with nothing outstanding in ESTABLISHED or CLOSE-WAIT — is explained by its timer
        if (ep.State is TcpState.Established or TcpState.CloseWait && t.SndUna == t.SndNxt && !o.Syn && !o.Fin && !o.Rst
            && o.HasAck && o.Payload.Length <= 1 && o.Seq == t.SndNxt - new SeqLen(1) && o.Ack == t.RcvNxt
            && t.Timers.Get(TimerKind.KeepAlive) == TimerSet.Off)
            yield return ("keep-alive timeout (SO_KEEPALIVE)", n =>
            {
                n.Cost += 2;
                n.Ep.Tcb.Timers.Set(TimerKind.KeepAlive, n.Now);
                Step(n, Input.Tick, null, false);
            });
        long deadline = ep.NextDeadline;
        if (deadline != TimerSet.Off)
            yield return ("", n =>
            {
                n.Cost += 2;
                var kind = DueTimer(n.Ep.Tcb.Timers);
                n.Now = Math.Max(n.Now, deadline);
                n.Hidden.Add(kind + " timeout");
                Step(n, Input.Tick, null, false);
            });
    }

    private void Receive(Candidate n)
    {
        var buffer = new byte[n.Ep.Tcb.ReceiveQueue.Count];
        Step(n, Input.Receive(buffer), null, false);
    }

    private static string DueTimer(TimerSet t)
    {
        var best = TimerKind.Retransmit;
        for (int k = 0; k <= (int)TimerKind.TimeWait; k++)
            if (t.Get((TimerKind)k) < t.Get(best)) best = (TimerKind)k;
        return best switch
        {
            TimerKind.Retransmit => "retransmission",
            TimerKind.Persist => "persist",
            TimerKind.DelayedAck => "delayed-ACK",
            TimerKind.KeepAlive => "keep-alive",
            TimerKind.User => "user",
            _ => "TIME-WAIT",
        };
    }

    /// <summary>Why <paramref name="c"/> cannot explain <paramref name="o"/>: what the model sends
    /// next, or what each hidden event would have made it send.</summary>
    private Failure Why(Candidate c, in Segment o)
    {
        var head = c.Owed.FirstOrDefault(w => !w.PureAck);
        if (c.Owed.Any(w => !w.PureAck))
            return new Failure(c.Ep.State, $"the model sends {head} next, not this segment", head.Rule);
        var tried = new List<string>();
        string rule = "";
        foreach (var (label, make) in Alternatives(c, o))
        {
            var n = c.Fork();
            make(n);
            string name = label.Length > 0 ? label : n.Hidden.Count > c.Hidden.Count ? n.Hidden[^1].TrimStart('~') : "?";
            var sent = n.Owed.FirstOrDefault(w => !w.PureAck);
            string what = n.Owed.Count == 0 ? "nothing" : n.Owed.Any(w => !w.PureAck) ? sent.ToString() : n.Owed[^1].ToString();
            tried.Add($"{name} -> {what}");
            if (rule.Length == 0 && n.Owed.Count > 0) rule = n.Owed[0].Rule;
        }
        var t = c.Ep.Tcb;
        string vars = FormattableString.Invariant($"SND.NXT={t.SndNxt.Value} RCV.NXT={t.RcvNxt.Value}");
        string reason = tried.Count == 0
            ? $"nothing explains it ({vars}): no input, user call or timer of this state emits such a segment"
            : $"no choice explains it ({vars}); tried: {string.Join("; ", tried)}";
        if (rule.Length == 0) rule = "RFC 9293 §3.10 (no event of this state emits the segment)";
        return new Failure(c.Ep.State, reason, rule);
    }

    private List<Candidate> Prune(List<Candidate> next)
    {
        var seen = new Dictionary<string, Candidate>();
        foreach (var c in next.OrderBy(c => c.Cost))
            seen.TryAdd(c.Signature(), c);
        var kept = seen.Values.Take(_beam).ToList();
        MaxCandidates = Math.Max(MaxCandidates, kept.Count);
        return kept;
    }
}

/// <summary>Segment text in the RFC notation the checker prints (spec/tcpmodel-check.md).</summary>
public static class SegmentText
{
    /// <summary>The flags as the notation names them, e.g. <c>SYN,ACK</c>.</summary>
    public static string Flags(Control c)
    {
        var parts = new List<string>();
        foreach (var (f, n) in new[] { (Control.SYN, "SYN"), (Control.RST, "RST"), (Control.FIN, "FIN"), (Control.PSH, "PSH"), (Control.ACK, "ACK"), (Control.URG, "URG") })
            if ((c & f) != 0) parts.Add(n);
        return string.Join(',', parts);
    }

    /// <summary><c>&lt;SEQ=1&gt;&lt;ACK=1&gt;&lt;CTL=PSH,ACK&gt;&lt;WND=64&gt;&lt;OPT=TS:1:2&gt;&lt;LEN=5&gt;</c>: the segment
    /// without its text, and the text's length.</summary>
    public static string Of(in Segment s)
    {
        string head = Notation.Format(s.WithPayload(default), includeWindow: true);
        return s.Payload.Length > 0 ? head + "<LEN=" + s.Payload.Length.ToString(CultureInfo.InvariantCulture) + ">" : head;
    }
}
