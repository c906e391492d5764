namespace TcpModel.Machine;

/// <summary>
/// A FIFO of octets with contiguous storage: the send buffer (octets from SND.UNA on, which is also
/// the retransmission queue of RFC 9293 §3.3.1) and the receive buffer (octets delivered in order
/// and not yet read). Peeked memory is valid until the queue is next changed.
/// </summary>
public sealed class ByteQueue
{
    private byte[] _buffer;
    private int _head;

    /// <summary>Creates a queue with an initial capacity.</summary>
    public ByteQueue(int capacity = 0) => _buffer = capacity == 0 ? [] : new byte[capacity];

    /// <summary>Octets queued.</summary>
    public int Count { get; private set; }

    /// <summary>Appends octets.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_head + Count + data.Length > _buffer.Length)
        {
            if (Count + data.Length <= _buffer.Length)
            {
                Buffer.BlockCopy(_buffer, _head, _buffer, 0, Count);
            }
            else
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, Count + data.Length)];
                Buffer.BlockCopy(_buffer, _head, bigger, 0, Count);
                _buffer = bigger;
            }
            _head = 0;
        }
        data.CopyTo(_buffer.AsSpan(_head + Count));
        Count += data.Length;
    }

    /// <summary>Removes up to <paramref name="n"/> octets from the front.</summary>
    public void Discard(int n)
    {
        n = Math.Min(n, Count);
        _head += n;
        Count -= n;
        if (Count == 0) _head = 0;
    }

    /// <summary>A view of <paramref name="length"/> octets starting <paramref name="offset"/> from the front.</summary>
    public ReadOnlyMemory<byte> Peek(int offset, int length) => _buffer.AsMemory(_head + offset, length);

    /// <summary>Copies up to <c>destination.Length</c> octets out and removes them.</summary>
    public int Read(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Count);
        _buffer.AsSpan(_head, n).CopyTo(destination);
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
}
