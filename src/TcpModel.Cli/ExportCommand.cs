using System.Globalization;
using TcpModel.Checking;
using TcpModel.Machine;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel export promela</c>: the explorer's bounded system as a Promela model for SPIN.</summary>
internal static class ExportCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Writes the explorer's bounded system (A opens actively then closes; B listens, or opens actively,
        then closes; payload 0; loss within a budget; every segment in flight deliverable next) as a
        Promela model: two endpoint processes and a network, the cells generated from the compiled
        transition table of the profile and mutant. Sequence numbers are offsets from each side's ISN;
        the header of the file states the abstraction (docs/readme/spin.md).

        Exit codes: 0 written, 1 the output could not be written, 2 bad usage or bounds the export cannot write.

        Examples:
          tcpmodel export promela --out tcp.pml && spin -a tcp.pml && gcc -O2 -DSAFETY -DBFS -o pan pan.c && ./pan
          tcpmodel export promela --mutant fin-in-fin-wait1-to-close-wait --loss 0
        """;

    public static int Run(CliArgs args, TextWriter stdout)
    {
        var profile = CommonOptions.Profile(args);
        var mutant = Mutant.None;
        if (args.Get("--mutant") is { } mname && !Mutants.TryParse(mname, out mutant))
            throw new UsageException($"--mutant: unknown mutant '{mname}' (expected one of {string.Join(", ", Mutants.All.Select(Mutants.Name))})");
        var cfg = new ExplorerConfig
        {
            Profile = profile,
            Mutant = mutant,
            Payload = 0,
            Calls = Int(args, "--calls", 3, 0, 3),
            Loss = Int(args, "--loss", 1, 0, 8),
            Retries = args.Get("--retries") is "r2" ? null : Int(args, "--retries", 1, 0, 8),
            SimultaneousOpen = !args.Has("--no-simultaneous-open"),
        };
        string text;
        try { text = PromelaExport.Write(cfg); }
        catch (PromelaExportException e) { throw new UsageException(e.Message); }
        OutputFile.Write(args.Get("--out"), text, stdout);
        return 0;
    }

    private static int Int(CliArgs args, string name, int fallback, int min, int max)
    {
        var text = args.Get(name);
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
        throw new UsageException($"{name}: '{text}' is not a number from {min} to {max}");
    }
}
