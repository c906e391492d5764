using TcpModel.Export;
using TcpModel.Machine;

namespace TcpModel.Tests.Export;

public sealed class StateGraphFromTheTable
{
    private static readonly StateGraph Graph = StateGraph.Declared;

    [Fact]
    public void NodesAreTheElevenStatesByTheirRfcNames() =>
        Assert.Equal(
            ["CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"],
            Graph.Nodes.Select(n => n.Name));

    [Fact]
    public void EveryDeclaredChangeOfStateCellIsDrawnExactlyOnce()
    {
        var drawn = Graph.Edges.SelectMany(e => e.Labels.Select(l => new CellKey(e.From, l.Trigger, l.Guard1, l.Guard2))).ToList();
        var declared = TransitionTable.Declared.Facts.Values.Where(f => f.Kind == CellKind.Transition).Select(f => f.Key).ToList();
        Assert.Equal(drawn.Count, drawn.Distinct().Count());
        Assert.Equal(declared.OrderBy(k => k.ToString()), drawn.OrderBy(k => k.ToString()));
    }

    [Fact]
    public void EachEdgeGoesWhereItsCellsSay()
    {
        foreach (var e in Graph.Edges)
            foreach (var l in e.Labels)
                Assert.Equal(e.To, TransitionTable.Declared.Facts[new CellKey(e.From, l.Trigger, l.Guard1, l.Guard2)].Next);
    }

    [Fact]
    public void ParallelCellsShareOneEdge() =>
        Assert.Equal(Graph.Edges.Count, Graph.Edges.Select(e => (e.From, e.To)).Distinct().Count());

    [Fact]
    public void ReplyAndStayAndIgnoreCellsAreNotDrawnByDefault() =>
        Assert.DoesNotContain(Graph.Edges.SelectMany(e => e.Labels.Select(l => (e.From, l))),
            x => TransitionTable.Declared.Facts[new CellKey(x.From, x.l.Trigger, x.l.Guard1, x.l.Guard2)].Kind != CellKind.Transition);

    [Fact]
    public void WithReplyAndStayCells_TheyAppearAsSelfLoops()
    {
        var all = StateGraph.Build(TransitionTable.Declared, includeReplyAndStay: true);
        int internalCells = TransitionTable.Declared.Facts.Values.Count(f => f.Kind == CellKind.Internal);
        int transitions = TransitionTable.Declared.Facts.Values.Count(f => f.Kind == CellKind.Transition);
        Assert.Equal(internalCells + transitions, all.Edges.Sum(e => e.Labels.Count));
        var loop = all.Edges.Single(e => e.From == TcpState.TimeWait && e.To == TcpState.TimeWait);
        Assert.Contains(loop.Labels, l => l.Trigger == Trigger.Fin);
    }

    [Fact]
    public void ALabelReadsTriggerGuardAndRfcReference()
    {
        var edge = Graph.Edges.Single(e => e.From == TcpState.SynReceived && e.To == TcpState.Listen);
        Assert.Contains("RstValid [PassiveOpen] / RFC 9293 §3.10.7.4 second", edge.Labels.Select(l => l.ToString()).First(s => s.StartsWith("RstValid", StringComparison.Ordinal)));
    }

    [Fact]
    public void LabelsOnAnEdgeAreOrderedByTriggerThenGuard()
    {
        foreach (var e in Graph.Edges)
            Assert.Equal(e.Labels.OrderBy(l => l.Trigger).ThenBy(l => l.Guard1).ThenBy(l => l.Guard2), e.Labels);
    }

    [Fact]
    public void TheHandshakeAndCloseEdgesOfFigure5AreAllThere()
    {
        (TcpState, TcpState)[] figure5 =
        [
            (TcpState.Closed, TcpState.Listen), (TcpState.Closed, TcpState.SynSent), (TcpState.Listen, TcpState.SynReceived),
            (TcpState.SynSent, TcpState.SynReceived), (TcpState.SynSent, TcpState.Established), (TcpState.SynReceived, TcpState.Established),
            (TcpState.SynReceived, TcpState.FinWait1), (TcpState.Established, TcpState.FinWait1), (TcpState.Established, TcpState.CloseWait),
            (TcpState.FinWait1, TcpState.FinWait2), (TcpState.FinWait1, TcpState.Closing), (TcpState.FinWait2, TcpState.TimeWait),
            (TcpState.CloseWait, TcpState.LastAck), (TcpState.Closing, TcpState.TimeWait), (TcpState.LastAck, TcpState.Closed),
            (TcpState.TimeWait, TcpState.Closed),
        ];
        var edges = Graph.Edges.Select(e => (e.From, e.To)).ToHashSet();
        Assert.All(figure5, pair => Assert.Contains(pair, edges));
    }
}
