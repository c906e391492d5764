using TcpModel.Checking;
using TcpModel.Machine;

namespace TcpModel.Tests.Checking;

/// <summary>The explorer on the model as specified: small configurations explored completely find nothing,
/// and what it prints is stable.</summary>
[Trait("Area", "Explorer")]
public class ExplorerOnTheModel
{
    public static TheoryData<string> Profiles => new(Profile.BuiltIn.Keys);

    [Theory]
    [MemberData(nameof(Profiles))]
    public void AnOpenAndCloseWithLossExploredCompletelyViolatesNothing(string profile)
    {
        var r = Explorer.Run(ExplorerConfig.Default with { Profile = Profile.BuiltIn[profile], Payload = 0, SimultaneousOpen = false, Calls = 2 });
        Assert.True(r.Complete);
        Assert.Empty(r.Violations);
        Assert.Equal(0, r.Deadlocks);
        Assert.True(r.States > 100);
    }

    [Fact]
    public void TheSameStateIsStoredOnceWhateverTheOrderOfTheSegmentsInFlight()
    {
        var cfg = ExplorerConfig.Default with { Calls = 1, Loss = 0, Liveness = false };
        var a = Explorer.Run(cfg);
        var b = Explorer.Run(cfg);
        Assert.Equal(a.States, b.States);
        Assert.Equal(a.Transitions, b.Transitions);
    }

    [Fact]
    public void BitstateModeCountsAsManyStatesAsTheExhaustiveSearchWhenTheArrayIsLarge()
    {
        var cfg = ExplorerConfig.Default with { Calls = 1, Loss = 0, Liveness = false };
        var exact = Explorer.Run(cfg);
        var bits = Explorer.Run(cfg with { BitstateBits = 24 });
        Assert.Equal(exact.States, bits.States);
        Assert.True(bits.CoverageEstimate > 0.999);
    }

    [Fact]
    public void ACounterexampleReplaysByItsMoveLabelsAndItsTestTextNamesThem()
    {
        var cfg = ExplorerConfig.Default with { Mutant = Mutant.AckOfFinNotRecognised, OnlyChecks = new HashSet<string>(["state-agrees-with-fin-flags"]) };
        var v = Assert.Single(Explorer.Run(cfg).Violations);
        var text = Counterexamples.XunitTest(v, cfg, "Replay");
        foreach (var s in v.Trace) Assert.Contains(s.Move.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.Contains("Mutant.AckOfFinNotRecognised", text, StringComparison.Ordinal);
        var ladder = Counterexamples.Ladder(v);
        Assert.Contains("FIN-WAIT-1", ladder, StringComparison.Ordinal);
        Assert.StartsWith("sequenceDiagram\n", Counterexamples.Mermaid(v), StringComparison.Ordinal);
        Assert.StartsWith("digraph counterexample {", Counterexamples.DotGraph(v), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Explorer.Replay(cfg, ["B: CLOSE"]));
    }
}
