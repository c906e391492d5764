using System.Globalization;
using System.Text;
using System.Text.Json;
using TcpModel.Checking;
using TcpModel.Machine;

namespace TcpModel.Cli;

/// <summary><c>tcpmodel explore</c>: the explicit-state explorer over two endpoints and a faulty network.</summary>
internal static class ExploreCommand
{
    /// <summary>What <c>--help</c> prints after the generated option list.</summary>
    public const string Details = """
        Explores every run of two endpoints (A opens actively, sends, closes; B listens or opens
        actively, sends, closes) over a network that reorders freely and loses and duplicates within
        budgets, breadth-first, so every violation is reported with a shortest trace (a ladder, a
        Mermaid sequenceDiagram, and a replayable xunit test). Sequence numbers are real 32-bit
        values (ISNs near 2^32); time is kept as the order of deadlines (docs/readme/explorer.md).

        Exit codes: 0 no violation, 1 a violation (or the output could not be written), 2 bad usage.

        Examples:
          tcpmodel explore
          tcpmodel explore --mutant time-wait-zero --old-duplicates --check old-duplicate-accepted
          tcpmodel explore --profile freebsd --attacker --json
          tcpmodel explore --calls 3 --loss 1 --dup 1 --bitstate 33
        """;

    public static int Run(CliArgs args, CliContext ctx)
    {
        var stdout = ctx.Stdout;
        var env = ctx.Env;
        var profile = CommonOptions.Profile(args);
        var mutant = Mutant.None;
        if (args.Get("--mutant") is { } mname && !Mutants.TryParse(mname, out mutant))
            throw new UsageException($"explore: --mutant: unknown mutant '{mname}' (expected one of {string.Join(", ", Mutants.All.Select(Mutants.Name))})");
        int? bits = args.Get("--bitstate") is null ? null : Int(args, "--bitstate", 0, 10, 36);
        HashSet<string>? only = args.Get("--check") is { } c ? c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) : null;
        if (only is not null)
            foreach (var name in only)
                if (!Checks.Names.Contains(name)) throw new UsageException($"explore: --check: unknown check '{name}' (expected one of {string.Join(", ", Checks.Names)})");
        bool json = args.Has("--json");
        bool quiet = args.Has("--quiet");
        using var progress = ctx.Progress("explore", 0);
        var graphFile = args.Get("--graph");
        var coverageFile = args.Get("--coverage");
        var cfg = new ExplorerConfig
        {
            Profile = profile,
            Mutant = mutant,
            Calls = Int(args, "--calls", 3, 0, 3),
            Loss = Int(args, "--loss", 1, 0, 8),
            Dup = Int(args, "--dup", 0, 0, 8),
            Retries = args.Get("--retries") is "r2" ? null : Int(args, "--retries", 1, 0, 8),
            Attacks = args.Has("--attacker") ? 1 : 0,
            OldDuplicates = args.Has("--old-duplicates"),
            Aborts = args.Has("--aborts"),
            SimultaneousOpen = !args.Has("--no-simultaneous-open"),
            Payload = Int(args, "--payload", 2, 0, 32),
            CustomScriptA = Script(args, "--script-a"),
            CustomScriptB = Script(args, "--script-b"),
            BitstateBits = bits,
            MaxStates = Long(args, "--max-states", bits is null ? 20_000_000 : long.MaxValue),
            Threads = Int(args, "--threads", Environment.ProcessorCount, 1, 64),
            MaxStoreBytes = args.Get("--max-memory") is null ? null : Int(args, "--max-memory", 2, 1, 1024) * (1L << 30),
            OnlyChecks = only,
            GraphNodeCap = graphFile is null ? 0 : 200,
            Coverage = coverageFile is not null,
            Progress = quiet && !json ? null : p =>
            {
                if (json) JsonOutput.WriteLine(stdout, w =>
                {
                    w.WriteString("type", "progress");
                    w.WriteNumber("states", p.States);
                    w.WriteNumber("transitions", p.Transitions);
                    w.WriteNumber("depth", p.Depth);
                    w.WriteNumber("frontier", p.Frontier);
                    w.WriteNumber("statesPerSecond", Math.Round(p.StatesPerSecond));
                });
                if (!quiet) progress.Show(string.Create(CultureInfo.InvariantCulture,
                    $"explore: {p.States:N0} states, {p.Transitions:N0} transitions, depth {p.Depth}, frontier {p.Frontier:N0}, {p.StatesPerSecond:N0} states/s"));
            },
        };
        var result = Explorer.Run(cfg);
        progress.Dispose();
        string? dot = (graphFile ?? coverageFile) is not null ? Graphviz.FindDot(env.PathVariable) : null;
        if (graphFile is not null) WritePicture(graphFile, ExplorerPictures.ProductGraphDot(result), dot, stdout);
        if (coverageFile is not null) WritePicture(coverageFile, ExplorerPictures.CoverageDot(result), dot, stdout);
        stdout.Write(json ? Json(result) : Text(result));
        return result.Violations.Count == 0 ? ExitCode.Ok : ExitCode.Failure;
    }

    private static void WritePicture(string file, string dotText, string? dot, TextWriter stdout)
    {
        if (file.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            if (dot is null) throw new CommandFailedException($"'{file}': SVG needs Graphviz 'dot' on PATH (apt-get install graphviz), or name a .dot file");
            OutputFile.Write(file, Graphviz.RenderSvg(dot, dotText, TimeSpan.FromSeconds(60)), stdout);
        }
        else OutputFile.Write(file, dotText, stdout);
    }

    private static int Int(CliArgs args, string name, int fallback, int min, int max)
    {
        var text = args.Get(name);
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
        throw new UsageException($"explore: {name}: '{text}' is not a number from {min} to {max}");
    }

    private static UserCall[][]? Script(CliArgs args, string name)
    {
        if (args.Get(name) is not { } text) return null;
        return ExplorerConfig.ParseScript(text, out var error) ?? throw new UsageException($"explore: {name}: {error}");
    }

    private static long Long(CliArgs args, string name, long fallback)
    {
        var text = args.Get(name);
        if (text is null) return fallback;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v > 0) return v;
        throw new UsageException($"explore: {name}: '{text}' is not a positive number");
    }

    /// <summary>The text report.</summary>
    public static string Text(ExplorerResult r)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"explore: {r.Config.Describe()}\n");
        sb.Append(inv, $"{(r.Config.BitstateBits is int b ? $"bitstate 2^{b} bits" : "exhaustive")}: {(r.Complete ? "complete" : r.StoreFull ? $"stopped early (the state store is full, {(r.Config.MaxStoreBytes ?? Array.MaxLength) / (double)(1L << 30):0.#} GiB of states: use --max-memory or --bitstate)" : "stopped early")}\n");
        sb.Append(inv, $"  distinct states   {r.States:N0}\n");
        sb.Append(inv, $"  transitions       {r.Transitions:N0}\n");
        sb.Append(inv, $"  depth             {r.Depth}\n");
        sb.Append(inv, $"  time              {r.Elapsed.TotalSeconds:0.00} s\n");
        sb.Append(inv, $"  states/s          {r.StatesPerSecond:N0}{(r.Threads > 1 ? $" ({r.Threads} threads)" : "")}\n");
        sb.Append(inv, $"  bytes/state       {r.BytesPerState:0.0}{(r.Config.BitstateBits is null ? $" ({r.EncodedBytesPerState:0.0} encoded + index)" : " (bit array / states)")}\n");
        sb.Append(inv, $"  peak memory       {r.PeakMemoryBytes / 1048576.0:0} MiB\n");
        if (r.CoverageEstimate is double cov) sb.Append(inv, $"  hash factor       {r.HashFactor:0.0} bits/state, coverage estimate {cov * 100:0.####} %\n");
        sb.Append(inv, $"  deadlocks         {r.Deadlocks}\n");
        sb.Append(inv, $"  violations        {r.Violations.Count}\n");
        if (r.CellCoverage is { } cells)
        {
            var never = ExplorerPictures.NeverFired(r);
            sb.Append(inv, $"  cells fired       {cells.Count} of {TransitionTable.Declared.Facts.Count}; never fired: {never.Count}\n");
            foreach (var n in never) sb.Append(inv, $"    never: {n}\n");
        }
        foreach (var v in r.Violations)
        {
            sb.Append('\n').Append(Counterexamples.Ladder(v));
            if (v.Trace.Count > 0)
            {
                sb.Append("\nas a sequence diagram (Mermaid):\n").Append(Counterexamples.Mermaid(v));
                sb.Append("\nas a replayable test:\n").Append(Counterexamples.XunitTest(v, r.Config, TestName(v, r.Config)));
            }
        }
        return sb.ToString();
    }

    private static string TestName(Violation v, ExplorerConfig cfg)
    {
        var sb = new StringBuilder(cfg.Mutant == Mutant.None ? cfg.Profile.Name : cfg.Mutant.ToString());
        sb.Append("_Explorer_");
        bool up = true;
        foreach (char ch in v.Check)
        {
            if (ch == '-') { up = true; continue; }
            sb.Append(up ? char.ToUpperInvariant(ch) : ch);
            up = false;
        }
        return sb.Length > 0 && char.IsDigit(sb[0]) ? "P" + sb : sb.ToString();
    }

    /// <summary>The JSON report: the last JSON Lines record (schema <c>tcpmodel-explore/1</c>, spec/tcpmodel-json.md).</summary>
    public static string Json(ExplorerResult r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, JsonOutput.Line))
        {
            w.WriteStartObject();
            w.WriteString("type", "summary");
            w.WriteString("schema", "tcpmodel-explore/1");
            w.WriteString("configuration", r.Config.Describe());
            w.WriteString("profile", r.Config.Profile.Name);
            w.WriteString("mutant", r.Config.Mutant == Mutant.None ? null : Mutants.Name(r.Config.Mutant));
            w.WriteString("mode", r.Config.BitstateBits is null ? "exhaustive" : "bitstate");
            w.WriteBoolean("complete", r.Complete);
            w.WriteNumber("states", r.States);
            w.WriteNumber("transitions", r.Transitions);
            w.WriteNumber("depth", r.Depth);
            w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteNumber("statesPerSecond", Math.Round(r.StatesPerSecond));
            w.WriteNumber("threads", r.Threads);
            w.WriteNumber("bytesPerState", Math.Round(r.BytesPerState, 1));
            w.WriteNumber("peakMemoryBytes", r.PeakMemoryBytes);
            if (r.CoverageEstimate is double c) { w.WriteNumber("coverageEstimate", c); w.WriteNumber("hashFactor", Math.Round(r.HashFactor ?? 0, 2)); }
            w.WriteNumber("deadlocks", r.Deadlocks);
            w.WriteStartArray("violations");
            foreach (var v in r.Violations)
            {
                w.WriteStartObject();
                w.WriteString("check", v.Check);
                w.WriteString("detail", v.Detail);
                w.WriteNumber("depth", v.Depth);
                w.WriteStartArray("trace");
                foreach (var s in v.Trace) w.WriteStringValue(s.Move);
                w.WriteEndArray();
                w.WriteString("ladder", Counterexamples.Ladder(v));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (r.CellCoverage is { } cells)
            {
                w.WriteNumber("cellsFired", cells.Count);
                w.WriteStartArray("neverFired");
                foreach (var n in ExplorerPictures.NeverFired(r)) w.WriteStringValue(n);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
