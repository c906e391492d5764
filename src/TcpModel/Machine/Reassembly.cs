using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// Segment text and FIN that arrived inside the window but beyond RCV.NXT, held for in-order
/// delivery (RFC 9293 §3.10.7.4 first check: "further processing is done in SEG.SEQ order";
/// RFC 1122 §4.2.2.20). Also holds text and FIN that arrive on a SYN, "queued for processing after
/// the ESTABLISHED state has been reached" (§3.10.7.2, §3.10.7.3).
/// </summary>
/// <remarks>
/// Held text is a set of disjoint runs ordered by their offset from a fixed origin (the RCV.NXT when
/// the set was last empty), so nothing is renumbered as RCV.NXT advances. Holding a segment copies only
/// the octets it adds and visits only the runs it overlaps (each at least one of its octets); taking
/// in-order text copies each octet once into the receive queue. <see cref="OctetsCopied"/> counts them.
/// </remarks>
public sealed class Reassembly
{
    private sealed class Run(uint start, byte[] data)
    {
        public readonly uint Start = start;
        public readonly byte[] Data = data;
        public uint End => Start + (uint)Data.Length;
    }

    private sealed class ByStart : IComparer<Run>
    {
        public static readonly ByStart Instance = new();
        public int Compare(Run? x, Run? y) => x!.Start.CompareTo(y!.Start);
    }

    private readonly SortedSet<Run> _runs = new(ByStart.Instance);
    private readonly List<Run> _added = [];
    private SeqNum _origin;
    // the FINs held, by place ascending (each segment's FIN at its own end, as BSD tcp_reass and Linux's out-of-order
    // queue keep them), and whether it came on a segment without text: a FIN-only segment wholly covered by text is a
    // duplicate, a FIN at the end of its own segment's text is not covered by text that starts after that segment
    private readonly List<(SeqNum Seq, bool Alone)> _fins = [];

    /// <summary>Octets held.</summary>
    public int HeldOctets { get; private set; }

    /// <summary>True when nothing is held.</summary>
    public bool IsEmpty => _runs.Count == 0 && _fins.Count == 0;

    /// <summary>Octets copied in or out since this was created (never reset).</summary>
    public long OctetsCopied { get; private set; }

    /// <summary>Holds text starting at <paramref name="seq"/> (and a FIN after it if <paramref name="fin"/>),
    /// relative to the current <paramref name="rcvNxt"/>; octets before RCV.NXT or already held are not copied.</summary>
    public void Hold(SeqNum rcvNxt, SeqNum seq, ReadOnlySpan<byte> text, bool fin)
    {
        if (IsEmpty) _origin = rcvNxt;
        var finSeq = seq + new SeqLen((uint)text.Length);
        if (!text.IsEmpty)
        {
            uint floor = (rcvNxt - _origin).Value;
            uint s = (seq - _origin).Value, e = s + (uint)text.Length;
            if (s < floor) { uint skip = Math.Min(floor - s, (uint)text.Length); text = text[(int)skip..]; s += skip; }
            uint cursor = s;
            // the run that begins before s may already cover its first octets
            if (s > 0 && _runs.Count > 0 && _runs.Min!.Start < s)
            {
                var before = _runs.GetViewBetween(_runs.Min, new Run(s - 1, [])).Max;
                if (before is not null && before.End > cursor) cursor = Math.Min(before.End, e);
            }
            _added.Clear();
            if (cursor < e && _runs.Count > 0)
            {
                foreach (var r in _runs.GetViewBetween(new Run(cursor, []), new Run(e - 1, [])))
                {
                    if (r.Start > cursor) _added.Add(Copy(text, s, cursor, r.Start));
                    cursor = Math.Max(cursor, Math.Min(r.End, e));
                }
            }
            if (cursor < e) _added.Add(Copy(text, s, cursor, e));
            foreach (var r in _added) { _runs.Add(r); HeldOctets += r.Data.Length; }
            _added.Clear();
            // a held FIN that came alone, whose place this text covers, is void (Linux tcp_data_queue_ofo removes the
            // segments the new one covers; BSD tcp_reass drops a queued segment the new one wholly overlaps)
            for (int k = _fins.Count - 1; k >= 0; k--)
            {
                uint f = (_fins[k].Seq - _origin).Value;
                if (f >= s && f < e && _fins[k].Alone) _fins.RemoveAt(k);
            }
        }
        // of FINs at different places (a peer that cannot have sent them all) each is kept with its place: the earliest
        // is met first when it becomes in order (BSD tcp_reass and Linux tcp_ofo_queue queue each segment with its own
        // FIN; Linux tcp_fin then purges the out-of-order queue). A FIN at a place held text already covers is void:
        // its segment is a duplicate of what is held (Linux tcp_data_queue_ofo: "All the bits are present. Drop.";
        // BSD tcp_reass drops a segment wholly overlapped)
        if (fin && !Covered((finSeq - _origin).Value))
        {
            int i = 0;
            while (i < _fins.Count && _fins[i].Seq < finSeq) i++;
            if (i == _fins.Count || _fins[i].Seq != finSeq) _fins.Insert(i, (finSeq, text.IsEmpty));
            else _fins[i] = (finSeq, _fins[i].Alone && text.IsEmpty);
        }
    }

