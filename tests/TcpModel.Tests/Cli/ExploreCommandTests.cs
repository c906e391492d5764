using System.Text.Json;

namespace TcpModel.Tests.Cli;

/// <summary><c>tcpmodel explore</c>: the report, its JSON, the exit codes, and bad options.</summary>
public class ExploreCommandTests
{
    [Fact]
    public void ASmallCompleteExplorationReportsItsFiguresAndExitsZero()
    {
        var r = CliRun.Run("explore", "--calls", "1", "--loss", "0", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("exhaustive: complete", r.Stdout, StringComparison.Ordinal);
        foreach (var what in new[] { "distinct states", "transitions", "depth", "states/s", "bytes/state", "peak memory", "deadlocks", "violations        0" })
            Assert.Contains(what, r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AMutantIsReportedAsJsonWithItsShortestTraceAndExitsOne()
    {
        var r = CliRun.Run("explore", "--mutant", "ack-of-fin-not-recognised", "--check", "state-agrees-with-fin-flags", "--json");
        Assert.Equal(1, r.ExitCode);
        // JSON Lines: progress records (if the run is long enough), then the summary last
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var l in lines[..^1]) Assert.Equal("progress", JsonDocument.Parse(l).RootElement.GetProperty("type").GetString());
        using var doc = JsonDocument.Parse(lines[^1]);
        Assert.Equal("summary", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("tcpmodel-explore/1", doc.RootElement.GetProperty("schema").GetString());
        var v = doc.RootElement.GetProperty("violations")[0];
        Assert.Equal("state-agrees-with-fin-flags", v.GetProperty("check").GetString());
        Assert.True(v.GetProperty("trace").GetArrayLength() > 0);
        Assert.Equal("ack-of-fin-not-recognised", doc.RootElement.GetProperty("mutant").GetString());
    }

    [Theory]
    [InlineData("--mutant", "no-such-bug")]
    [InlineData("--check", "no-such-check")]
    [InlineData("--calls", "9")]
    [InlineData("--bitstate", "5")]
    public void ABadOptionIsOneLineAndExitTwo(string option, string value)
    {
        var r = CliRun.Run("explore", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.StderrLines);
        Assert.StartsWith("tcpmodel explore: ", r.StderrLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void TheCoverageFileListsTheTableAsAHeatMap()
    {
        string file = Path.Combine(Path.GetTempPath(), $"coverage-{Guid.NewGuid():N}.dot");
        try
        {
            var r = CliRun.Run("explore", "--calls", "1", "--loss", "0", "--quiet", "--coverage", file, "--graph", file + ".product.dot");
            Assert.Equal(0, r.ExitCode);
            var dot = File.ReadAllText(file);
            Assert.StartsWith("digraph coverage {", dot, StringComparison.Ordinal);
            Assert.Contains("style=dashed", dot, StringComparison.Ordinal); // never-fired cells
            Assert.Contains("never: ", r.Stdout, StringComparison.Ordinal);
            Assert.StartsWith("digraph product {", File.ReadAllText(file + ".product.dot"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".product.dot");
        }
    }
}
