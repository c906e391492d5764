using Stateless.Reflection;

namespace TcpModel.Machine;

/// <summary>One guarded alternative of a cell, flattened for the hot path.</summary>
public readonly struct CompiledCell(TcpState next, Guard g1, Guard g2, CellFacts facts)
{
    /// <summary>The state after the cell.</summary>
    public TcpState Next { get; } = next;
    /// <summary>First guard, or <see cref="Guard.None"/>.</summary>
    public Guard Guard1 { get; } = g1;
    /// <summary>Second guard, or <see cref="Guard.None"/>.</summary>
    public Guard Guard2 { get; } = g2;
    /// <summary>The facts declared beside the Stateless table.</summary>
    public CellFacts Facts { get; } = facts;
}

/// <summary>
/// The declared Stateless table compiled once, from <c>GetInfo()</c>, into flat arrays indexed by
/// state × trigger: the segment path looks cells up here and never calls Stateless <c>Fire</c>.
/// </summary>
public sealed class CompiledTable
{
    private readonly CompiledCell[] _cells;
    private readonly short[] _start;
    private readonly byte[] _count;
    private readonly CellFacts?[] _direct;   // the facts of a cell with one unguarded alternative, else null
    private readonly byte[] _directNext;     // its next state, or Guarded
    private const byte Guarded = 0xFF;

    /// <summary>The table compiled from <see cref="TransitionTable.Declared"/>.</summary>
    public static CompiledTable Instance { get; } = Compile(TransitionTable.Declared);

    private CompiledTable(CompiledCell[] cells, short[] start, byte[] count)
    {
        _cells = cells;
        _start = start;
        _count = count;
        _direct = new CellFacts?[start.Length];
        _directNext = new byte[start.Length];
        for (int i = 0; i < start.Length; i++)
        {
            bool single = count[i] == 1 && cells[start[i]].Guard1 == Guard.None;
            _direct[i] = single ? cells[start[i]].Facts : null;
            _directNext[i] = single ? (byte)cells[start[i]].Next : Guarded;
        }
    }

    /// <summary>Compiles a declared table from its Stateless reflection info plus the facts kept beside it.</summary>
    public static CompiledTable Compile(TransitionTable table)
    {
        var info = table.Machine.GetInfo();
        var perCell = new List<CompiledCell>[TcpStates.Count * Triggers.Count];
        for (int i = 0; i < perCell.Length; i++) perCell[i] = [];
        int seen = 0;
        foreach (var state in info.States)
        {
            var s = (TcpState)state.UnderlyingState;
            foreach (var t in state.FixedTransitions)
                Add(s, t, (TcpState)t.DestinationState.UnderlyingState, t.IsInternalTransition ? CellKind.Internal : CellKind.Transition);
            foreach (var t in state.IgnoredTriggers)
                Add(s, t, s, CellKind.Ignore);
        }
        if (seen != table.Facts.Count)
            throw new InvalidOperationException($"declared table has {table.Facts.Count} facts but Stateless reports {seen} cells");

        var cells = new List<CompiledCell>();
        var start = new short[perCell.Length];
        var count = new byte[perCell.Length];
        for (int i = 0; i < perCell.Length; i++)
        {
            start[i] = (short)cells.Count;
            count[i] = (byte)perCell[i].Count;
            cells.AddRange(perCell[i]);
        }
        return new CompiledTable(cells.ToArray(), start, count);

        void Add(TcpState s, TransitionInfo t, TcpState next, CellKind kind)
        {
            var trig = (Trigger)t.Trigger.UnderlyingTrigger;
            var guards = GuardsOf(t);
            var key = new CellKey(s, trig, guards.Length > 0 ? guards[0] : Guard.None, guards.Length > 1 ? guards[1] : Guard.None);
            if (!table.Facts.TryGetValue(key, out var facts))
                throw new InvalidOperationException($"cell {key} has no facts beside the table");
            if (facts.Kind != kind || facts.Next != next)
                throw new InvalidOperationException($"cell {key}: facts say {facts.Kind}→{facts.Next}, Stateless says {kind}→{next}");
            perCell[(int)s * Triggers.Count + (int)trig].Add(new CompiledCell(next, key.Guard1, key.Guard2, facts));
            seen++;
        }
    }

    /// <summary>The guard names of a Stateless transition (internal transitions join several with " &amp; ";
    /// Stateless describes the implicit guard of an unguarded internal transition as "Function",
    /// which names no guard and is skipped; a misspelt guard then fails the facts lookup).</summary>
    public static Guard[] GuardsOf(TransitionInfo t) =>
        t.GuardConditionsMethodDescriptions
            .SelectMany(g => g.Description.Split(" & ", StringSplitOptions.RemoveEmptyEntries))
            .Where(d => Enum.TryParse<Guard>(d, out var g) && g != Guard.None)
            .Select(Guards.FromName)
            .ToArray();

    /// <summary>The alternatives of a cell.</summary>
    public ReadOnlySpan<CompiledCell> Alternatives(TcpState s, Trigger t)
    {
        int i = (int)s * Triggers.Count + (int)t;
        return _cells.AsSpan(_start[i], _count[i]);
    }

    /// <summary>The alternative of the cell whose guards hold, or null when none does.</summary>
    public CellFacts? Lookup(TcpState s, Trigger t, Tcb tcb, Profile p)
    {
        int i = (int)s * Triggers.Count + (int)t;
        if (_direct[i] is { } direct) return direct; // most cells: one unguarded alternative, one read
        int end = _start[i] + _count[i];
        for (int j = _start[i]; j < end; j++)
        {
            ref readonly var c = ref _cells[j];
            // most cells are unguarded: decide those without a call into the guard switch
            if ((c.Guard1 == Guard.None || Guards.Evaluate(c.Guard1, tcb, p))
                && (c.Guard2 == Guard.None || Guards.Evaluate(c.Guard2, tcb, p))) return c.Facts;
        }
        return null;
    }

    /// <summary>The next state for a trigger (the transition-throughput path): one array read for
    /// unguarded cells, the guarded alternatives otherwise.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public TcpState Next(TcpState s, Trigger t, Tcb tcb, Profile p)
    {
        byte next = _directNext[(int)s * Triggers.Count + (int)t];
        return next != Guarded ? (TcpState)next : GuardedNext(s, t, tcb, p);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private TcpState GuardedNext(TcpState s, Trigger t, Tcb tcb, Profile p) => Lookup(s, t, tcb, p)?.Next ?? s;

    /// <summary>Like the TCB overload, with guard outcomes given by an oracle (for agreement tests).</summary>
    public CellFacts? Lookup(TcpState s, Trigger t, Func<Guard, bool> oracle)
    {
        foreach (ref readonly var c in Alternatives(s, t))
            if ((c.Guard1 == Guard.None || oracle(c.Guard1)) && (c.Guard2 == Guard.None || oracle(c.Guard2))) return c.Facts;
        return null;
    }
}
