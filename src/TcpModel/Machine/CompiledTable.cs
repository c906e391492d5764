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

    /// <summary>The table compiled from <see cref="TransitionTable.Declared"/>.</summary>
    public static CompiledTable Instance { get; } = Compile(TransitionTable.Declared);

    private CompiledTable(CompiledCell[] cells, short[] start, byte[] count)
    {
        _cells = cells;
        _start = start;
        _count = count;
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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Profile, ProfileTable> _perProfile = new();

    /// <summary>This table specialized to a profile (built once per profile and cached): the guards the
    /// profile alone decides are folded, so most cells are decided by one array read.</summary>
    public ProfileTable For(Profile profile)
    {
        // most endpoints share one Profile instance: skip the dictionary's value hash for it
        if (_lastFor is { } last && ReferenceEquals(last.Profile, profile)) return last;
        return _lastFor = _perProfile.GetOrAdd(profile, p => new ProfileTable(this, p));
    }

    private volatile ProfileTable? _lastFor;

    /// <summary>Like the TCB overload, with guard outcomes given by an oracle (for agreement tests).</summary>
    public CellFacts? Lookup(TcpState s, Trigger t, Func<Guard, bool> oracle)
    {
        foreach (ref readonly var c in Alternatives(s, t))
            if ((c.Guard1 == Guard.None || oracle(c.Guard1)) && (c.Guard2 == Guard.None || oracle(c.Guard2))) return c.Facts;
        return null;
    }
}

/// <summary>
/// A <see cref="CompiledTable"/> specialized to one profile: for every state × trigger, the alternatives
/// whose guards the profile alone decides (policy guards) are resolved in advance. A cell left with one
/// alternative and no TCB-dependent guard is decided by one array read; the others fall back to the
/// general lookup, which evaluates the named guards on the TCB.
/// </summary>
public sealed class ProfileTable
{
    private const byte NeedsTcb = 0xFF;
    private readonly CompiledTable _table;
    private readonly CellFacts?[] _direct;
    private readonly byte[] _next;

    internal ProfileTable(CompiledTable table, Profile profile)
    {
        _table = table;
        Profile = profile;
        _direct = new CellFacts?[TcpStates.Count * Triggers.Count];
        _next = new byte[_direct.Length];
        foreach (var s in TcpStates.All)
        {
            foreach (var t in Triggers.All)
            {
                int i = (int)s * Triggers.Count + (int)t;
                CellFacts? only = null;
                int possible = 0;
                bool dependsOnTcb = false;
                foreach (ref readonly var c in table.Alternatives(s, t))
                {
                    var g1 = Guards.EvaluateForProfile(c.Guard1, profile);
                    var g2 = Guards.EvaluateForProfile(c.Guard2, profile);
                    if (g1 == false || g2 == false) continue; // the profile rules this alternative out
                    possible++;
                    only = c.Facts;
                    if (g1 is null || g2 is null) dependsOnTcb = true;
                }
                bool decided = possible == 1 && !dependsOnTcb;
                _direct[i] = decided ? only : null;
                _next[i] = decided ? (byte)only!.Next : NeedsTcb;
            }
        }
        switch (profile.Mutant)
        {
            case Mutant.SynIgnoredInSynSent: // MUTANT syn-ignored-in-syn-sent
                Override(TcpState.SynSent, Trigger.Syn, f => f with { Kind = CellKind.Ignore, Next = TcpState.SynSent, Effect = Effect.None, Emits = "" });
                break;
            case Mutant.FinInFinWait1ToCloseWait: // MUTANT fin-in-fin-wait1-to-close-wait
                Override(TcpState.FinWait1, Trigger.Fin, f => f with { Next = TcpState.CloseWait });
                break;
        }
    }

    /// <summary>Replaces an unguarded cell of this profile's table (seeded bugs of table cells only).</summary>
    private void Override(TcpState s, Trigger t, Func<CellFacts, CellFacts> change)
    {
        int i = (int)s * Triggers.Count + (int)t;
        var facts = change(_table.Alternatives(s, t)[0].Facts);
        _direct[i] = facts;
        _next[i] = (byte)facts.Next;
    }

    /// <summary>The profile this table is specialized to.</summary>
    public Profile Profile { get; }

    /// <summary>The alternative whose guards hold (see <see cref="CompiledTable.Lookup(TcpState, Trigger, Tcb, Profile)"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public CellFacts? Lookup(TcpState s, Trigger t, Tcb tcb) =>
        _direct[(int)s * Triggers.Count + (int)t] ?? _table.Lookup(s, t, tcb, Profile);

    /// <summary>The next state (the transition-throughput path).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public TcpState Next(TcpState s, Trigger t, Tcb tcb)
    {
        byte next = _next[(int)s * Triggers.Count + (int)t];
        return next != NeedsTcb ? (TcpState)next : NextNeedingTcb(s, t, tcb);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private TcpState NextNeedingTcb(TcpState s, Trigger t, Tcb tcb) => _table.Lookup(s, t, tcb, Profile)?.Next ?? s;
}
