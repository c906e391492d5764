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

    /// <summary>An attacker who guesses RCV.NXT exactly can inject text that leaves both ends ESTABLISHED and unable
    /// to finish (RFC 5961 promises nothing against an exact guess, §1); can-finish holds every other run against
    /// the model, and the blind-attack check covers the blind ones.</summary>
    [Fact]
    public void AnExactGuessIsNotHeldAgainstCanFinish_SoOneOpenUnderAttackViolatesNothing()
    {
        var r = Explorer.Run(ExplorerConfig.Default with { Calls = 1, Payload = 0, Loss = 0, Attacks = 1 });
        Assert.True(r.Complete);
        Assert.Empty(r.Violations);
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

/// <summary>The state store refuses a state that does not fit, rather than failing on the largest array .NET allows.</summary>
[Trait("Area", "Explorer")]
public class StateStoreLimits
{
    [Fact]
    public void AStoreThatIsFullRefusesTheNextStateAndSaysSo()
    {
        var store = new StateStore(maxArenaBytes: 10);
        Assert.Equal(0, store.Add([1, 2, 3, 4, 5, 6], -1, 0, out bool added));
        Assert.True(added);
        Assert.Equal(-1, store.Add([7, 8, 9, 10, 11], 0, 0, out added));
        Assert.False(added);
        Assert.True(store.Full);
        Assert.Equal(1, store.Count);
        Assert.Equal(0, store.Add([1, 2, 3, 4, 5, 6], -1, 0, out added)); // a state already stored is still found
    }
}
