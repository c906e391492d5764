using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance;

/// <summary>
/// Checks an exchange (RFC 9293 §3.10 event processing): given the inputs a stack received — user calls and
/// arriving segments, at their times — and the segments it emitted, answers whether the RFC under a profile
/// allows what it sent, and if not, at which event and by which clause. The model is run on the same inputs
/// and its emissions are compared, accepting what real stacks choose freely:
/// <list type="bullet">
/// <item>the ISN (§3.4.1, RFC 6528): taken from the stack's own SYN;</item>
/// <item>the options its SYN offers (MSS, window scale, SACK-permitted, timestamps): configuration, adopted;</item>
/// <item>timer jitter: a segment may be sent up to <see cref="ExchangeTolerance.TimerJitter"/> before or after
/// the model sends it (a retransmission, a delayed ACK, a response);</item>
/// <item>delayed-ACK choice (§3.8.6.3, RFC 1122 §4.2.3.2): an ACK may be sent at once, or later up to
/// <see cref="ExchangeTolerance.MaxAckDelay"/> after the segment that calls for it, and one ACK may cover several;
/// an ACK of SND.NXT and RCV.NXT may always be sent (window update, §3.8.6.2.2);</item>
/// <item>window sizes: any SEG.WND up to <see cref="ExchangeTolerance.MaxWindow"/> whose right edge does not move left.</item>
/// </list>
/// Payload octets, sequence and acknowledgment numbers and control bits (PSH aside) must be what the model sends.
/// The pcap checker (<see cref="Pcap.TraceChecker"/>) shares its segment rule and SYN-option adoption, and adds a
/// search over the user calls a capture does not show.
/// </summary>
public static class ExchangeCheck
{
    /// <summary>Checks <paramref name="exchange"/> against <paramref name="profile"/> with <paramref name="tolerance"/>
    /// (defaults: <see cref="ExchangeTolerance"/>). Never throws for any exchange.</summary>
    public static ExchangeVerdict Check(Exchange exchange, Profile profile, ExchangeTolerance? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(profile);
        return new Run(exchange, profile, tolerance ?? new ExchangeTolerance()).Go();
    }

    /// <summary>The profile the model runs with for a stack whose own SYN is <paramref name="stackSyn"/>: the
    /// options a SYN offers are configuration, not behaviour, so the model offers the same MSS, window scale,
    /// SACK-permitted and timestamps (RFC 9293 §3.7.1, RFC 7323, RFC 2018).</summary>
    public static Profile ProfileFor(Profile profile, Segment? stackSyn, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (stackSyn is not { } syn) return profile;
        var o = syn.Options;
        return profile with
        {
            WindowScale = o.WindowScale,
            SackPermitted = o.SackPermitted,
            Timestamps = o.Timestamp is not null,
            MssIPv4 = ipv6 ? profile.MssIPv4 : o.Mss ?? profile.MssIPv4,
            MssIPv6 = ipv6 ? o.Mss ?? profile.MssIPv6 : profile.MssIPv6,
            // the MSS a stack announces is its interface's MTU less the fixed headers (RFC 9293 §3.7.1; Linux
            // tcp_advertise_mss, FreeBSD tcp_mssopt): the MTU that bounds what it sends (MMS_S) is at least that
            Mtu = o.Mss is ushort m ? Math.Max(profile.Mtu, m + (ipv6 ? 60 : 40)) : profile.Mtu,
        };
    }

    /// <summary>The segment rule shared with the pcap checker: same SEG.SEQ, length and control bits (PSH and URG
    /// aside) and, when ACK is set, the same SEG.ACK; an RST's ACK bit may differ (either form of reset answers).</summary>
    internal static bool Same(SeqNum seq, SeqNum ack, Control ctl, int length, in Segment o)
    {
        var oc = o.Control & ~(Control.PSH | Control.URG);
        if (seq != o.Seq || length != o.Payload.Length) return false;
        if ((ctl & Control.RST) != 0 && (oc & Control.RST) != 0)
            return (ctl & Control.ACK) == 0 || (oc & Control.ACK) == 0 || ack == o.Ack;
        return ctl == oc && ((ctl & Control.ACK) == 0 || ack == o.Ack);
    }

    private readonly record struct Owed(Segment Segment, long At, long DueBy, string Rule)
    {
        public bool PureAck => Segment.Payload.IsEmpty && (Segment.Control & (Control.SYN | Control.FIN | Control.RST)) == 0;
    }

