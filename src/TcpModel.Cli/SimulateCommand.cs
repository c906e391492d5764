using System.Globalization;
using TcpModel.Network;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel simulate</c>: one connection lifecycle between two model endpoints on a faulty
/// network in virtual time, deterministic for a seed.</summary>
internal static class SimulateCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Runs one connection lifecycle (B listens, A connects, both send, both close) between two model
        endpoints on a network that loses, duplicates, reorders and delays segments, and prints the
        ladder, the final states and what each user received. The run is a timed schedule drawn from the
        seed and run on the same simulator the property tests use; the same seed gives the same run.
        """;

    public static int Run(CliArgs args, TextWriter stdout)
    {
        if (args.Has("--list"))
        {
            foreach (var s in NamedScenarios.All) stdout.WriteLine($"{s.Name,-30} {s.Summary}");
            return ExitCode.Ok;
        }
        var profile = CommonOptions.Profile(args);
        ulong seed = ULong(args, "--replay") ?? ULong(args, "--seed") ?? 1;
        string format = args.Get("--format") ?? (args.Has("--json") ? "json" : "text");
        if (args.Has("--json") && format != "json") throw new UsageException($"simulate: --json and --format {format} cannot be combined");
        if (format is not ("text" or "mermaid" or "json")) throw new UsageException($"simulate: --format must be text, mermaid or json, not '{format}'");
        if (ULong(args, "--size") is { } size)
        {
            // a property's generated case: its schedule drawn again from the seed, on the same simulator
            var run = ScheduleReplay.Run(seed, (int)Math.Min(size, 10_000), GeneratorOptions.FromCode(args.Get("--gen") ?? GeneratorOptions.Adversarial.Code), profile);
            WritePcap(args, run);
            stdout.Write(format == "json" ? ScheduleReplay.Json(run) : format == "mermaid" ? run.Mermaid : ScheduleReplay.Text(run));
            return ExitCode.Ok;
        }
        var faults = new Faults(
            Probability(args, "--loss"), Probability(args, "--dup"), Probability(args, "--reorder"),
            DelayMs(args) * 1000, args.Has("--attacker"));
        var scenario = NamedScenarios.All[0];
        if (args.Get("--scenario") is { } name)
            scenario = NamedScenarios.Find(name) ?? throw new UsageException($"simulate: unknown scenario '{name}' (see 'tcpmodel simulate --list')");

        // the scenario decides the fate of the segments it names; the seeded faults decide the rest
        var sim = TimedSchedule.Run(scenario.Calls, faults with { Attacker = faults.Attacker || scenario.Attacker }, seed, profile, scenario.Fate);
        WritePcap(args, sim);
        stdout.Write(format switch
        {
            "mermaid" => sim.Mermaid,
            "json" => TimedSchedule.Json(sim, seed),
            _ => $"scenario {scenario.Name}: {scenario.Summary}\n" + TimedSchedule.Text(sim, seed),
        });
        return ExitCode.Ok;
    }

    /// <summary>With <c>--pcap FILE</c>, writes the run as a capture (<see cref="TcpModel.Export.PcapWriter.FromRows"/>:
    /// at each sender's interface, lost segments included).</summary>
    private static void WritePcap(CliArgs args, Simulator sim)
    {
        if (args.Get("--pcap") is not { } pcap) return;
        var a = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 40000);
        var b = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.2"), 80);
        try
        {
            TcpModel.Export.PcapWriter.WriteFile(pcap, TcpModel.Export.PcapWriter.FromRows(sim.Rows, a, b));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"simulate: --pcap {pcap}: {e.Message}");
        }
    }

    private static ulong? ULong(CliArgs args, string name) =>
        args.Get(name) is not { } v ? null
        : ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new UsageException($"simulate: {name} must be a non-negative integer, not '{v}'");

    private static double Probability(CliArgs args, string name) =>
        args.Get(name) is not { } v ? 0
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p >= 0 && p <= 1 ? p
        : throw new UsageException($"simulate: {name} must be a probability between 0 and 1, not '{v}'");

    private static long DelayMs(CliArgs args) =>
        args.Get("--delay") is not { } v ? 10
        : long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 10_000_000 ? ms
        : throw new UsageException($"simulate: --delay must be milliseconds (0..10000000), not '{v}'");
}
