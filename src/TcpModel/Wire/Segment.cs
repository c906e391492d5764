namespace TcpModel.Wire;

/// <summary>
/// A TCP segment as the state machine sees it, RFC 9293 §3.1 and §3.3.1 (SEG.SEQ, SEG.ACK,
/// SEG.LEN, SEG.WND, SEG.UP). Immutable; prints and parses in RFC notation
/// <c>&lt;SEQ=100&gt;&lt;ACK=301&gt;&lt;CTL=SYN,ACK&gt;&lt;WND=65535&gt;</c> (spec/notation.md).
/// <para>No ports, by decision: the source and destination ports (§3.1) name the connection, not the segment's
/// meaning to it, so they live in the connection's identity — <see cref="Host.ConnectionId"/>, a pair of
/// <see cref="Host.SocketAddress"/>es — by which <see cref="Host.TcpHost"/> demultiplexes and with which
/// <see cref="Host.OutboundSegment"/> and <see cref="Conformance.ITcpStackUnderTest.Inject"/> address a segment.</para>
/// <para><see cref="Equals(Segment)"/> is exact; <see cref="SegmentComparer"/> names the lenient comparisons.</para>
/// </summary>
public readonly struct Segment : IEquatable<Segment>
{
    /// <summary>Creates a segment. <paramref name="ack"/> is kept only when ACK is set.</summary>
    public Segment(SeqNum seq, SeqNum ack, Control control, ushort window = 0,
        ReadOnlyMemory<byte> payload = default, TcpOptions options = default, ushort urgent = 0)
    {
        Seq = seq;
        Ack = control.Has(Control.ACK) ? ack : default;
        Control = control;
        Window = window;
        Payload = payload;
        Options = options;
        Urgent = control.Has(Control.URG) ? urgent : (ushort)0;
    }

    /// <summary>SEG.SEQ: the first sequence number of the segment.</summary>
    public SeqNum Seq { get; }

    /// <summary>SEG.ACK: meaningful only when <see cref="Control"/> has ACK (otherwise 0).</summary>
    public SeqNum Ack { get; }

    /// <summary>The control bits.</summary>
    public Control Control { get; }

    /// <summary>SEG.WND as carried in the header (unscaled).</summary>
    public ushort Window { get; }

    /// <summary>SEG.UP: meaningful only when URG is set.</summary>
    public ushort Urgent { get; }

    /// <summary>The options.</summary>
    public TcpOptions Options { get; }

    /// <summary>The segment text. The memory may belong to the sender; copy it to keep it.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>SYN is set.</summary>
    public bool Syn => (Control & Control.SYN) != 0;

    /// <summary>FIN is set.</summary>
    public bool Fin => (Control & Control.FIN) != 0;

    /// <summary>RST is set.</summary>
    public bool Rst => (Control & Control.RST) != 0;

    /// <summary>ACK is set.</summary>
    public bool HasAck => (Control & Control.ACK) != 0;

    /// <summary>
    /// SEG.LEN, RFC 9293 §3.4: the octets of data plus one for SYN and one for FIN — the single
    /// place where SYN and FIN occupying sequence space is computed.
    /// </summary>
    public SeqLen Length => new((uint)Payload.Length + (Syn ? 1u : 0u) + (Fin ? 1u : 0u));

    /// <summary>The last sequence number occupied: SEG.SEQ + SEG.LEN - 1.</summary>
    public SeqNum Last => Seq + Length - new SeqLen(1);

    /// <summary>A copy with a different payload.</summary>
    public Segment WithPayload(ReadOnlyMemory<byte> payload) => new(Seq, Ack, Control, Window, payload, Options, Urgent);

    /// <summary>A copy with different options.</summary>
    public Segment WithOptions(TcpOptions options) => new(Seq, Ack, Control, Window, Payload, options, Urgent);

    /// <summary>A copy with a different window.</summary>
    public Segment WithWindow(ushort window) => new(Seq, Ack, Control, window, Payload, Options, Urgent);

    /// <inheritdoc />
    public bool Equals(Segment other) =>
        Seq == other.Seq && Ack == other.Ack && Control == other.Control && Window == other.Window
        && Urgent == other.Urgent && Options == other.Options && Payload.Span.SequenceEqual(other.Payload.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Segment s && Equals(s);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Seq, Ack, Control, Window, Payload.Length);

    /// <summary>Equality (payload compared by content).</summary>
    public static bool operator ==(Segment a, Segment b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Segment a, Segment b) => !a.Equals(b);

    /// <summary>The canonical RFC notation of this segment (spec/notation.md).</summary>
    public override string ToString() => Notation.Format(this, includeWindow: true);

    /// <summary>The notation without WND, as the RFC figures print segments.</summary>
    public string ToShortString() => Notation.Format(this, includeWindow: false);

    /// <summary>Parses RFC notation; throws <see cref="SegmentFormatException"/> naming the column.</summary>
    public static Segment Parse(string text) =>
        Notation.TryParse(text, out var s, out var err) ? s : throw new SegmentFormatException(err!.Value.Message, err.Value.Column);

    /// <summary>Parses RFC notation without throwing.</summary>
    public static bool TryParse(string text, out Segment segment, out string? error) => TryParse(text, out segment, out error, out _);

    /// <summary>Parses RFC notation without throwing, and says which fields the text wrote.</summary>
    public static bool TryParse(string text, out Segment segment, out string? error, out SegmentFields given)
    {
        var ok = Notation.TryParse(text, out segment, out var err, out given);
        error = err is { } e ? $"column {e.Column}: {e.Message}" : null;
        return ok;
    }
}

/// <summary>Malformed segment notation; <see cref="Column"/> is 1-based.</summary>
public sealed class SegmentFormatException(string message, int column)
    : FormatException($"column {column}: {message}")
{
    /// <summary>1-based column of the error.</summary>
    public int Column { get; } = column;

    /// <summary>The message without the column prefix.</summary>
    public string Reason { get; } = message;
}
