using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>A cell the step went through: the state it was in and the facts of the cell.</summary>
public readonly record struct FiredCell(TcpState From, CellFacts Cell);

/// <summary>
/// Caller-owned output buffers of a step (sans-IO, allocation-free once warm): the segments to
/// emit, the notices for the user, the cells taken, and for RECEIVE the octets delivered.
/// Payload memory of emitted segments is valid until the endpoint's next step.
/// </summary>
public sealed class Outbox
{
    private Segment[] _segments = new Segment[8];
    private Notice[] _notices = new Notice[8];
    private FiredCell[] _fired = new FiredCell[16];

    /// <summary>Number of segments emitted.</summary>
    public int SegmentCount { get; private set; }
    /// <summary>Number of notices.</summary>
    public int NoticeCount { get; private set; }
    /// <summary>Number of cells fired.</summary>
    public int FiredCount { get; private set; }
    /// <summary>Octets a RECEIVE copied into its destination.</summary>
    public int Received { get; internal set; }
    /// <summary>Octets a SEND accepted into the send buffer.</summary>
    public int Accepted { get; internal set; }

    /// <summary>The emitted segments, in order (a read-only list, valid until the next step).</summary>
    public OutboxView<Segment> Segments => new(_segments, SegmentCount);
    /// <summary>The notices, in order (a read-only list, valid until the next step).</summary>
    public OutboxView<Notice> Notices => new(_notices, NoticeCount);
    /// <summary>The cells fired, in order (a read-only list, valid until the next step).</summary>
    public OutboxView<FiredCell> Fired => new(_fired, FiredCount);

    /// <summary>Empties the outbox for the next step.</summary>
    public void Clear()
    {
        SegmentCount = NoticeCount = FiredCount = Received = Accepted = 0;
    }

    internal void Emit(in Segment s)
    {
        if (SegmentCount == _segments.Length) Array.Resize(ref _segments, _segments.Length * 2);
        _segments[SegmentCount++] = s;
    }

    internal void Notify(Notice n)
    {
        if (NoticeCount == _notices.Length) Array.Resize(ref _notices, _notices.Length * 2);
        _notices[NoticeCount++] = n;
    }

    internal void Record(TcpState from, CellFacts cell)
    {
        if (FiredCount == _fired.Length) Array.Resize(ref _fired, _fired.Length * 2);
        _fired[FiredCount++] = new FiredCell(from, cell);
    }
}
