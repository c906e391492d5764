using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using TcpModel.Cli;
using TcpModel.Machine;
using TcpModel.Network;
using Xunit.Abstractions;

namespace TcpModel.Tests.Properties;

/// <summary>
/// Counterexamples people can replay: a failing property names the generated case (schedule seed and
/// size) and the <c>tcpmodel simulate --replay</c> command that shows it; the command draws the same
/// schedule and runs it on the same simulator. P-17 across processes: the CLI in a child process (its
/// own runtime, static state and string hashing) prints the same run as this process.
/// </summary>
public sealed partial class ReplayTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"tcpmodel simulate --replay (\d+) --size (\d+) --gen (\w+) --profile (\S+)")]
    private static partial Regex ReplayLine();

    [Fact]
    public void AFailingPropertyNamesTheRunThatReplayShowsAndTheReplayedRunFailsTheSameClaim()
    {
        // fin-not-counted: the FIN's sequence number is not counted (caught by P-08 under rfc793)
        var mutant = Mutant.FinNotCounted;
        var report = MutantsAreCaught.RunWith(mutant, MutantsAreCaught.PropertyTests["DifferentialProperties.P08_ModelAgreesWithTheReferenceUnderRfc793"]);
        Assert.NotNull(report);
        output.WriteLine(report);
        Assert.Contains("Seed ", report, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nsequenceDiagram", report, StringComparison.Ordinal);
        Assert.Contains("[Fact]", report, StringComparison.Ordinal);
        var m = ReplayLine().Match(report!);
        Assert.True(m.Success, "the report names no replay command");
        ulong seed = ulong.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int size = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var options = GeneratorOptions.FromCode(m.Groups[3].Value);

        // The replayed schedule is the generated case: with the seeded bug it fails the claim again, without it holds.
        var scenario = ScheduleGenerator.Generate(seed, size, options);
        Assert.Equal(options, scenario.Options);
        using (MutantScope.Enter(mutant)) Assert.NotNull(Claims.P08Rfc793(scenario));
        Assert.Null(Claims.P08Rfc793(scenario));

        // The CLI shows that run: the same schedule, the same ladder as the library's replay.
        var o = new StringWriter();
        var e = new StringWriter();
        var args = m.Value.Split(' ')[1..];
        Assert.Equal(0, CliMain.Run(args, o, e));
        Assert.Equal("", e.ToString());
        Assert.Equal(ScheduleReplay.Text(ScheduleReplay.Run(seed, size, options, Profile.BuiltIn[m.Groups[4].Value])), o.ToString());
        Assert.Contains("schedule: " + scenario, o.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    [Trait("Property", "P-17")]
    public void P17_TwoProcessesGiveTheSameRun()
    {
        var cli = typeof(CliMain).Assembly.Location;
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : WrittenCapturesTool();
        Skip.If(dotnet is null, "no dotnet host to start a second process with");
        foreach (ulong seed in new ulong[] { 17, 4_000_000_017 })
        {
            var psi = new ProcessStartInfo(dotnet!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { cli, "simulate", "--replay", seed.ToString(CultureInfo.InvariantCulture), "--size", "30", "--gen", "tacxobu", "--format", "json" })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var child = p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
            var here = ScheduleReplay.Json(ScheduleReplay.Run(seed, 30, GeneratorOptions.FromCode("tacxobu"), Profile.Rfc9293));
            Assert.Equal(here, child);
        }
    }

    private static string? WrittenCapturesTool() => TcpModel.Tests.Pcap.WrittenCaptures.FindOnPath("dotnet");
}
