using TcpModel.Host;
using TcpModel.Wire;

namespace TcpModel.Conformance.Packetdrill;

public sealed partial class PacketdrillRunner
{
    /// <summary>The longest the runner waits for a segment expected at any time (<c>*</c>).</summary>
    private const long AnyTimeHorizon = 600_000_000;

    /// <summary>An outbound line: the next segment the host sends must match it, in time.</summary>
    private PacketdrillDivergence? ExpectOutbound(PacketEvent p)
    {
        var when = Window(p.Time);
        long lo = when is { } w ? w.Start - _tolerance : long.MinValue;
        long hi = when is { } w2 ? w2.End + _tolerance : _stack.Now + AnyTimeHorizon;
        var expected = ExpectedText(p);
        if (!TakeSent(out var got))
        {
            while (_stack.NextDeadline <= hi)
            {
                _stack.AdvanceTo(_stack.NextDeadline);
                PollPendingQuietly();
                if (Drain() > 0) break;
            }
            if (!TakeSent(out got))
                return Diverge(p.Position, expected, "no segment sent by " + (hi / 1e6).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture) + "s");
        }
        var s = got.Segment;
        if (got.Time < lo || got.Time > hi)
            return Diverge(p.Position, $"{expected} at {lo / 1e6:0.000000}..{hi / 1e6:0.000000}s", Describe(got));
        if ((p.Flags & (PacketFlags.ECE | PacketFlags.CWR)) != 0)
            return Unsupported(p, "ECN flags E/W");
        // the model chose its ISN: learn it from each SYN it sends (a later connection has a new one)
        if (s.Syn && p.Control.Has(Control.SYN))
        {
            _scriptLocalIsn = p.Start ?? 0;
            _sutIsn = s.Seq - new SeqLen(_scriptLocalIsn);
        }
        if (p.Length is { } want && want > s.Payload.Length && _stack.Connections.FirstOrDefault(c => c.Id == got.Id) is { } conn &&
            want > conn.SendMss)
            return Unsupported(p, "TSO/GSO super-segment (" + want + " octets in one segment, MSS " + conn.SendMss + ")");
        if (p.Options?.FirstOrDefault(x => x.Kind == PacketOptionKind.Unknown) is { Kind: PacketOptionKind.Unknown } unknown)
            return Unsupported(p, "option " + unknown.Text.Split(' ')[0]);
        if (p.IpInfo is { } ipInfo) return Unsupported(p, "IP header field [" + ipInfo + "]");
        var mismatch = Compare(p, s);
        _previous = got.Time;
        return mismatch is null ? null : Diverge(p.Position, expected, $"{Describe(got)} ({mismatch})");
    }

    private string? Compare(PacketEvent p, in Segment s)
    {
        if (s.Control != p.Control) return "flags differ";
        bool syn = p.Control.Has(Control.SYN);
        if (p.Start is { } start && s.Seq.Value != unchecked(LocalSeqOffset(syn) + start)) return "sequence number differs";
        if (p.Length is { } len && s.Payload.Length != len) return "length differs";
        if (p.Ack is { } ack && (!s.HasAck || s.Ack.Value != unchecked(RemoteSeqOffset(syn) + ack))) return "ack differs";
        if (p.Window is { } win && s.Window != win) return "window differs";
        if (p.AnyOptions) return null; // <...>: any options
        var o = s.Options;
        var want = p.Options ?? [];
        var mss = want.Where(x => x.Kind == PacketOptionKind.Mss).Select(x => (ushort?)x.Value).FirstOrDefault();
        if (mss != o.Mss) return "MSS option differs";
        var ws = want.Where(x => x.Kind == PacketOptionKind.WindowScale).Select(x => (byte?)x.Value).FirstOrDefault();
        if (ws != o.WindowScale) return "window scale option differs";
        if (want.Any(x => x.Kind == PacketOptionKind.SackPermitted) != o.SackPermitted) return "sackOK option differs";
        if (want.Any(x => x.Kind == PacketOptionKind.Timestamp) != (o.Timestamp is not null)) return "timestamp option presence differs";
        if (want.FirstOrDefault(x => x.Kind == PacketOptionKind.Unknown) is { Text: not null } u) return "unsupported option in script: " + u.Text.Split(' ')[0];
        return null;
    }

    private static string ExpectedText(PacketEvent p)
    {
        var seq = p.Start is { } a ? $"{a}:{p.End}({p.Length})" : $"...({p.Length})";
        var text = $"{FlagsText(p.Control)} {seq}";
        if (p.Ack is { } ack) text += $" ack {ack}";
        if (p.Window is { } w) text += $" win {w}";
        if (p.Options is { } opts) text += " <" + string.Join(",", opts) + ">";
        return text;
    }

    /// <summary>An inbound line: build the segment (SEQ relative to the script's ISN, ACK to ours) and deliver it.</summary>
    private PacketdrillDivergence? Inject(PacketEvent p)
    {
        if (p.Start is not { } start) return Unsupported(p, "inbound segment with '...' sequence numbers");
        if (p.IpInfo is { } ip) return Unsupported(p, "IP header field [" + ip + "]");
        if (p.Urgent is not null || p.Flags.HasFlag(PacketFlags.URG)) return Unsupported(p, "urgent data (URG)");
        if ((p.Flags & (PacketFlags.ECE | PacketFlags.CWR)) != 0) return Unsupported(p, "ECN flags E/W");
        ushort? mss = null;
        byte? ws = null;
        bool sack = false;
        TcpTimestamp? ts = null;
        foreach (var o in p.Options ?? [])
        {
            switch (o.Kind)
            {
                case PacketOptionKind.Mss: mss = (ushort)o.Value; break;
                case PacketOptionKind.WindowScale: ws = (byte)o.Value; break;
                case PacketOptionKind.SackPermitted: sack = true; break;
                case PacketOptionKind.Timestamp: ts = new TcpTimestamp(o.Value, o.Echo); break;
                case PacketOptionKind.Unknown: return Unsupported(p, "option " + o.Text.Split(' ')[0]);
            }
        }
        uint length = p.Length ?? (p.End is { } end ? unchecked(end - start) : 0);
        if (length > MaxOctets) return Unsupported(p, $"a payload of {length} octets (the runner injects at most {MaxOctets})");
        bool syn = p.Control.Has(Control.SYN);
        if (_remoteIsnFromNextInbound && _passiveChildren++ > 0) _remotePort++; // a new child: a new remote port
        if (_remoteIsnFromNextInbound || (_remoteIsnFromSynAck && syn && p.Control.Has(Control.ACK)))
        {
            _remoteIsn = start;
            _remoteIsnFromNextInbound = _remoteIsnFromSynAck = false;
        }
        var seq = new SeqNum(unchecked(RemoteSeqOffset(syn) + start));
        var ackNum = new SeqNum(unchecked(LocalSeqOffset(syn) + (p.Ack ?? 0)));
        var seg = new Segment(seq, ackNum, p.Control, p.Window ?? 0, new byte[length], new TcpOptions(mss, ws, sack, ts));
        _stack.Inject(new ConnectionId(InboundLocal(), Remote), seg);
        return null;
    }

    /// <summary>The model's socket a script segment goes to: the connection with the script's peer, else
    /// the port of a bound socket, else 8080.</summary>
    private SocketAddress InboundLocal()
    {
        var c = _stack.Connections.FirstOrDefault(x => x.Id.Remote == Remote);
        if (c is not null) return c.Id.Local;
        var bound = _stack.Sockets.LastOrDefault(s => s.Local is not null);
        return bound?.Local ?? new SocketAddress(_stack.LocalAddress(_ipv6), LocalPort);
    }
}
