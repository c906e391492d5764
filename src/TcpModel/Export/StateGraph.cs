using TcpModel.Machine;

namespace TcpModel.Export;

/// <summary>One state of the connection state diagram (RFC 9293 §3.3.2, Figure 5).</summary>
public sealed record StateNode(TcpState State)
{
    /// <summary>The RFC's name of the state, e.g. <c>SYN-RECEIVED</c>.</summary>
    public string Name => State.RfcName();
}

/// <summary>One declared cell drawn on an edge: <c>trigger [guard] / RFC ref</c>.</summary>
public sealed record EdgeLabel(Trigger Trigger, Guard Guard1, Guard Guard2, string Rfc)
{
    /// <summary>The label line, e.g. <c>RstValid [PassiveOpen] / RFC 9293 §3.10.7.4 second</c>.</summary>
    public override string ToString()
    {
        string guard = Guard1 == Guard.None ? "" : Guard2 == Guard.None ? $" [{Guard1.Name()}]" : $" [{Guard1.Name()} & {Guard2.Name()}]";
        return $"{Trigger}{guard} / {Rfc}";
    }
}

/// <summary>All declared cells leading from one state to another, merged into one edge.</summary>
public sealed record StateEdge(TcpState From, TcpState To, IReadOnlyList<EdgeLabel> Labels);

/// <summary>
/// The connection state diagram (RFC 9293 §3.3.2, Figure 5) generated from the declared
/// transition table — never drawn by hand. Nodes are the eleven states in declaration order;
/// edges come from Stateless <c>GetInfo()</c> (the shape) and <see cref="TransitionTable.Facts"/>
/// (the RFC reference of each cell). Ordering is deterministic so exports are golden-testable.
/// </summary>
public sealed class StateGraph
{
    private StateGraph(IReadOnlyList<StateNode> nodes, IReadOnlyList<StateEdge> edges)
    {
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>The eleven states, in <see cref="TcpState"/> order.</summary>
    public IReadOnlyList<StateNode> Nodes { get; }

    /// <summary>The edges, ordered by source then destination state; labels ordered by trigger then guards.</summary>
    public IReadOnlyList<StateEdge> Edges { get; }

    private static readonly Trigger[] LifecycleTriggers =
    [
        Trigger.OpenPassive, Trigger.OpenActive, Trigger.Close, Trigger.Syn, Trigger.SynAck,
        Trigger.AckNew, Trigger.AckOfFin, Trigger.Fin, Trigger.TimeWaitTimeout,
    ];

    /// <summary>The graph of <see cref="TransitionTable.Declared"/>, change-of-state cells only.</summary>
    public static StateGraph Declared { get; } = Build(TransitionTable.Declared);

    /// <summary>
    /// Builds the graph of a declared table. Edges are its <c>Permit</c>/<c>PermitIf</c> cells;
    /// with <paramref name="includeReplyAndStay"/> the <c>InternalTransition</c> cells are drawn as
    /// self-loops too. <c>Ignore</c> cells are never drawn.
    /// </summary>
    public static StateGraph Build(TransitionTable table, bool includeReplyAndStay = false) => Build(table, includeReplyAndStay, null);

    /// <summary>
    /// The classic lifecycle view (the RFC 793 / RFC 9293 Figure 5 diagram): only the cells of
    /// opening, the handshake, the release and TIME-WAIT — OPEN, CLOSE, SEND from LISTEN, SYN, SYN,ACK,
    /// the ACK that completes the handshake, the ACK of our FIN, FIN, the time-wait timeout and the
    /// passive SYN-RECEIVED's return to LISTEN on RST. Aborts, resets, give-ups and policy-only
    /// cells are left out. Still generated from the declared table.
    /// </summary>
    public static StateGraph Lifecycle { get; } = Build(TransitionTable.Declared, false, IsLifecycleCell);

    private static bool IsLifecycleCell(CellKey key) =>
        key.Guard1 != Guard.UnreadDataResets && key.Guard2 is not (Guard.ClassicSyn or Guard.ClassicRst)
        && key.Guard1 is not (Guard.ClassicSyn or Guard.ClassicRst)
        && (LifecycleTriggers.Contains(key.Trigger)
            || (key.Trigger == Trigger.Send && key.Guard1 == Guard.RemoteSpecified)
            || (key.Trigger == Trigger.RstValid && key.Guard1 == Guard.PassiveOpen));

    private static StateGraph Build(TransitionTable table, bool includeReplyAndStay, Func<CellKey, bool>? include)
    {
        var info = table.Machine.GetInfo();
        var cells = new List<(TcpState From, TcpState To, EdgeLabel Label)>();
        foreach (var state in info.States)
        {
            var from = (TcpState)state.UnderlyingState;
            foreach (var t in state.FixedTransitions)
            {
                if (t.IsInternalTransition && !includeReplyAndStay) continue;
                var to = t.IsInternalTransition ? from : (TcpState)t.DestinationState.UnderlyingState;
                var trigger = (Trigger)t.Trigger.UnderlyingTrigger;
                var guards = CompiledTable.GuardsOf(t);
                var key = new CellKey(from, trigger, guards.Length > 0 ? guards[0] : Guard.None, guards.Length > 1 ? guards[1] : Guard.None);
                if (include is not null && !include(key)) continue;
                if (!table.Facts.TryGetValue(key, out var facts))
                    throw new InvalidOperationException($"cell {key} has no facts beside the table");
                cells.Add((from, to, new EdgeLabel(trigger, key.Guard1, key.Guard2, facts.Rfc)));
            }
        }

        var edges = cells
            .GroupBy(c => (c.From, c.To))
            .OrderBy(g => g.Key.From).ThenBy(g => g.Key.To)
            .Select(g => new StateEdge(g.Key.From, g.Key.To,
                g.Select(c => c.Label)
                 .OrderBy(l => l.Trigger).ThenBy(l => l.Guard1).ThenBy(l => l.Guard2)
                 .ToList()))
            .ToList();
        var nodes = TcpStates.All.Select(s => new StateNode(s)).ToList();
        return new StateGraph(nodes, edges);
    }
}
