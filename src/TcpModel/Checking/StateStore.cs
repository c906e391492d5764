using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TcpModel.Checking;

/// <summary>
/// The visited set of an exhaustive search: every distinct state's bytes in an append-only arena of 1 GiB chunks
/// (in insertion order, which is breadth-first order, so the arena is also the queue; a state never straddles two
/// chunks), an open-addressing table of indices, and per state its parent and the move that led to it (for
/// shortest traces). Bytes per state: the encoding, plus 8 (offset) + 2 (length) + 4 (parent) + 2 (move)
/// + 16 (table slots of 8 bytes, hash and index, at load ≤ 1/2). The arena grows until <c>maxArenaBytes</c> (default: one .NET array's worth,
/// about 2 GiB); more is a matter of memory (<c>--max-memory</c>), and the index is bounded by 2^29 states.
/// </summary>
internal sealed class StateStore(long maxArenaBytes, int chunkBits = 30)
{
    private readonly int ChunkBits = chunkBits;
    private readonly long ChunkSize = 1L << chunkBits;

    public StateStore() : this(Array.MaxLength) { }

    public StateStore(long? maxArenaBytes) : this(maxArenaBytes ?? Array.MaxLength) { }

    /// <summary>Chunks of the arena in use.</summary>
    public int Chunks => _chunks.Count;

    private readonly List<byte[]> _chunks = [new byte[Math.Min(1 << 20, 1 << chunkBits)]];
    private long _arenaLength; // bytes used, gaps at chunk ends included
    private long _stateBytes;  // bytes of encoded states
    private long[] _offset = new long[1 << 12];
    private ushort[] _length = new ushort[1 << 12];
    private int[] _parent = new int[1 << 12];
    private ushort[] _move = new ushort[1 << 12];
    // each slot: the state's 32-bit hash (high half) and its index + 1 (low half; 0: empty), so that a probe
    // compares hashes in the slot array itself and touches a state's bytes only on a hash match
    private ulong[] _slots = new ulong[1 << 13];
    private int _mask = (1 << 13) - 1;

    public int Count { get; private set; }

    /// <summary>The arena reached its limit (or the index 2^29 states): a state that did not fit was refused (Add
    /// returned -1), and the search stops as at its state cap.</summary>
    public bool Full { get; private set; }

    /// <summary>Bytes of the encoded states.</summary>
    public long ArenaBytes => _stateBytes;

    public long IndexBytes => (long)_offset.Length * 8 + (long)_length.Length * 2 + (long)_parent.Length * 4 + (long)_move.Length * 2 + (long)_slots.Length * 8;

    public int Length(int i) => _length[i];

    public int Parent(int i) => _parent[i];

    public int MoveOf(int i) => _move[i];

    public ReadOnlySpan<byte> Get(int i)
    {
        long o = _offset[i];
        return _chunks[(int)(o >> ChunkBits)].AsSpan((int)(o & (ChunkSize - 1)), _length[i]);
    }

    /// <summary>Adds a state unless present; returns its index and whether it was new.</summary>
    public int Add(ReadOnlySpan<byte> state, int parent, int move, out bool added)
    {
        uint h = (uint)Hash64(state, 0) | 1;
        int slot = SlotOf(h, _mask);
        while (true)
        {
            ulong v = _slots[slot];
            if (v == 0) break;
            if ((uint)(v >> 32) == h)
            {
                int i = (int)(uint)v - 1;
                if (Get(i).SequenceEqual(state)) { added = false; return i; }
            }
            slot = (slot + 1) & _mask;
        }
        // where the state goes: the rest of the last chunk, or a new chunk
        long at = _arenaLength;
        int c = (int)(at >> ChunkBits);
        if ((at & (ChunkSize - 1)) + state.Length > ChunkSize) { c++; at = (long)c << ChunkBits; }
        if (at + state.Length > maxArenaBytes || state.Length > ushort.MaxValue || Count >= 1 << 29) { Full = true; added = false; return -1; }
        if (c == _chunks.Count) _chunks.Add(new byte[(int)Math.Min(1 << 20, ChunkSize)]);
        int within = (int)(at & (ChunkSize - 1));
        var chunk = _chunks[c];
        if (within + state.Length > chunk.Length)
        {
            Array.Resize(ref chunk, (int)Math.Min(ChunkSize, Math.Max(chunk.Length * 2L, within + state.Length)));
            _chunks[c] = chunk;
        }
        int idx = Count;
        if (idx == _offset.Length) Grow();
        state.CopyTo(chunk.AsSpan(within));
        _offset[idx] = at;
        _length[idx] = (ushort)state.Length;
        _arenaLength = at + state.Length;
        _stateBytes += state.Length;
        _parent[idx] = parent;
        _move[idx] = (ushort)move;
        Count++;
        _slots[slot] = (ulong)h << 32 | (uint)(idx + 1);
        if (Count * 2 > _slots.Length) Rehash();
        added = true;
        return idx;
    }

    private void Grow()
    {
        int n = _offset.Length * 2;
        Array.Resize(ref _offset, n);
        Array.Resize(ref _length, n);
        Array.Resize(ref _parent, n);
        Array.Resize(ref _move, n);
    }

    private void Rehash()
    {
        // the hashes are in the slots: no state's bytes are read again
        var slots = new ulong[_slots.Length * 2];
        int mask = slots.Length - 1;
        foreach (ulong v in _slots)
        {
            if (v == 0) continue;
            int slot = SlotOf((uint)(v >> 32), mask);
            while (slots[slot] != 0) slot = (slot + 1) & mask;
            slots[slot] = v;
        }
        _slots = slots;
        _mask = mask;
    }

    // the slot a hash starts probing at (Fibonacci hashing of the 32-bit hash: its high bits spread over the table)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SlotOf(uint h, int mask) => (int)(((ulong)h * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    /// <summary>A fast 64-bit hash of a byte string (multiply–xorshift over 8-octet words).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash64(ReadOnlySpan<byte> data, ulong seed)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ seed ^ ((ulong)data.Length * 0xC2B2AE3D27D4EB4FUL);
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong w in words)
        {
            h ^= w * 0xBF58476D1CE4E5B9UL;
            h = (h << 27 | h >> 37) * 0x94D049BB133111EBUL;
        }
        int rest = data.Length & 7;
        if (rest != 0)
        {
            ulong t = 0;
            var tail = data[^rest..];
            for (int i = 0; i < rest; i++) t |= (ulong)tail[i] << (8 * i);
            h ^= t * 0xBF58476D1CE4E5B9UL;
            h = (h << 27 | h >> 37) * 0x94D049BB133111EBUL;
        }
        h ^= h >> 31;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        return h;
    }
}
