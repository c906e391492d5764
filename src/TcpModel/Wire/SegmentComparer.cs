namespace TcpModel.Wire;

/// <summary>
/// Compares segments field by field (RFC 9293 §3.1 header: SEG.SEQ, SEG.ACK, control bits, SEG.WND, SEG.UP,
/// options, text), ignoring exactly the fields it is told to — the named instances say which and why.
/// <see cref="Segment.Equals(Segment)"/> is <see cref="Exact"/>; tests and oracles that compare a real stack's
/// segments with the model's want <see cref="Packetdrill"/> or <see cref="Exchange"/>.
/// <see cref="Difference"/> names the first field that differs, in the runner's words.
/// </summary>
public sealed class SegmentComparer : IEqualityComparer<Segment>
{
    /// <summary>Every field, payload octets included (as <see cref="Segment.Equals(Segment)"/>).</summary>
    public static SegmentComparer Exact { get; } = new();

    /// <summary>What the packetdrill runner compares on an outbound line whose fields are all given: it ignores the
    /// timestamp option's values (its presence is compared: TSval is a clock reading, RFC 7323 §5.4), the urgent
    /// pointer, and the payload octets (their number is compared: packetdrill writes zeros) — the segment fields of
    /// <see cref="Conformance.Packetdrill.PacketdrillVerdict.NotCompared"/>.</summary>
    public static SegmentComparer Packetdrill { get; } = new() { IgnoreTimestampValues = true, IgnoreUrgentPointer = true, IgnorePayloadOctets = true };

    /// <summary>What <see cref="Conformance.ExchangeCheck"/> holds a stack to exactly: it also ignores SEG.WND (a stack's
    /// window is bounded, not fixed, RFC 9293 §3.8.6.2), the PSH bit (§3.9.1: the sender decides when to push), and
    /// the options (configuration, adopted from the stack's own SYN), but compares the payload octets.</summary>
    public static SegmentComparer Exchange { get; } = new()
    {
        IgnoreTimestampValues = true, IgnoreUrgentPointer = true, IgnoreWindow = true, IgnorePush = true, IgnoreOptions = true,
    };

    /// <summary>TSval/TSecr may differ; the option's presence may not.</summary>
    public bool IgnoreTimestampValues { get; init; }
    /// <summary>SEG.UP may differ.</summary>
    public bool IgnoreUrgentPointer { get; init; }
    /// <summary>The payload octets may differ; their number may not.</summary>
    public bool IgnorePayloadOctets { get; init; }
    /// <summary>SEG.WND may differ.</summary>
    public bool IgnoreWindow { get; init; }
    /// <summary>The PSH bit may differ.</summary>
    public bool IgnorePush { get; init; }
    /// <summary>The options may differ entirely.</summary>
    public bool IgnoreOptions { get; init; }

    /// <summary>The first field that differs, as the runner words it (<c>flags differ</c>, <c>sequence number
    /// differs</c>, <c>length differs</c>, <c>ack differs</c>, <c>window differs</c>, …), or null when the segments
    /// are equal under this comparer.</summary>
    public string? Difference(in Segment expected, in Segment actual)
    {
        var push = IgnorePush ? Control.PSH : Control.None;
        if ((expected.Control & ~push) != (actual.Control & ~push)) return "flags differ";
        if (expected.Seq != actual.Seq) return "sequence number differs";
        if (expected.Payload.Length != actual.Payload.Length) return "length differs";
        if (expected.Ack != actual.Ack) return "ack differs";
        if (!IgnoreWindow && expected.Window != actual.Window) return "window differs";
        if (!IgnoreUrgentPointer && expected.Urgent != actual.Urgent) return "urgent pointer differs";
        if (!IgnoreOptions && OptionsDiffer(expected.Options, actual.Options) is { } o) return o;
        if (!IgnorePayloadOctets && !expected.Payload.Span.SequenceEqual(actual.Payload.Span)) return "payload differs";
        return null;
    }

    private string? OptionsDiffer(in TcpOptions a, in TcpOptions b)
    {
        if (a.Mss != b.Mss) return "MSS option differs";
        if (a.WindowScale != b.WindowScale) return "window scale option differs";
        if (a.SackPermitted != b.SackPermitted) return "sackOK option differs";
        if ((a.Timestamp is null) != (b.Timestamp is null)) return "timestamp option presence differs";
        if (!IgnoreTimestampValues && a.Timestamp != b.Timestamp) return "timestamp values differ";
        if (!a.Other.Span.SequenceEqual(b.Other.Span)) return "other options differ";
        return null;
    }

    /// <inheritdoc />
    public bool Equals(Segment x, Segment y) => Difference(x, y) is null;

    /// <inheritdoc />
    public int GetHashCode(Segment obj) =>
        HashCode.Combine(obj.Seq, obj.Ack, obj.Control & ~(IgnorePush ? Control.PSH : Control.None), obj.Payload.Length);
}
