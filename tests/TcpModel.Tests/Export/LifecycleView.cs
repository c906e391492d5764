using TcpModel.Export;
using TcpModel.Machine;

namespace TcpModel.Tests.Export;

/// <summary>The classic lifecycle view (`tcpmodel graph --lifecycle`): a filter of the declared table.</summary>
public sealed class LifecycleView
{
    [Fact]
    public void DotMatchesTheGoldenFile() => GoldenFile.AssertMatches("lifecycle.dot", DotExporter.Write(StateGraph.Lifecycle));

    [Fact]
    public void MermaidMatchesTheGoldenFile() => GoldenFile.AssertMatches("lifecycle.mmd", MermaidExporter.Write(StateGraph.Lifecycle));

    [Fact]
    public void EveryEdgeIsADeclaredTransition()
    {
        foreach (var e in StateGraph.Lifecycle.Edges)
        {
            var full = Assert.Single(StateGraph.Declared.Edges, d => d.From == e.From && d.To == e.To);
            Assert.All(e.Labels, l => Assert.Contains(l, full.Labels));
        }
    }

    [Fact]
    public void EveryStateIsReachableFromClosedAndLeadsBackToClosed()
    {
        var edges = StateGraph.Lifecycle.Edges;
        HashSet<TcpState> Reach(TcpState start, bool forward)
        {
            var seen = new HashSet<TcpState> { start };
            var todo = new Queue<TcpState>([start]);
            while (todo.TryDequeue(out var s))
                foreach (var e in edges.Where(e => (forward ? e.From : e.To) == s))
                    if (seen.Add(forward ? e.To : e.From)) todo.Enqueue(forward ? e.To : e.From);
            return seen;
        }
        Assert.Equal(TcpStates.Count, Reach(TcpState.Closed, forward: true).Count);
        Assert.Equal(TcpStates.Count, Reach(TcpState.Closed, forward: false).Count);
    }

    [Fact]
    public void LeavesOutAbortsAndResets() =>
        Assert.DoesNotContain(StateGraph.Lifecycle.Edges.SelectMany(e => e.Labels), l => l.Trigger is Trigger.Abort or Trigger.RstInWindow or Trigger.UserTimeout);
}

/// <summary>`tcpmodel graph --lifecycle` on the command line.</summary>
public sealed class LifecycleCommand
{
    [Fact]
    public void GraphLifecyclePrintsTheLifecycleDigraph()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(0, TcpModel.Cli.CliMain.Run(["graph", "--lifecycle"], o, e));
        Assert.Equal(DotExporter.Write(StateGraph.Lifecycle), o.ToString());
    }

    [Fact]
    public void AllAndLifecycleTogetherAreABadCommandLine()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(2, TcpModel.Cli.CliMain.Run(["graph", "--all", "--lifecycle"], o, e));
        Assert.StartsWith("tcpmodel graph: --all and --lifecycle cannot be combined", e.ToString());
    }
}
