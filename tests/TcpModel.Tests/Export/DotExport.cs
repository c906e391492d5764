using TcpModel.Export;
using TcpModel.Machine;

namespace TcpModel.Tests.Export;

public sealed class DotExport
{
    private static readonly string Dot = DotExporter.Write(StateGraph.Declared);

    [Fact]
    public void MatchesTheGoldenFile() => GoldenFile.AssertMatches("states.dot", Dot);

    [Fact]
    public void IsADigraphNamingAllElevenStates()
    {
        Assert.Contains("digraph tcp {", Dot);
        Assert.EndsWith("}\n", Dot);
        foreach (var s in TcpStates.All) Assert.Contains($"  \"{s.RfcName()}\";\n", Dot);
    }

    [Fact]
    public void HasOneEdgeStatementPerEdge() =>
        Assert.Equal(StateGraph.Declared.Edges.Count, Dot.Split('\n').Count(l => l.Contains("\" -> \"", StringComparison.Ordinal)));

    [Fact]
    public void IsTheSameForAFreshlyDeclaredTable() =>
        Assert.Equal(Dot, DotExporter.Write(StateGraph.Build(new TransitionTable())));

    [Fact]
    public void EveryLabelLineIsLeftJustified()
    {
        foreach (var e in StateGraph.Declared.Edges)
            foreach (var l in e.Labels)
                Assert.Contains(l.ToString() + "\\l", Dot);
    }
}
