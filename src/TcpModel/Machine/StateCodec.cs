using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>
/// Appends a compact serialisation (LEB128 varints, zig-zag for signed values) to a growable byte
/// buffer the caller owns: what the explorer stores per state. Allocation-free once the buffer is
/// large enough.
/// </summary>
internal struct StateWriter
{
    public byte[] Buffer;
    public int Length;

    public StateWriter(byte[] buffer) { Buffer = buffer; Length = 0; }

    private void Ensure(int n)
    {
        if (Length + n > Buffer.Length) Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, Length + n + 64));
    }

    public void Byte(byte b) { Ensure(1); Buffer[Length++] = b; }

    public void U32(uint v)
    {
        Ensure(4);
        Buffer[Length] = (byte)v; Buffer[Length + 1] = (byte)(v >> 8); Buffer[Length + 2] = (byte)(v >> 16); Buffer[Length + 3] = (byte)(v >> 24);
        Length += 4;
    }

    public void VarU(ulong v)
    {
        Ensure(10);
        while (v >= 0x80) { Buffer[Length++] = (byte)(v | 0x80); v >>= 7; }
        Buffer[Length++] = (byte)v;
    }

    public void VarS(long v) => VarU((ulong)((v << 1) ^ (v >> 63)));

    public void Bytes(ReadOnlySpan<byte> data)
    {
        VarU((ulong)data.Length);
        Ensure(data.Length);
        data.CopyTo(Buffer.AsSpan(Length));
        Length += data.Length;
    }

    /// <summary>A sequence number as the signed distance from a base (small within one connection).</summary>
    public void Seq(SeqNum v, SeqNum origin) => VarS(v.DistanceFrom(origin));

    /// <summary>A deadline relative to <paramref name="now"/>; 0 encodes "off".</summary>
    public void Deadline(long at, long now) => VarU(at == TimerSet.Off ? 0 : (ulong)((((at - now) << 1) ^ ((at - now) >> 63)) + 1));

    public readonly ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);
}

/// <summary>Reads what <see cref="StateWriter"/> wrote.</summary>
internal ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _data;
    public int Position;

    public StateReader(ReadOnlySpan<byte> data) { _data = data; Position = 0; }

    public readonly bool AtEnd => Position >= _data.Length;

    public byte Byte() => _data[Position++];

    public uint U32()
    {
        uint v = (uint)(_data[Position] | (_data[Position + 1] << 8) | (_data[Position + 2] << 16) | (_data[Position + 3] << 24));
        Position += 4;
        return v;
    }

    public ulong VarU()
    {
        ulong v = 0;
        int shift = 0;
        while (true)
        {
            byte b = _data[Position++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
            shift += 7;
        }
    }

    public long VarS() { ulong u = VarU(); return (long)(u >> 1) ^ -(long)(u & 1); }

    public ReadOnlySpan<byte> Bytes()
    {
        int n = (int)VarU();
        var s = _data.Slice(Position, n);
        Position += n;
        return s;
    }

    public SeqNum Seq(SeqNum origin) => new(unchecked(origin.Value + (uint)(int)VarS()));

    public long Deadline(long now)
    {
        ulong u = VarU();
        if (u == 0) return TimerSet.Off;
        u--;
        return now + ((long)(u >> 1) ^ -(long)(u & 1));
    }
}
