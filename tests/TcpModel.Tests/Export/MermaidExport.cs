using TcpModel.Export;
using TcpModel.Machine;

namespace TcpModel.Tests.Export;

public sealed class MermaidExport
{
    private static readonly string Mermaid = MermaidExporter.Write(StateGraph.Declared);

    [Fact]
    public void MatchesTheGoldenFile() => GoldenFile.AssertMatches("states.mmd", Mermaid);

    [Fact]
    public void IsAStateDiagramV2DeclaringAllElevenStatesWithTheirRfcNames()
    {
        Assert.Contains("\nstateDiagram-v2\n", Mermaid);
        foreach (var s in TcpStates.All)
            Assert.Contains($"    state \"{s.RfcName()}\" as {s.RfcName().Replace('-', '_')}\n", Mermaid);
    }

    [Fact]
    public void StartsInClosed() => Assert.Contains("    [*] --> CLOSED\n", Mermaid);

    [Fact]
    public void HasOneTransitionLinePerEdgeAndNoStatementBreakingCharactersInLabels()
    {
        var lines = Mermaid.Split('\n').Where(l => l.Contains(" --> ", StringComparison.Ordinal) && !l.Contains("[*]", StringComparison.Ordinal)).ToList();
        Assert.Equal(StateGraph.Declared.Edges.Count, lines.Count);
        Assert.All(lines, l => Assert.DoesNotContain(";", l));
    }

    [Fact]
    public void MergesParallelCellsWithLineBreaks()
    {
        var edge = StateGraph.Declared.Edges.First(e => e.Labels.Count > 1);
        var line = Mermaid.Split('\n').Single(l => l.StartsWith($"    {edge.From.RfcName().Replace('-', '_')} --> {edge.To.RfcName().Replace('-', '_')} : ", StringComparison.Ordinal));
        Assert.Equal(edge.Labels.Count - 1, line.Split("<br/>").Length - 1);
    }
}
