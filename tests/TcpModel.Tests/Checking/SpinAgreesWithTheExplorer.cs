using System.Diagnostics;
using System.Text.RegularExpressions;
using TcpModel.Checking;
using TcpModel.Machine;
using TcpModel.Tests.Pcap;

namespace TcpModel.Tests.Checking;

/// <summary>
/// Issue 9's SPIN cross-check: the Promela model `tcpmodel export promela` writes from the compiled table is run
/// through SPIN (spin -a, gcc, ./pan), and its verdict is compared with the explorer's on the same bounds and the
/// same checks. Bounds are small (payload 0, retries 0, B listens) so that each pan runs in well under a second.
/// </summary>
[Trait("Area", "Explorer")]
public partial class SpinAgreesWithTheExplorer
{
    // every case's pan is built and run once, all cases at once (the C compiler dominates the cost), on first use
    private static readonly Lazy<Dictionary<string, PanVerdict>> Verdicts = new(() =>
    {
        var all = new System.Collections.Concurrent.ConcurrentDictionary<string, PanVerdict>();
        Parallel.ForEach(Cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row =>
        {
            var (profile, mutant, sim, loss) = ((string)row[0], (string)row[1], (bool)row[2], (int)row[3]);
            Mutants.TryParse(mutant, out var m);
            all[Key(profile, mutant, sim, loss)] = RunSpin(PromelaExport.Write(Bounds(profile, m, sim, loss)));
        });
        return new Dictionary<string, PanVerdict>(all);
    });

    private static string Key(string profile, string mutant, bool sim, int loss) => $"{profile}/{mutant}/{sim}/{loss}";

    /// <summary>What pan said.</summary>
    public sealed record PanVerdict(int Errors, string? Check, long States, string Output);

    private static ExplorerConfig Bounds(string profile, Mutant mutant, bool simultaneousOpen, int loss) => ExplorerConfig.Default with
    {
        Profile = Profile.BuiltIn[profile],
        Mutant = mutant,
        Payload = 0,
        Loss = loss,
        Retries = 0,
        SimultaneousOpen = simultaneousOpen,
        Liveness = false,
        OnlyChecks = new HashSet<string>(PromelaExport.Checks, StringComparer.Ordinal),
    };

    /// <summary>Also rfc793 and ack-of-fin-not-recognised (two more pan compiles): set TCPMODEL_SPIN_ALL=1.</summary>
    private static bool All => Environment.GetEnvironmentVariable("TCPMODEL_SPIN_ALL") == "1";

    // profile, mutant, B may open actively, loss, whether both must find a violation
    public static TheoryData<string, string, bool, int, bool> Cases
    {
        get
        {
            var d = Core;
            if (All)
            {
                d.Add("rfc793", "none", false, 1, false);
                d.Add("rfc9293", "ack-of-fin-not-recognised", false, 1, true);
            }
            return d;
        }
    }

