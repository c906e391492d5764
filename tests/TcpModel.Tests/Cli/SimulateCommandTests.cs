using TcpModel.Cli;
using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Tests.Cli;

/// <summary><c>tcpmodel simulate</c>: every named scenario runs to its end state, runs are deterministic per seed.</summary>
public sealed class SimulateCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliMain.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static TheoryData<string> Names() => [.. SimulationScenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryNamedScenarioRunsAndPrintsTheFinalStatesAndWhatEachUserReceived(string name)
    {
        var (code, output, err) = Run("simulate", "--scenario", name);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("final: A ", output, StringComparison.Ordinal);
        Assert.Contains("A received \"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lifecycle", "world", "hello")]
    [InlineData("lost-syn", "world", "hello")]
    [InlineData("lost-synack", "world", "hello")]
    [InlineData("duplicate-syn", "world", "hello")]
    [InlineData("lost-fin", "world", "hello")]
    [InlineData("lost-last-ack", "world", "hello")]
    [InlineData("simultaneous-close", "world", "hello")]
    [InlineData("half-close", "reply-1reply-2", "request")]
    public void AFaultScenarioStillDeliversBothStreamsAndClosesBothSides(string name, string aGets, string bGets)
    {
        var s = SimulationScenarios.Find(name)!;
        var sim = new Simulation(Profile.Rfc9293, 1, new Faults()) { Fate = s.Fate ?? ((_, _, _, _) => SegmentFate.Random) };
        sim.Run(s.Calls);
        Assert.Equal(aGets, sim.Received[0].ToString());
        Assert.Equal(bGets, sim.Received[1].ToString());
        Assert.Equal(TcpState.Closed, sim[Side.A].State);
        Assert.Equal(TcpState.Closed, sim[Side.B].State);
    }

    [Fact]
    public void TheLostFinScenarioShowsTheFinTwiceOnceLost()
    {
        var (_, output, _) = Run("simulate", "--scenario", "lost-fin");
        Assert.Contains("(lost)", output, StringComparison.Ordinal);
        Assert.Contains("enters TIME-WAIT", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SimultaneousOpenPassesThroughSynReceivedOnBothSides()
    {
        var (_, output, _) = Run("simulate", "--scenario", "simultaneous-open");
        Assert.Contains("A: enters SYN-RECEIVED", output, StringComparison.Ordinal);
        Assert.Contains("B: enters SYN-RECEIVED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRunAndReplayShowsIt()
    {
        var a = Run("simulate", "--seed", "7", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        var b = Run("simulate", "--replay", "7", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        var c = Run("simulate", "--seed", "8", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out.Replace("seed 8", "seed 7", StringComparison.Ordinal));
    }

    [Fact]
    public void MermaidAndJsonFormats()
    {
        Assert.StartsWith("sequenceDiagram\n", Run("simulate", "--format", "mermaid", "--scenario", "lost-fin").Out, StringComparison.Ordinal);
        var json = Run("simulate", "--format", "json").Out;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("CLOSED", doc.RootElement.GetProperty("final").GetProperty("a").GetString());
    }

    [Fact]
    public void ListShowsEveryScenarioOnOneLine()
    {
        var lines = Run("simulate", "--list").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(SimulationScenarios.All.Count, lines.Length);
    }

    [Theory]
    [InlineData("--loss", "2")]
    [InlineData("--scenario", "nope")]
    [InlineData("--format", "xml")]
    [InlineData("--seed", "-1")]
    public void BadInputGivesOneLineAndExitTwo(string option, string value)
    {
        var (code, output, err) = Run("simulate", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Scenarios whose faults a sender-side capture can show: not the network's duplicates (the capture holds
    /// one copy, the receiver gets two, and the checker infers loss and delay after the capture point, not
    /// duplication) nor an off-path attacker's segments.</summary>
    public static TheoryData<string> CapturableNames() =>
        [.. SimulationScenarios.All.Select(s => s.Name).Where(n => n is not ("duplicate-syn" or "old-duplicate-after-time-wait" or "blind-reset"))];

    [Theory]
    [MemberData(nameof(CapturableNames))]
    public void WithPcap_TheRunIsWrittenAsACaptureThatTheCheckerExplains(string scenario)
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-sim-pcap-").FullName;
        try
        {
            var file = Path.Combine(dir, "run.pcap");
            var (code, _, err) = Run("simulate", "--scenario", scenario, "--pcap", file);
            Assert.True(code == 0, err);
            Assert.True(new FileInfo(file).Length > 24, "the capture holds packets");
            var (check, output, _) = Run("check-pcap", file);
            Assert.True(check == 0, output);
            Assert.Contains("ACCEPTED", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
