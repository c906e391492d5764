using BenchmarkDotNet.Attributes;
using TcpModel.Checking;

namespace TcpModel.Benchmarks;

/// <summary>
/// States per second of the explicit-state explorer: one operation explores a whole configuration
/// exhaustively (both sides open and send; B listens or opens actively; no faults) and returns the number
/// of distinct states; divide it by the mean time for states/s (the text report prints the ratio too).
/// Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class ExplorerBenchmarks
{
    /// <summary>The benchmarked bounds.</summary>
    public static ExplorerConfig Config { get; } = ExplorerConfig.Default with { Calls = 2, Loss = 0, Dup = 0, Liveness = false };

    /// <summary>Exhaustive breadth-first exploration with the full state store, one thread (the baseline).</summary>
    [Benchmark(Baseline = true)]
    public long Exhaustive() => Explorer.Run(Config).States;

    /// <summary>The same search with two worker threads expanding batches while the merge runs (the same states in
    /// the same order: the ratio to <see cref="Exhaustive"/> is the parallel speed-up).</summary>
    [Benchmark]
    public long ExhaustiveTwoThreads() => Explorer.Run(Config with { Threads = 2 }).States;

    /// <summary>The same configuration in bitstate mode (2^24 bits).</summary>
    [Benchmark]
    public long Bitstate() => Explorer.Run(Config with { BitstateBits = 24 }).States;
}
