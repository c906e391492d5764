namespace TcpModel.Machine;

/// <summary>
/// A FIFO of octets: the send buffer (octets from SND.UNA on, which is also the retransmission queue
/// of RFC 9293 §3.3.1) and the receive buffer (octets delivered in order and not yet read).
/// </summary>
/// <remarks>
/// A mirrored ring: every octet is stored at its ring position and again one capacity further on, so
/// any run of up to a capacity of octets is contiguous (<see cref="Peek"/> hands out a view without
/// copying) and no operation ever moves the octets already queued. Every operation is therefore linear
/// in the octets it is given or returns: Append copies each new octet twice, Read copies what it reads,
/// Discard and Peek copy nothing. The only exception is growing the ring past a capacity that was not
/// <see cref="Reserve"/>d while it was empty. <see cref="OctetsCopied"/> counts every octet written or
/// read, so tests can bound the work of a step without timing it. Peeked memory is valid until the
/// queue is next changed.
/// </remarks>
public sealed class ByteQueue
{
    /// <summary>Reservations are honoured up to this size; a larger buffer grows on demand
    /// (doubling, so its copying is still linear over a run, though not within one step).</summary>
    public const int MaxReserve = 4 << 20;

    private byte[] _buffer = [];
    private int _capacity;
    private int _reserved;
    private int _head;

    /// <summary>Creates a queue that allocates <paramref name="capacity"/> octets on first use.</summary>
    public ByteQueue(int capacity = 0) => _reserved = Math.Max(0, capacity);

    /// <summary>Octets queued.</summary>
    public int Count { get; private set; }

    /// <summary>Octets copied into, out of, or within this queue since it was created (never reset):
    /// the measure of its work.</summary>
    public long OctetsCopied { get; private set; }

    /// <summary>Makes room for <paramref name="capacity"/> octets in all. While the queue is empty this
    /// only records the size to allocate; otherwise a smaller ring is grown now (copying what is queued).</summary>
    public void Reserve(int capacity)
    {
        if (capacity <= _capacity) return;
        if (Count == 0) { _reserved = Math.Max(_reserved, capacity); if (_capacity != 0) { _buffer = []; _capacity = 0; _head = 0; } return; }
        Grow(capacity);
    }

    /// <summary>Appends octets.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        int needed = Count + data.Length;
        if (needed > _capacity)
        {
            if (Count == 0) Allocate(Math.Max(needed, Math.Min(_reserved, MaxReserve)));
            else Grow((int)Math.Min(Math.Max(needed, 2L * _capacity), Array.MaxLength / 2));
        }
        int tail = _head + Count;
        if (tail >= _capacity) tail -= _capacity;
        // write the run at its ring position [tail, tail+n) of the doubled buffer and at its mirror
        int first = Math.Min(data.Length, _capacity - tail);
        data[..first].CopyTo(_buffer.AsSpan(tail));
        data[..first].CopyTo(_buffer.AsSpan(tail + _capacity));
        if (first < data.Length)
        {
            var rest = data[first..];
            rest.CopyTo(_buffer.AsSpan(0));
            rest.CopyTo(_buffer.AsSpan(_capacity));
        }
        OctetsCopied += 2L * data.Length;
        Count = needed;
    }

    /// <summary>Removes up to <paramref name="n"/> octets from the front.</summary>
    public void Discard(int n)
    {
        n = Math.Clamp(n, 0, Count);
        _head += n;
        if (_head >= _capacity) _head -= _capacity;
        Count -= n;
        if (Count == 0) _head = 0;
    }

    /// <summary>A view of <paramref name="length"/> octets starting <paramref name="offset"/> from the front
    /// (no copy).</summary>
    public ReadOnlyMemory<byte> Peek(int offset, int length)
    {
        if (length == 0) return ReadOnlyMemory<byte>.Empty;
        if ((uint)offset > (uint)Count || (uint)length > (uint)(Count - offset)) throw new ArgumentOutOfRangeException(nameof(length));
        return _buffer.AsMemory(_head + offset, length);
    }

    /// <summary>Copies up to <c>destination.Length</c> octets out and removes them.</summary>
    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Count);
        if (n == 0) return 0;
        _buffer.AsSpan(_head, n).CopyTo(destination);
        OctetsCopied += n;
        Discard(n);
        return n;
    }

    /// <summary>The queued octets (valid until the queue is next changed).</summary>
    internal ReadOnlySpan<byte> Span => _buffer.AsSpan(_head, Count);

    /// <summary>Empties the queue.</summary>
    public void Clear()
    {
        _head = 0;
        Count = 0;
    }

    private void Allocate(int capacity)
    {
        _capacity = capacity;
        _buffer = new byte[2 * capacity];
        _head = 0;
    }

    private void Grow(int capacity)
    {
        var old = _buffer.AsSpan(_head, Count);
        var bigger = new byte[2 * capacity];
        old.CopyTo(bigger);
        old.CopyTo(bigger.AsSpan(capacity));
        OctetsCopied += 2L * Count;
        _buffer = bigger;
        _capacity = capacity;
        _head = 0;
    }
}