    private sealed class Run
    {
        private const string AckDelayClause = "RFC 9293 §3.8.6.3 (MUST-40)";
        private readonly Exchange _exchange;
        private readonly ExchangeTolerance _tol;
        private readonly Endpoint _ep;
        private readonly Outbox _out = new();
        private readonly List<Owed> _owed = [];
        private readonly long _maxWindow;
        private readonly byte _stackShift;
        private long _now;
        private long _lastArrival = long.MinValue;
        private string _lastRule = "RFC 9293 §3.10";
        private SeqNum? _stackAcked;
        private SeqNum? _rightEdge;

        public Run(Exchange exchange, Profile profile, ExchangeTolerance tolerance)
        {
            _exchange = exchange;
            _tol = tolerance;
            var events = exchange.Events;
            var syn = events.OfType<SentEvent>().Select(e => (Segment?)e.Segment).FirstOrDefault(s => s!.Value.Syn);
            var peerSyn = events.OfType<ArrivedEvent>().Select(e => (Segment?)e.Segment).FirstOrDefault(s => s!.Value.Syn);
            var p = ProfileFor(profile, syn, exchange.IPv6);
            _ep = new Endpoint(p, new EndpointOptions { Isn = new FixedIsnSource(syn?.Seq.Value ?? 0), IPv6 = exchange.IPv6 });
            // RFC 7323 §2.2: windows are scaled only when both SYNs carried the option
            _stackShift = syn?.Options.WindowScale is { } ws && peerSyn?.Options.WindowScale is not null ? ws : (byte)0;
            _maxWindow = tolerance.MaxWindow ?? (long)p.ReceiveBuffer + (exchange.IPv6 ? p.MssIPv6 : p.MssIPv4);
        }

        public ExchangeVerdict Go()
        {
            var events = _exchange.Events;
            for (int i = 0; i < events.Count; i++)
            {
                var e = events[i];
                Advance(e.Time);
                if (Overdue(e.Time, i) is { } late) return late;
                switch (e)
                {
                    case UserCallEvent u:
                        Step(u.Input, e.Time);
                        break;
                    case ArrivedEvent a:
                        _lastArrival = e.Time;
                        Step(Input.Arrive(a.Segment), e.Time);
                        break;
                    case SentEvent s:
                        if (Explain(s.Segment, e.Time, i) is { } bad) return bad;
                        break;
                }
            }
            if (events.Count > 0 && Overdue(events[^1].Time + 1, events.Count - 1) is { } owedAtEnd) return owedAtEnd;
            return new ExchangeVerdict(true, null, "", "every segment sent is one the model sends", _ep.State);
        }

        private void Advance(long t)
        {
            for (int guard = 0; guard < 10_000 && _ep.NextDeadline <= t; guard++)
            {
                _now = Math.Max(_now, _ep.NextDeadline);
                Step(Input.Tick, _now);
            }
        }

        private void Step(in Input input, long t)
        {
            _now = Math.Max(_now, t);
            _out.Clear();
            _ep.Step(input, _now, _out);
            string rule = _out.FiredCount > 0 ? _out.Fired[_out.FiredCount - 1].Cell.Rfc : _lastRule;
            if (input.Kind != InputKind.Tick) _lastRule = rule;
            foreach (var s in _out.Segments)
            {
                var copy = s.WithPayload(s.Payload.ToArray());
                var owed = new Owed(copy, _now, 0, rule);
                if (owed.PureAck && _stackAcked is { } acked && copy.Ack <= acked) continue; // the stack already acknowledged as much
                long due = owed.PureAck ? Math.Max(_now, _lastArrival == long.MinValue ? _now : _lastArrival + _tol.MaxAckDelay) : _now + _tol.TimerJitter;
                _owed.Add(owed with { DueBy = due });
            }
        }

        private ExchangeVerdict? Overdue(long t, int index)
        {
            foreach (var w in _owed)
            {
                if (w.DueBy >= t) continue;
                var clause = w.PureAck ? AckDelayClause + "; " + w.Rule : w.Rule;
                var what = w.PureAck ? $"an acknowledgment {w.Segment.ToShortString()} owed since {Seconds(w.At)}" : $"{w.Segment.ToShortString()} at {Seconds(w.At)}";
                return new ExchangeVerdict(false, index, clause,
                    $"the model sends {what}; the stack had not sent it by {Seconds(w.DueBy)}", _ep.State);
            }
            return null;
        }

