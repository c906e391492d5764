using System.Collections;

namespace TcpModel.Machine;

/// <summary>
/// A read-only list over one of an <see cref="Outbox"/>'s buffers (the segments, notices or cells of the last
/// step, in order), so assertions take it as it is (<c>Assert.Single(outbox.Segments)</c>,
/// <c>Assert.Equal(expected, outbox.Segments)</c>, LINQ) while <c>foreach</c> stays allocation-free.
/// Like the payload memory of emitted segments, it is valid until the endpoint's next step: copy it
/// (<see cref="ToArray"/>) to keep it.
/// </summary>
public readonly struct OutboxView<T> : IReadOnlyList<T>
{
    private readonly T[] _items;

    internal OutboxView(T[] items, int count)
    {
        _items = items;
        Count = count;
    }

    /// <summary>How many items.</summary>
    public int Count { get; }

    /// <summary>How many items (the name a span has, kept for callers written against one).</summary>
    public int Length => Count;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T this[int index] => (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The items as a span (no copy).</summary>
    public ReadOnlySpan<T> AsSpan() => _items is null ? default : _items.AsSpan(0, Count);

    /// <summary>A copy of the items.</summary>
    public T[] ToArray() => AsSpan().ToArray();

    /// <summary>An allocation-free enumerator.</summary>
    public Enumerator GetEnumerator() => new(_items, Count);

    IEnumerator<T> IEnumerable<T>.GetEnumerator()
    {
        for (int i = 0; i < Count; i++) yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <summary>Enumerates an <see cref="OutboxView{T}"/>.</summary>
    public struct Enumerator
    {
        private readonly T[] _items;
        private readonly int _count;
        private int _index;

        internal Enumerator(T[] items, int count)
        {
            _items = items;
            _count = count;
            _index = -1;
        }

        /// <summary>The current item.</summary>
        public readonly ref readonly T Current => ref _items[_index];

        /// <summary>Moves to the next item.</summary>
        public bool MoveNext() => ++_index < _count;
    }
}
