using System.Diagnostics;
using System.Xml.Linq;
using TcpModel.Checking;
using TcpModel.Machine;
using TcpModel.Tests.Export;
using TcpModel.Tests.Pcap;

namespace TcpModel.Tests.Checking;

/// <summary>The explorer's pictures (issue 9, "Pictures"): the product graph of a small configuration, the
/// table graph as a coverage heat map, and a counterexample as Mermaid and DOT are golden text; Graphviz
/// renders each DOT picture to well-formed SVG.</summary>
[Trait("Area", "Explorer")]
public sealed class ExplorerPicturesAreStable
{
    /// <summary>One open, nothing lost: small enough to draw (the product graph is capped at 40 nodes).</summary>
    private static readonly ExplorerConfig Small =
        ExplorerConfig.Default with { Calls = 1, Loss = 0, Payload = 0, SimultaneousOpen = false, GraphNodeCap = 40, Coverage = true };

    private static ExplorerResult SmallRun() => Explorer.Run(Small);

    /// <summary>The shortest run in which a zero TIME-WAIT lets the peer's retransmitted FIN be reset (README).</summary>
    private static Violation TimeWaitZero() => Assert.Single(Explorer.Run(ExplorerConfig.Default with
    {
        Mutant = Mutant.TimeWaitZero, Payload = 0, Loss = 0, SimultaneousOpen = false,
        OnlyChecks = new HashSet<string>(["retransmitted-fin-reset"]),
    }).Violations);

    [Fact]
    public void TheProductGraphOfOneOpenIsTheGoldenDot() =>
        GoldenFile.AssertMatches("explore-product.dot", ExplorerPictures.ProductGraphDot(SmallRun()));

    [Fact]
    public void TheCoverageHeatMapOfOneOpenIsTheGoldenDot_AndListsTheNeverFiredCells()
    {
        var r = SmallRun();
        var dot = ExplorerPictures.CoverageDot(r);
        GoldenFile.AssertMatches("explore-coverage.dot", dot);
        var never = ExplorerPictures.NeverFired(r);
        Assert.Equal(TransitionTable.Declared.Facts.Count - r.CellCoverage!.Count, never.Count);
        Assert.Contains("TIME-WAIT × TimeWaitTimeout", string.Join("\n", never), StringComparison.Ordinal); // one open never closes
    }

    [Fact]
    public void TheTimeWaitCounterexampleIsTheGoldenMermaidAndDot()
    {
        var v = TimeWaitZero();
        GoldenFile.AssertMatches("explore-time-wait-zero.mmd", Counterexamples.Mermaid(v));
        GoldenFile.AssertMatches("explore-time-wait-zero.dot", Counterexamples.DotGraph(v));
    }

    [SkippableFact]
    public void GraphvizRendersEveryExplorerPictureToWellFormedSvg()
    {
        string? dot = WrittenCaptures.FindOnPath("dot");
        if (dot is null && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("Graphviz dot is not installed (.ci/run installs it)");
        Skip.If(dot is null, "Graphviz dot is not installed");
        var r = SmallRun();
        foreach (var (name, text) in new[]
                 {
                     ("product", ExplorerPictures.ProductGraphDot(r)),
                     ("coverage", ExplorerPictures.CoverageDot(r)),
                     ("counterexample", Counterexamples.DotGraph(TimeWaitZero())),
                 })
        {
            var svg = RenderSvg(dot!, text);
            var doc = XDocument.Parse(svg); // throws on malformed XML
            Assert.True(doc.Root is { Name.LocalName: "svg" }, $"{name}: the root element is not <svg>");
            Assert.Contains(doc.Descendants(), e => e.Name.LocalName == "g");
        }
    }

    private static string RenderSvg(string dot, string text)
    {
        var psi = new ProcessStartInfo(dot, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(text);
        p.StandardInput.Close();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"dot -Tsvg failed: {stderr.Result}");
        return stdout.Result;
    }
}