    private static TheoryData<string, string, bool, int, bool> Core => new()
    {
        { "rfc9293", "none", false, 1, false },
        // SYN ignored in SYN-SENT: a simultaneous open that never establishes is a liveness failure (can-establish,
        // backward reachability), which a SPIN safety run does not decide; on the shared safety checks and deadlock
        // both find nothing
        { "rfc9293", "syn-ignored-in-syn-sent", true, 0, false },
        { "rfc9293", "fin-in-fin-wait1-to-close-wait", false, 1, true },
        { "rfc9293", "time-wait-zero", false, 1, true },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void SpinAndTheExplorerGiveTheSameVerdictOnTheSameBounds(string profile, string mutant, bool simultaneousOpen, int loss, bool violated)
    {
        RequireTools();
        Assert.True(Mutants.TryParse(mutant, out var m));
        var cfg = Bounds(profile, m, simultaneousOpen, loss);
        var pan = Verdicts.Value[Key(profile, mutant, simultaneousOpen, loss)];
        var explorer = Explorer.Run(cfg);
        Assert.True(explorer.Complete || explorer.Violations.Count > 0, "the explorer did not finish");

        Assert.True((pan.Errors > 0) == violated, $"SPIN: {pan.Errors} errors ({pan.Check}), expected {(violated ? "a violation" : "none")}\n{pan.Output}");
        Assert.True((explorer.Violations.Count > 0) == violated,
            $"explorer: {string.Join(", ", explorer.Violations.Select(v => v.Check))}, expected {(violated ? "a violation" : "none")}");
        Assert.True(pan.States > 100, pan.Output);
        if (!violated) return;
        // the check SPIN names is one the explorer also finds violated on these bounds (a depth-first SPIN and the
        // breadth-first explorer may meet different checks first)
        Assert.NotNull(pan.Check);
        Assert.Contains(pan.Check, PromelaExport.Checks);
        var same = Explorer.Run(cfg with { OnlyChecks = new HashSet<string>([pan.Check!], StringComparer.Ordinal) });
        Assert.Equal(pan.Check, Assert.Single(same.Violations).Check);
    }

    [Fact]
    public void TheExportIsDeterministicAndStatesItsAbstraction()
    {
        var cfg = Bounds("rfc9293", Mutant.None, true, 1);
        var a = PromelaExport.Write(cfg);
        Assert.Equal(a, PromelaExport.Write(cfg));
        Assert.Contains("ABSTRACTION", a, StringComparison.Ordinal);
        Assert.Contains("offsets (short ints) from each side's first ISN", a, StringComparison.Ordinal);
        Assert.Contains("proctype Endpoint(bit me)", a, StringComparison.Ordinal);
        Assert.Contains("proctype Network()", a, StringComparison.Ordinal);
        foreach (var check in PromelaExport.Checks.Where(c => c != "deadlock"))
            Assert.Contains($"assert({check.Replace('-', '_')} &&", a, StringComparison.Ordinal);
    }

    [Fact]
    public void ATableMutantChangesOnlyItsCellInTheExport()
    {
        var plain = Lines(PromelaExport.Write(Bounds("rfc9293", Mutant.None, true, 1)));
        var mutant = Lines(PromelaExport.Write(Bounds("rfc9293", Mutant.FinInFinWait1ToCloseWait, true, 1)));
        var changed = mutant.Except(plain).Where(l => !l.StartsWith(" * Bounds:", StringComparison.Ordinal) && !l.StartsWith(" * Generated from", StringComparison.Ordinal)).ToList();
        var cell = Assert.Single(changed);
        Assert.Contains("FinWait1 x Fin [-]: Transition -> CloseWait", cell, StringComparison.Ordinal);

        var syn = Lines(PromelaExport.Write(Bounds("rfc9293", Mutant.SynIgnoredInSynSent, true, 1)))
            .Except(plain).Where(l => !l.StartsWith(" * ", StringComparison.Ordinal)).ToList();
        Assert.Contains("SynSent x Syn [-]: Ignore -> SynSent, None", Assert.Single(syn), StringComparison.Ordinal);
    }

    [Fact]
    public void BoundsThePromelaModelCannotExpressAreRefusedWithOneLine()
    {
        var e = Assert.Throws<PromelaExportException>(() => PromelaExport.Write(Bounds("standard", Mutant.None, true, 1)));
        Assert.Contains("profile standard", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<PromelaExportException>(() => PromelaExport.Write(Bounds("rfc9293", Mutant.None, true, 1) with { Payload = 2 }));
        Assert.Throws<PromelaExportException>(() => PromelaExport.Write(Bounds("rfc9293", Mutant.RstAcceptedAnywhereInWindow, true, 1)));
    }

    private static string[] Lines(string text) => text.Split('\n');

    private static void RequireTools()
    {
        bool present = WrittenCaptures.FindOnPath("spin") is not null && WrittenCaptures.FindOnPath("gcc") is not null;
        if (!present && Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail("spin or gcc is not installed (.ci/run installs them)");
        Skip.If(!present, "spin or gcc is not installed");
    }

    /// <summary>spin -a, gcc (no optimisation: the compile dominates), ./pan; its verdict.</summary>
    public static PanVerdict RunSpin(string promela)
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-spin-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "model.pml"), promela);
            Run(dir.FullName, "spin", "-a model.pml");
            Run(dir.FullName, "gcc", "-O0 -w -DSAFETY -DMEMLIM=1024 -o pan pan.c");
            var output = Run(dir.FullName, Path.Combine(dir.FullName, "pan"), "-m100000", okExit: [0, 1]);
            int errors = int.Parse(ErrorsLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            long states = long.Parse(StatesLine().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            string? check = AssertionLine().Match(output) is { Success: true } a ? a.Groups[1].Value.Replace('_', '-')
                : output.Contains("invalid end state", StringComparison.Ordinal) && errors > 0 ? "deadlock" : null;
            return new PanVerdict(errors, check, states, output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string dir, string file, string args, int[]? okExit = null)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(entireProcessTree: true); Assert.Fail($"{file} {args}: timed out"); }
        if (!(okExit ?? [0]).Contains(p.ExitCode)) Assert.Fail($"{file} {args}: exit {p.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result + stderr.Result;
    }

    [GeneratedRegex(@"errors: (\d+)")]
    private static partial Regex ErrorsLine();

    [GeneratedRegex(@"(\d+) states, stored")]
    private static partial Regex StatesLine();

    [GeneratedRegex(@"assertion violated \(([a-z0-9_]+)")]
    private static partial Regex AssertionLine();
}