        private ExchangeVerdict? Explain(in Segment seg, long t, int index)
        {
            bool matched = MatchOwed(seg, t);
            if (!matched && _ep.NextDeadline <= t + _tol.TimerJitter)
            {
                // a timer of the stack may fire a little early
                Advance(_ep.NextDeadline);
                matched = MatchOwed(seg, t);
            }
            if (!matched && IsWindowUpdate(seg))
            {
                // an ACK of SND.NXT and RCV.NXT changes nothing and may be sent at any time (§3.8.6.2.2), e.g. an
                // acknowledgment sent before the model's delayed-ACK timer would send it (§3.8.6.3)
                var upTo = seg.Ack;
                _owed.RemoveAll(w => w.PureAck && w.Segment.Ack <= upTo);
                matched = true;
            }
            if (!matched)
            {
                var head = _owed.Count > 0 ? _owed[0] : (Owed?)null;
                var reason = head is { } h
                    ? $"the model sends {h.Segment.ToShortString()} at {Seconds(h.At)}, not {seg.ToShortString()}"
                    : $"the model sends nothing at {Seconds(t)} ({SndRcv()}{(_ep.NextDeadline == TimerSet.Off ? "" : ", its next timer fires at " + Seconds(_ep.NextDeadline))}), not {seg.ToShortString()}";
                return new ExchangeVerdict(false, index, head?.Rule ?? _lastRule, reason, _ep.State);
            }
            if (seg.HasAck && (_stackAcked is not { } a || seg.Ack > a)) _stackAcked = seg.Ack;
            return Window(seg, index);
        }

        private bool MatchOwed(in Segment seg, long t)
        {
            for (int j = 0; j < _owed.Count; j++)
            {
                var w = _owed[j];
                var m = w.Segment;
                if (t >= w.At - _tol.TimerJitter && Same(m.Seq, m.Ack, m.Control & ~(Control.PSH | Control.URG), m.Payload.Length, seg) &&
                    m.Payload.Span.SequenceEqual(seg.Payload.Span))
                {
                    _owed.RemoveAt(j);
                    // ACKs owed before it are covered when this segment acknowledges as much (RFC 1122 §4.2.3.2)
                    var upTo = seg.Ack;
                    if (seg.HasAck) _owed.RemoveAll(x => x.PureAck && x.Segment.Ack <= upTo);
                    return true;
                }
                if (!w.PureAck) return false; // segments other than ACKs are sent in the model's order
            }
            return false;
        }

        private bool IsWindowUpdate(in Segment seg)
        {
            var t = _ep.Tcb;
            return seg.HasAck && seg.Payload.IsEmpty && (seg.Control & (Control.SYN | Control.FIN | Control.RST)) == 0 &&
                   _ep.State.IsSynchronized() && _ep.State != TcpState.SynReceived && seg.Seq == t.SndNxt && seg.Ack == t.RcvNxt;
        }

        private ExchangeVerdict? Window(in Segment seg, int index)
        {
            if (seg.Rst) return null;
            long wnd = (long)seg.Window << (seg.Syn ? 0 : _stackShift);
            if (wnd > _maxWindow)
                return new ExchangeVerdict(false, index, "RFC 9293 §3.8.6.2",
                    $"window {wnd} offers more than the {_maxWindow} octets of receive buffer the profile has", _ep.State);
            if (!seg.HasAck) return null;
            var edge = seg.Ack + new SeqLen((uint)wnd);
            if (_rightEdge is { } prev && edge < prev && !_tol.AllowShrinkingWindow)
                return new ExchangeVerdict(false, index, "RFC 9293 §3.8.6.2.2 (SHLD-14)",
                    $"the window's right edge moves left from {prev.Value} to {edge.Value} (the window SHOULD NOT be shrunk)", _ep.State);
            if (_rightEdge is not { } p2 || edge > p2) _rightEdge = edge;
            return null;
        }

        private string SndRcv() => FormattableString.Invariant($"SND.NXT={_ep.Tcb.SndNxt.Value} RCV.NXT={_ep.Tcb.RcvNxt.Value}");

        private static string Seconds(long us) => FormattableString.Invariant($"{us / 1e6:0.000000}s");
    }
}
