using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// Segment text and FIN that arrived inside the window but beyond RCV.NXT, held for in-order
/// delivery (RFC 9293 §3.10.7.4 first check: "further processing is done in SEG.SEQ order";
/// RFC 1122 §4.2.2.20). Also holds text and FIN that arrive on a SYN, "queued for processing after
/// the ESTABLISHED state has been reached" (§3.10.7.2, §3.10.7.3).
/// </summary>
public sealed class Reassembly
{
    private readonly SortedList<uint, byte[]> _chunks = new();
    private SeqNum _base;
    private bool _hasFin;
    private SeqNum _finSeq;

    /// <summary>Octets held.</summary>
    public int HeldOctets { get; private set; }

    /// <summary>True when nothing is held.</summary>
    public bool IsEmpty => _chunks.Count == 0 && !_hasFin;

    /// <summary>Holds text starting at <paramref name="seq"/> (and a FIN after it if <paramref name="fin"/>),
    /// relative to the current <paramref name="rcvNxt"/>.</summary>
    public void Hold(SeqNum rcvNxt, SeqNum seq, ReadOnlySpan<byte> text, bool fin)
    {
        Rebase(rcvNxt);
        if (!text.IsEmpty)
        {
            uint off = (seq - rcvNxt).Value;
            for (int i = 0; i < text.Length; i++)
            {
                uint key = off + (uint)i;
                if (_chunks.ContainsKey(key)) continue;
                _chunks.Add(key, [text[i]]);
                HeldOctets++;
            }
        }
        if (fin && !_hasFin)
        {
            _hasFin = true;
            _finSeq = seq + new SeqLen((uint)text.Length);
        }
    }

    /// <summary>Takes the octets now contiguous with <paramref name="rcvNxt"/> into <paramref name="sink"/>;
    /// returns how many, and whether a held FIN is now at the new RCV.NXT.</summary>
    public int TakeInOrder(SeqNum rcvNxt, ByteQueue sink, out bool finNow)
    {
        Rebase(rcvNxt);
        int n = 0;
        Span<byte> one = stackalloc byte[1];
        while (_chunks.Count > 0 && _chunks.Keys[0] == (uint)n)
        {
            one[0] = _chunks.Values[0][0];
            sink.Append(one);
            _chunks.RemoveAt(0);
            n++;
            HeldOctets--;
        }
        if (n > 0) Rebase(rcvNxt + new SeqLen((uint)n));
        finNow = _hasFin && _finSeq == rcvNxt + new SeqLen((uint)n);
        if (finNow) _hasFin = false;
        return n;
    }

    /// <summary>Drops everything held.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _hasFin = false;
        HeldOctets = 0;
    }

    /// <summary>Appends what is held, relative to <paramref name="rcvNxt"/> (octets before it are dropped,
    /// as the next use would drop them), for the explorer's state store.</summary>
    internal void Save(ref StateWriter w, SeqNum rcvNxt)
    {
        w.Byte((byte)(_hasFin ? 1 : 0));
        if (_hasFin) w.VarS(_finSeq.DistanceFrom(rcvNxt));
        if (_chunks.Count == 0) { w.VarU(0); return; }
        uint shift = (rcvNxt - _base).Value;
        int n = 0;
        foreach (var k in _chunks.Keys) if (k >= shift) n++;
        w.VarU((ulong)n);
        for (int i = 0; i < _chunks.Count; i++)
        {
            uint k = _chunks.Keys[i];
            if (k < shift) continue;
            w.VarU(k - shift);
            w.Byte(_chunks.Values[i][0]);
        }
    }

    /// <summary>Restores what <see cref="Save"/> wrote (after <see cref="Clear"/>).</summary>
    internal void Load(ref StateReader r, SeqNum rcvNxt)
    {
        _chunks.Clear();
        HeldOctets = 0;
        _base = rcvNxt;
        _hasFin = r.Byte() == 1;
        if (_hasFin) _finSeq = new SeqNum(unchecked(rcvNxt.Value + (uint)(int)r.VarS()));
        int n = (int)r.VarU();
        for (int i = 0; i < n; i++)
        {
            uint k = (uint)r.VarU();
            _chunks.Add(k, [r.Byte()]);
            HeldOctets++;
        }
    }

    private void Rebase(SeqNum rcvNxt)
    {
        if (_chunks.Count == 0) { _base = rcvNxt; return; }
        uint shift = (rcvNxt - _base).Value;
        if (shift == 0) return;
        var items = _chunks.ToArray();
        _chunks.Clear();
        HeldOctets = 0;
        foreach (var kv in items)
        {
            if (kv.Key < shift) continue;
            _chunks.Add(kv.Key - shift, kv.Value);
            HeldOctets++;
        }
        _base = rcvNxt;
    }
}
