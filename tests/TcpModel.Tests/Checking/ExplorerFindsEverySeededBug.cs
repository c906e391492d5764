using TcpModel.Checking;
using TcpModel.Machine;

namespace TcpModel.Tests.Checking;

/// <summary>
/// The explorer finds each of the seeded bugs, breadth-first, with a shortest counterexample that
/// replays by its move labels. Shallow bugs are searched at the default bounds (calls 3, loss 1, dup 0,
/// retries 1); the TIME-WAIT bugs, which need a whole close, at bounds small enough for a unit test (no
/// data, no loss, B only listens); docs/readme/explorer.md shows the default-bound runs.
/// </summary>
[Trait("Area", "Explorer")]
public class ExplorerFindsEverySeededBug
{
    private static readonly ExplorerConfig Close = ExplorerConfig.Default with { Payload = 0, Loss = 0, SimultaneousOpen = false };

    private static Violation Find(ExplorerConfig cfg, Mutant mutant, string check)
    {
        cfg = cfg with { Mutant = mutant, OnlyChecks = new HashSet<string>([check]) };
        var r = Explorer.Run(cfg);
        var v = Assert.Single(r.Violations);
        Assert.Equal(check, v.Check);
        Assert.NotEmpty(v.Trace);
        if (check is not ("can-establish" or "can-finish"))
        {
            var replayed = Explorer.Replay(cfg, v.Trace.Select(s => s.Move).ToList());
            Assert.Equal(check, replayed?.Check);
            // the same moves under the model as specified break nothing (or are not even possible)
            var clean = cfg with { Mutant = Mutant.None, OnlyChecks = null };
            try { Assert.Null(Explorer.Replay(clean, v.Trace.Select(s => s.Move).ToList())); }
            catch (ArgumentException) { /* the run diverges without the bug: a move is not enabled */ }
        }
        return v;
    }

    [Fact]
    public void TimeWaitNoRestartOnFin_IsFoundAsATimeWaitThatDoesNotRestartOnTheRetransmittedFin() =>
        Find(Close, Mutant.TimeWaitNoRestartOnFin, "time-wait-2msl");

    [Fact]
    public void TimeWaitZero_IsFoundAsTheRetransmittedFinAnsweredWithAReset()
    {
        var v = Find(Close, Mutant.TimeWaitZero, "retransmitted-fin-reset");
        Assert.Contains(v.Trace.SelectMany(s => s.Events), e => e.Kind == TraceEventKind.Send && e.Segment is { Rst: true });
    }

    [Fact]
    public void SynIgnoredInSynSent_IsFoundAsASimultaneousOpenThatCanNeverEstablish() =>
        Find(ExplorerConfig.Default with { Calls = 1 }, Mutant.SynIgnoredInSynSent, "can-establish");

    [Fact]
    public void FinInFinWait1ToCloseWait_IsFoundAsAStateThatDisagreesWithTheFinFlags() =>
        Find(ExplorerConfig.Default, Mutant.FinInFinWait1ToCloseWait, "state-agrees-with-fin-flags");

    [Fact]
    public void RstAcceptedAnywhereInWindow_IsFoundAsABlindReset() =>
        Find(ExplorerConfig.Default with { Attacks = 1 }, Mutant.RstAcceptedAnywhereInWindow, "blind-attack");

    [Fact]
    public void AcceptabilityOffByOne_IsFoundAsASegmentBeyondTheWindowTakenIn() =>
        Find(ExplorerConfig.Default with { Attacks = 1 }, Mutant.AcceptabilityOffByOne, "unacceptable-segment-dropped");

    [Fact]
    public void AckOfFinNotRecognised_IsFoundAsAStateThatDisagreesWithTheFinFlags() =>
        Find(ExplorerConfig.Default, Mutant.AckOfFinNotRecognised, "state-agrees-with-fin-flags");

    [Fact]
    public void RetransmitTimerNotRearmed_IsFoundAsOutstandingDataWithNoTimerAfterTheFirstRetransmission()
    {
        var v = Find(ExplorerConfig.Default, Mutant.RetransmitTimerNotRearmed, "retransmission-timer-armed");
        Assert.Contains(v.Trace, s => s.Move.Contains("timeout", StringComparison.Ordinal) || s.Move.Contains("tick", StringComparison.Ordinal));
    }

    [Fact]
    public void InBitstateMode_AViolationComesWithTheRunThatLedToIt_WhichReplays()
    {
        // depth-first: a run, not necessarily a shortest one; its labels replay to the same violation
        var cfg = Close with { Mutant = Mutant.FinInFinWait1ToCloseWait, BitstateBits = 20, OnlyChecks = new HashSet<string>(["state-agrees-with-fin-flags"]) };
        var v = Assert.Single(Explorer.Run(cfg).Violations);
        Assert.NotEmpty(v.Trace);
        Assert.Equal(v.Check, Explorer.Replay(cfg with { BitstateBits = null }, v.Trace.Select(s => s.Move).ToList())?.Check);
    }
}
