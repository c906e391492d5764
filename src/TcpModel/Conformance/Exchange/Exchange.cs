using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Conformance;

/// <summary>One thing that crossed a stack's boundary, at a virtual time (µs).</summary>
public abstract record ExchangeEvent(long Time);

/// <summary>A user call given to the stack (RFC 9293 §3.9.1: OPEN, SEND, RECEIVE, CLOSE, ABORT).</summary>
public sealed record UserCallEvent(long Time, Input Input) : ExchangeEvent(Time)
{
    /// <inheritdoc />
    public override string ToString() => $"{Time / 1e6:0.000000}s user {Input.Call}";
}

/// <summary>A segment given to the stack (SEGMENT ARRIVES, RFC 9293 §3.10.7).</summary>
public sealed record ArrivedEvent(long Time, Segment Segment) : ExchangeEvent(Time)
{
    /// <inheritdoc />
    public override string ToString() => $"{Time / 1e6:0.000000}s in  {Segment}";
}

/// <summary>A segment the stack emitted.</summary>
public sealed record SentEvent(long Time, Segment Segment) : ExchangeEvent(Time)
{
    /// <inheritdoc />
    public override string ToString() => $"{Time / 1e6:0.000000}s out {Segment}";
}

/// <summary>
/// The record of one connection's exchange as a stack saw it (RFC 9293 §3.10: the events a TCP processes
/// and the segments it sends in answer): the inputs given to it and the segments it emitted, in time order.
/// Build it with <see cref="Call"/>, <see cref="Arrived(long, Segment)"/> and <see cref="Sent(long, Segment)"/>, then ask
/// <see cref="ExchangeCheck.Check"/> whether the RFC (under a profile) allows it.
/// </summary>
public sealed class Exchange
{
    private readonly List<ExchangeEvent> _events = [];

    /// <summary>The events in the order given (times never decrease).</summary>
    public IReadOnlyList<ExchangeEvent> Events => _events;

    /// <summary>The stack's connection is IPv6 (the default MSS of the profile is the IPv6 one).</summary>
    public bool IPv6 { get; init; }

    /// <summary>A user call at <paramref name="time"/>.</summary>
    public Exchange Call(long time, Input call) => Add(new UserCallEvent(time, call));

    /// <summary>A segment delivered to the stack at <paramref name="time"/>.</summary>
    public Exchange Arrived(long time, Segment segment) => Add(new ArrivedEvent(time, segment));

    /// <summary>A segment the stack sent at <paramref name="time"/>.</summary>
    public Exchange Sent(long time, Segment segment) => Add(new SentEvent(time, segment));

    /// <summary>Segment notation shorthand: <c>Arrived(t, "&lt;SEQ=300&gt;&lt;ACK=101&gt;&lt;CTL=SYN,ACK&gt;")</c>.</summary>
    public Exchange Arrived(long time, string segment) => Arrived(time, Segment.Parse(segment));

    /// <summary>Segment notation shorthand for a sent segment.</summary>
    public Exchange Sent(long time, string segment) => Sent(time, Segment.Parse(segment));

    private Exchange Add(ExchangeEvent e)
    {
        if (_events.Count > 0 && e.Time < _events[^1].Time)
            throw new ArgumentException($"event at {e.Time} µs is before the previous one at {_events[^1].Time} µs: an exchange is in time order", nameof(e));
        _events.Add(e);
        return this;
    }
}

/// <summary>
/// The nondeterminism a real stack is allowed (RFC 9293 leaves these to the implementation): the ISN is
/// always taken from the stack's own SYN (§3.4.1, RFC 6528); the rest is bounded here.
/// </summary>
public sealed record ExchangeTolerance
{
    /// <summary>How far a segment may be sent from the instant the model sends it, early or late (µs):
    /// timer jitter and processing delay (RFC 6298 §2 leaves the timer's granularity to the implementation).</summary>
    public long TimerJitter { get; init; } = 10_000;

    /// <summary>The longest an acknowledgment may be delayed after the segment that calls for it (µs):
    /// RFC 9293 §3.8.6.3 (MUST-40) "the delay MUST be less than 0.5 seconds". A stack may acknowledge at once
    /// or at any moment within this bound, and one ACK may cover several segments (RFC 1122 §4.2.3.2).</summary>
    public long MaxAckDelay { get; init; } = 500_000;

    /// <summary>The largest window (octets, after scaling) the stack may announce; null: the profile's receive
    /// buffer rounded up to a multiple of the MSS (RFC 9293 §3.8.6.2: the window is free receive buffer).</summary>
    public long? MaxWindow { get; init; }

    /// <summary>Whether the announced right edge (SEG.ACK + SEG.WND) may move left (RFC 9293 §3.8.6.2.2,
    /// SHLD-14: the window SHOULD NOT be shrunk). Off by default: shrinking is reported as not allowed.</summary>
    public bool AllowShrinkingWindow { get; init; }
}

/// <summary>The answer of <see cref="ExchangeCheck.Check"/>.</summary>
/// <param name="Allowed">The RFC (under the profile and the tolerance) allows every segment the stack sent,
/// and every segment it owed by the end of the exchange was sent.</param>
/// <param name="EventIndex">The event at which the exchange stops being allowed (a sent segment, or the first
/// event after a segment was owed too long), or null.</param>
/// <param name="Clause">The RFC clause the verdict rests on, e.g. <c>RFC 9293 §3.10.7.3</c>.</param>
/// <param name="Reason">What the model sends (or would have sent) and what the stack did.</param>
/// <param name="State">The model's state at that point.</param>
public sealed record ExchangeVerdict(bool Allowed, int? EventIndex, string Clause, string Reason, TcpState State)
{
    /// <summary><c>allowed</c>, or <c>not allowed at event N (state S): reason [clause]</c>.</summary>
    public override string ToString() =>
        Allowed ? "allowed" : $"not allowed at event {EventIndex} (state {State.RfcName()}): {Reason} [{Clause}]";
}