    /// <summary>Takes the octets now contiguous with <paramref name="rcvNxt"/> into <paramref name="sink"/>;
    /// returns how many, and whether a held FIN is now at the new RCV.NXT.</summary>
    /// <param name="rcvNxt">RCV.NXT.</param>
    /// <param name="sink">Where the octets go.</param>
    /// <param name="finNow">A held FIN is now at the new RCV.NXT.</param>
    /// <param name="stopAtFin">POLICY held-text-beyond-fin-dropped: take nothing past a held FIN, and drop what is
    /// held beyond it when the FIN is taken.</param>
    public int TakeInOrder(SeqNum rcvNxt, ByteQueue sink, out bool finNow, bool stopAtFin = false)
    {
        int n = 0;
        DropFinsBefore(rcvNxt); // covered by the text that moved RCV.NXT here
        if (_runs.Count > 0)
        {
            uint at = (rcvNxt - _origin).Value;
            // POLICY held-text-beyond-fin-dropped: nothing is taken past a held FIN (Linux tcp_fin purges the
            // out-of-order queue); off, contiguous text is taken whatever FIN lies inside it (BSD tcp_reass)
            uint stop = stopAtFin && _fins.Count > 0 ? (_fins[0].Seq - _origin).Value : uint.MaxValue;
            while (_runs.Count > 0 && _runs.Min!.Start <= at && at < stop)
            {
                var r = _runs.Min;
                _runs.Remove(r);
                HeldOctets -= r.Data.Length;
                if (r.End <= at) continue; // already delivered by the segment that filled the hole
                uint end = Math.Min(r.End, stop);
                var fresh = r.Data.AsSpan((int)(at - r.Start), (int)(end - at));
                sink.Append(fresh);
                OctetsCopied += fresh.Length;
                n += fresh.Length;
                at = end;
            }
        }
        var next = rcvNxt + new SeqLen((uint)n);
        DropFinsBefore(next); // a FIN inside the text taken is lost with it (BSD tcp_reass keeps the last segment's flags)
        finNow = _fins.Count > 0 && _fins[0].Seq == next;
        if (finNow && stopAtFin) Clear(); // the FIN is taken: what is held beyond it is dropped with it (Linux tcp_fin)
        else if (finNow) _fins.RemoveAt(0);
        if (IsEmpty) _origin = next;
        return n;
    }

    /// <summary>Whether a held octet sits at <paramref name="offset"/> (from the origin).</summary>
    private bool Covered(uint offset)
    {
        if (_runs.Count == 0 || _runs.Min!.Start > offset) return false;
        var last = _runs.GetViewBetween(_runs.Min, new Run(offset, [])).Max;
        return last is not null && last.End > offset;
    }

    private void DropFinsBefore(SeqNum rcvNxt)
    {
        int k = 0;
        while (k < _fins.Count && _fins[k].Seq < rcvNxt) k++;
        _fins.RemoveRange(0, k);
    }

    /// <summary>Drops everything held.</summary>
    public void Clear()
    {
        _runs.Clear();
        _fins.Clear();
        HeldOctets = 0;
    }

    /// <summary>Appends what is held, relative to <paramref name="rcvNxt"/> (octets before it are dropped,
    /// as the next use would drop them), octet by octet so that equal holdings encode equal whatever their
    /// runs, for the explorer's state store.</summary>
    internal void Save(ref StateWriter w, SeqNum rcvNxt)
    {
        int fins = 0;
        foreach (var f in _fins) if (f.Seq >= rcvNxt) fins++;
        w.Byte((byte)Math.Min(fins, 255));
        foreach (var f in _fins)
            if (f.Seq >= rcvNxt && fins-- > 0) { w.VarS(f.Seq.DistanceFrom(rcvNxt)); w.Byte((byte)(f.Alone ? 1 : 0)); }
        uint floor = (rcvNxt - _origin).Value;
        ulong n = 0;
        foreach (var r in _runs) if (r.End > floor) n += r.End - Math.Max(r.Start, floor);
        w.VarU(n);
        foreach (var r in _runs)
        {
            for (uint at = Math.Max(r.Start, floor); at < r.End; at++)
            {
                w.VarU(at - floor);
                w.Byte(r.Data[at - r.Start]);
            }
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote (after <see cref="Clear"/>), as maximal runs.</summary>
    internal void Load(ref StateReader r, SeqNum rcvNxt)
    {
        Clear();
        _origin = rcvNxt;
        for (int k = r.Byte(); k > 0; k--)
        {
            var seq = new SeqNum(unchecked(rcvNxt.Value + (uint)(int)r.VarS()));
            _fins.Add((seq, r.Byte() == 1));
        }
        int n = (int)r.VarU();
        var octets = new List<byte>();
        uint start = 0, next = 0;
        for (int i = 0; i < n; i++)
        {
            uint k = (uint)r.VarU();
            byte b = r.Byte();
            if (octets.Count > 0 && k != next) { _runs.Add(new Run(start, [.. octets])); octets.Clear(); }
            if (octets.Count == 0) start = k;
            octets.Add(b);
            next = k + 1;
        }
        if (octets.Count > 0) _runs.Add(new Run(start, [.. octets]));
        HeldOctets = n;
    }

    private Run Copy(ReadOnlySpan<byte> text, uint textStart, uint from, uint to)
    {
        OctetsCopied += to - from;
        return new Run(from, text[(int)(from - textStart)..(int)(to - textStart)].ToArray());
    }
}
