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

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void AnyThreadCountStoresTheSameStatesInTheSameOrderAsOneThread(int threads)
    {
        var cfg = ExplorerConfig.Default with { Calls = 2, Payload = 0, ComputeStoreDigest = true };
        var one = Explorer.Run(cfg with { Threads = 1 });
        var many = Explorer.Run(cfg with { Threads = threads });
        Assert.Equal(threads, many.Threads);
        Assert.True(one.States > 10_000); // several batches of frontier states
        Assert.Equal(one.States, many.States);
        Assert.Equal(one.Transitions, many.Transitions);
        Assert.Equal(one.Depth, many.Depth);
        Assert.Equal(one.Deadlocks, many.Deadlocks);
        Assert.Equal(one.Complete, many.Complete);
        Assert.Equal(one.StoreDigest, many.StoreDigest);
    }

    [Fact]
    public void AnyThreadCountFindsTheSameShortestCounterexampleAsOneThread()
    {
        var cfg = ExplorerConfig.Default with { Mutant = Mutant.AckOfFinNotRecognised, OnlyChecks = new HashSet<string>(["state-agrees-with-fin-flags"]) };
        var one = Explorer.Run(cfg with { Threads = 1 });
        var two = Explorer.Run(cfg with { Threads = 2 });
        var a = Assert.Single(one.Violations);
        var b = Assert.Single(two.Violations);
        Assert.Equal(a.Check, b.Check);
        Assert.Equal(a.Trace.Select(t => t.Move), b.Trace.Select(t => t.Move));
        Assert.Equal(one.States, two.States); // it stopped at the same transition
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

    [Fact]
    public void AnArenaOfManyChunksKeepsEveryStateWholeAndFindsItAgain()
    {
        var store = new StateStore(maxArenaBytes: long.MaxValue, chunkBits: 10); // 1 KiB chunks
        var states = Enumerable.Range(0, 2000).Select(i => Enumerable.Range(0, 90 + i % 37).Select(j => (byte)(i * 7 + j)).ToArray()).ToArray();
        for (int i = 0; i < states.Length; i++)
        {
            Assert.Equal(i, store.Add(states[i], i - 1, i % 5, out bool added));
            Assert.True(added);
        }
        Assert.True(store.Chunks > 150); // states do not straddle chunks: each chunk holds at most 11 of them
        for (int i = 0; i < states.Length; i++)
        {
            Assert.Equal(states[i], store.Get(i).ToArray());
            Assert.Equal(i - 1, store.Parent(i));
            Assert.Equal(i, store.Add(states[i], 0, 0, out bool again));
            Assert.False(again);
        }
        Assert.Equal(states.Sum(s => (long)s.Length), store.ArenaBytes);
    }
}
