using TcpModel.Conformance;
using TcpModel.Host;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Oracle;

/// <summary>A bug a stack under test may have (each breaks one RFC 9293 rule).</summary>
public enum StackFault
{
    /// <summary>No fault: the wrapper only passes calls through.</summary>
    None,
    /// <summary>A SYN (no ACK) arriving in SYN-SENT is answered as CLOSED answers it,
    /// <c>&lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;</c>, and never reaches the TCB — breaking
    /// §3.10.7.3 fourth (simultaneous open: enter SYN-RECEIVED, send &lt;SEQ=ISS&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=SYN,ACK&gt;).</summary>
    SynInSynSentAnsweredWithReset,
    /// <summary>A FIN arriving in TIME-WAIT is acknowledged by the wrapper as if it were new (ACK = SEG.SEQ+SEG.LEN)
    /// and never reaches the TCB, so the 2 MSL timer is not restarted — breaking §3.10.7.4 eighth (TIME-WAIT:
    /// "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout") and the acknowledgment of RCV.NXT.</summary>
    TimeWaitFinAcknowledgedWithoutRestart,
    /// <summary>A SYN,ACK announces one octet less window than the TCB's (SEG.WND = RCV.WND - 1), breaking
    /// §3.8.6.2.2 and §3.10.7.2 (the window announced is the free receive buffer); other segments are right.</summary>
    SynAckWindowOneOctetShort,
}

/// <summary>
/// Somebody else's stack: the model behind <see cref="DelegatingStack"/>, with a selectable
/// <see cref="StackFault"/> done entirely at the boundary (it sees only what <see cref="ITcpStackUnderTest"/>
/// shows a driver: connection states and the segments crossing). With <see cref="StackFault.None"/> it must pass
/// exactly what the model passes.
/// </summary>
public sealed class FaultyStack : DelegatingStack
{
    private readonly StackFault _fault;
    private readonly Queue<OutboundSegment> _out = new();
    private readonly Dictionary<ConnectionId, Segment> _lastSent = [];

    public FaultyStack(ITcpStackUnderTest inner, StackFault fault) : base(inner) => _fault = fault;

    public override void Inject(ConnectionId id, in Segment segment)
    {
        Pull(); // keep the order: what the stack sent before this segment goes first
        var state = Inner.Connections.FirstOrDefault(c => c.Id == id)?.State;
        if (_fault == StackFault.SynInSynSentAnsweredWithReset && state == TcpState.SynSent && segment.Control == Control.SYN)
        {
            Send(id, new Segment(default, segment.Seq + segment.Length, Control.RST | Control.ACK));
            return;
        }
        if (_fault == StackFault.TimeWaitFinAcknowledgedWithoutRestart && state == TcpState.TimeWait && segment.Fin &&
            _lastSent.TryGetValue(id, out var last))
        {
            Send(id, new Segment(last.Seq + last.Length, segment.Seq + segment.Length, Control.ACK, last.Window, default, last.Options));
            return;
        }
        Inner.Inject(id, segment);
    }

    public override bool TryTakeOutbound(out OutboundSegment segment)
    {
        Pull();
        return _out.TryDequeue(out segment!);
    }

    private void Pull()
    {
        while (Inner.TryTakeOutbound(out var o))
        {
            var s = o.Segment;
            if (_fault == StackFault.SynAckWindowOneOctetShort && s.Syn && s.HasAck && s.Window > 0) s = s.WithWindow((ushort)(s.Window - 1));
            _lastSent[o.Id] = s;
            _out.Enqueue(o with { Segment = s });
        }
    }

    private void Send(ConnectionId id, Segment s)
    {
        _lastSent[id] = s;
        _out.Enqueue(new OutboundSegment(Inner.Now, id, s));
    }
}
