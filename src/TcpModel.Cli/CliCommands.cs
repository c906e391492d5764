using System.CommandLine;
using System.CommandLine.Help;
using TcpModel.Checking;
using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Cli;

/// <summary>
/// Every command and option of <c>tcpmodel</c>, declared once. The help text (<c>--help</c> on any
/// command), the typo suggestions, and shell completion (<c>[suggest]</c>) are generated from these
/// declarations; each command's prose (<c>Details</c>) is printed after its generated help. Values are
/// taken as text and checked by the command (<see cref="CliArgs"/>), so a bad value gets tcpmodel's own
/// message naming what was expected.
/// </summary>
internal static class CliCommands
{
    /// <summary><c>--color auto|always|never</c>, on every command (<see cref="Colors"/>).</summary>
    public static readonly Option<string> Color = new("--color")
    {
        Description = "colour PASS/FAIL: auto (default: only on a terminal, never when NO_COLOR is set), always, never",
        HelpName = "auto|always|never",
        Recursive = true,
    };

    /// <summary>Names of the options every command has (for suggestions).</summary>
    public static IEnumerable<string> GlobalOptionNames => ["--color", "--help"];

    private static readonly string[] Formats = ["dot", "mermaid", "svg"];

    public static RootCommand Build(CliContext ctx)
    {
        Color.CompletionSources.Add("auto", "always", "never");
        var details = new Dictionary<Command, string>();
        var root = new RootCommand("tcpmodel - the TCP connection lifecycle of RFC 9293 §3.10, as an executable model") { HelpName = "tcpmodel" };
        root.Add(Color);
        details[root] = """
            Exit codes: 0 ok, 1 the command could not do its work, 2 bad command line, 70 internal error.
            Response files: 'tcpmodel @args.rsp' reads arguments from args.rsp. Completion: the [suggest]
            directive (dotnet-suggest), e.g. 'tcpmodel "[suggest:3]" "gra"'.
            """;
        root.SetAction(new Func<ParseResult, int>(_ => throw new UsageException("missing command (try 'tcpmodel --help')")));

        Add(root, details, Define("graph", "the state diagram generated from the transition table (dot, mermaid, svg)", GraphCommand.Details,
            [Value("--format", "dot|mermaid|svg", "output format: Graphviz DOT (default), Mermaid stateDiagram-v2 (renders on GitHub), or SVG drawn by 'dot -Tsvg' (needs 'dot' on PATH)", Formats),
             Value("--out", "FILE", "write to FILE instead of stdout (written whole, then moved into place)"),
             Flag("--all", "also draw reply-and-stay cells as self-loops"),
             Flag("--lifecycle", "only the classic diagram: open, handshake, release, TIME-WAIT")],
            a => GraphCommand.Run(a, ctx.Stdout, ctx.Env)));

        Add(root, details, Define("walkthrough", "one connection from OPEN to CLOSED as an RFC-style ladder, with a lost ACK", WalkthroughCommand.Details,
            [ProfileOption("the profile (default rfc9293)"),
             Value("--iss-a", "N", "A's initial send sequence number x (default 100, as in RFC 9293 Figure 6)"),
             Value("--iss-b", "N", "B's initial send sequence number y (default 300)"),
             Value("--pcap", "FILE", "also write the run as a pcap capture (A 192.0.2.1:49152, B 192.0.2.2:80; the capture point is at the sender, so the lost ACK is in it)"),
             Json("the ladder as JSON (schema tcpmodel-walkthrough/1, spec/tcpmodel-json.md)")],
            a => WalkthroughCommand.Run(a, ctx.Stdout)));

        Add(root, details, Define("step", "put an endpoint in a state, apply one input, show the cell that fired", StepCommand.Details,
            [Value("--state", "STATE", "the state to start in (required): an RFC name such as SYN-RECEIVED, a BSD name such as SYN_RCVD, or an enum name",
                    TcpStates.All.Select(s => s.RfcName()).ToArray()),
             ProfileOption("the profile (default rfc9293)"),
             Value("--segment", "TEXT", "a segment arrives, in RFC notation, e.g. '<SEQ=5001><ACK=1001><CTL=ACK>' (fields SEQ, ACK, CTL, WND, UP, OPT, DATA)"),
             Value("--call", "CALL", "a user call: " + string.Join(", ", StepCommand.CallNames), StepCommand.CallNames),
             Value("--timer", "TIMER", "a timer expires (its deadline is set to the input time): " + string.Join(", ", StepCommand.TimerNames), StepCommand.TimerNames),
             Flag("--timestamps", "both ends use the timestamps option (RFC 7323): the peer's segments carry TSval 1000 + its 1 ms clock, so TS.Recent is the peer's last TSval (see POLICY timestamp-rule, PAWS)"),
             Json("the step as JSON (schema tcpmodel-step/1, spec/tcpmodel-json.md)")],
            a => StepCommand.Run(a, ctx.Stdout)));

        Add(root, details, Define("simulate", "one lifecycle of two endpoints on a faulty network (named scenarios, seeds)", SimulateCommand.Details,
            [Value("--seed", "N", "the seed of the network's random faults (default 1)"),
             Value("--replay", "SEED", "the same as --seed SEED: shows that run again; with --size N (and --gen CODE), the property case a failing property names: its schedule drawn again from SEED and run"),
             Value("--size", "N", "with --replay: the property case's size (the schedule length it was drawn with)"),
             Value("--gen", "CODE", "with --replay and --size: the generator options the failing property printed (default: the adversarial generator)"),
             ProfileOption("the profile (default rfc9293)"),
             Value("--loss", "P", "probability a segment is lost (0..1, default 0)"),
             Value("--dup", "P", "probability a segment is duplicated (0..1, default 0)"),
             Value("--reorder", "P", "probability a segment is held back so later ones overtake it (0..1, default 0)"),
             Value("--delay", "MS", "one-way delay in milliseconds (default 10)"),
             Flag("--attacker", "an off-path attacker throws RSTs and SYNs at guessed sequence numbers"),
             Value("--scenario", "NAME", "a named scenario (see --list); faults given on the command line apply to the segments it does not decide",
                    NamedScenarios.All.Select(s => s.Name).ToArray()),
             Value("--format", "text|mermaid|json", "text (default), mermaid (a sequenceDiagram) or json", ["text", "mermaid", "json"]),
             Json("the same as --format json (fields in spec/tcpmodel-json.md)"),
             Flag("--list", "the named scenarios, one line each"),
             Value("--pcap", "FILE", "also write the run (with --replay and --size: the property case) as a pcap capture (raw IPv4, 192.0.2.1:40000 is A, 192.0.2.2:80 is B; every segment sent, at its send time)")],
            a => SimulateCommand.Run(a, ctx.Stdout)));

        Add(root, details, Define("explore", "every run of two endpoints over a faulty network, checked (shortest counterexamples)", ExploreCommand.Details,
            [ProfileOption("the profile (default rfc9293)"),
             Value("--calls", "N", "user calls per side, 0..3 (default 3: open, send, close)"),
             Value("--loss", "N", "segments the network may lose (default 1)"),
             Value("--dup", "N", "segments the network may duplicate (default 0)"),
             Value("--retries", "N|r2", "retransmissions before giving up (R2 shortened; default 1), or r2 for the profile's R2 of 100 s (180 s for SYNs)"),
             Value("--payload", "N", "octets per SEND, 0..32 (default 2; 0: no SEND, open and close only)"),
             Flag("--old-duplicates", "a second incarnation follows (A opens again, B listens again), so segments of the first still in flight are old duplicates"),
             Flag("--attacker", "an off-path attacker injects one RST, SYN or data segment at RCV.NXT, inside the window, at its edges or just outside"),
             Flag("--aborts", "ABORT is an alternative to CLOSE"),
             Flag("--no-simultaneous-open", "B only listens (by default B may also open actively)"),
             Value("--script-a", "CALLS", "A's user calls instead of --calls: steps by comma, alternatives by '|' (open, listen, send, close, abort), e.g. open,send,close,open"),
             Value("--script-b", "CALLS", "B's user calls instead of --calls, e.g. listen,close,listen"),
             Value("--mutant", "NAME", "explore a seeded bug (kebab-case name, e.g. time-wait-zero)", Mutants.All.Select(Mutants.Name).ToArray()),
             Value("--check", "NAME[,NAME]", "report only these checks (a comma list)", Checks.Names.ToArray()),
             Value("--bitstate", "BITS", "supertrace: a 2^BITS-bit array instead of the state store (depth-first, with a coverage estimate)"),
             Value("--max-states", "N", "stop after N distinct states (default 20000000)"),
             Value("--threads", "N", "worker threads of the exhaustive search (default: the number of cores); every count explores the same states in the same order"),
             Value("--max-memory", "GIB", "the state store's limit in GiB of encoded states (default about 2; more is chunked)"),
             Json("JSON Lines: progress objects while it runs, then the report (schema tcpmodel-explore/1, spec/tcpmodel-json.md)"),
             Value("--graph", "FILE", "the product graph (first 200 states) as DOT, or SVG if FILE ends in .svg"),
             Value("--coverage", "FILE", "the table graph as a coverage heat map (DOT or SVG), never-fired cells listed"),
             Flag("--quiet", "no progress on stderr (progress is shown only when stderr is a terminal)")],
            a => ExploreCommand.Run(a, ctx)));

        var export = new Command("export", "the bounded system in another checker's language (promela: SPIN)");
        export.SetAction(new Func<ParseResult, int>(_ => throw new UsageException("export: missing format (try 'tcpmodel export promela')")));
        var (promela, promelaDetails) = Define("promela", "the explorer's bounded system as a Promela model for SPIN", ExportCommand.Details,
            [ProfileOption("the profile (default rfc9293)"),
             Value("--mutant", "NAME", "a seeded bug: a table mutant changes the generated cells, time-wait-zero and a few others are #defines", Mutants.All.Select(Mutants.Name).ToArray()),
             Value("--calls", "N", "user calls per side, 0..3 (default 3; payload 0, so open and close)"),
             Value("--loss", "N", "segments the network may lose (default 1)"),
             Value("--retries", "N|r2", "retransmissions before giving up (R2 shortened as the explorer does; default 1), or r2"),
             Flag("--no-simultaneous-open", "B only listens (by default B may also open actively)"),
             Value("--out", "FILE", "write to FILE instead of stdout (written whole, then moved into place)")],
            a => ExportCommand.Run(a, ctx.Stdout));
        export.Add(promela);
        details[promela] = promelaDetails;
        Add(root, details, (export, "Formats: promela."));

        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "script files, or directories searched recursively for *.pkt" };
        Add(root, details, Define("packetdrill", "run packetdrill scripts with the model as the system under test", PacketdrillCommand.Details,
            [Value("--profile", "NAME", "standard (default; RFC 9293 with the RFC 5961 policies switched by the insecure_* sysctls), freebsd, linux, rfc9293, rfc793",
                    [.. TcpModel.Conformance.Packetdrill.PacketdrillProfiles.Accepted]),
             Json("JSON Lines: one object per script as it finishes, then a summary (schema tcpmodel-packetdrill/1, spec/tcpmodel-json.md)")],
            a => PacketdrillCommand.Run(a, ctx), paths));

        var captures = new Argument<string[]>("FILE") { Arity = ArgumentArity.ZeroOrMore, Description = "pcap or pcapng captures" };
        Add(root, details, Define("check-pcap", "check pcap/pcapng captures against the model, inferring hidden events", CheckPcapCommand.Details,
            [ProfileOption("profile to check against (default rfc9293)"),
             Json("one JSON document (schema tcpmodel-check/1, spec/tcpmodel-check.md)"),
             Flag("--json-lines", "JSON Lines instead: one object per connection as it is checked, then a summary (spec/tcpmodel-json.md)"),
             Value("--ladder", "FILE", "also write a ladder diagram: Mermaid sequenceDiagram (.mmd, .md)")],
            a => CheckPcapCommand.Run(a, ctx), captures));

        Add(root, details, Define("report", "RFC 9293's requirement matrix, or --out DIR: the static report site", Report.ReportCommand.Details,
            [Value("--out", "DIR", "write the static site into DIR (a new folder, or one an earlier report wrote)"),
             ProfileOption("the profile the step-through runs (default rfc9293)"),
             Value("--rfc", "FILE", "RFC 9293's text, for quoting the cells' sentences (default $TCPMODEL_SHARED/rfc/rfc9293.txt or ../shared/rfc/rfc9293.txt)"),
             Value("--suites", "DIR", "run the shared suites in DIR and show them"),
             Json("the requirement matrix (or, with --out, what was written) as JSON (schema tcpmodel-report/1, spec/tcpmodel-json.md)")],
            a => Report.ReportCommand.Run(a, ctx.Stdout, ctx.Env)));

        var helpCommand = new Command("help", "help for one command");
        var helpArg = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne, Description = "the command", HelpName = "COMMAND" };
        helpArg.CompletionSources.Add(_ => root.Subcommands.Select(c => new System.CommandLine.Completions.CompletionItem(c.Name)));
        helpCommand.Add(helpArg);
        helpCommand.SetAction(pr =>
        {
            var name = pr.GetValue(helpArg);
            string[] again = name is null ? ["--help"] : [name, "--help"];
            if (name is not null && root.Subcommands.All(c => c.Name != name || c == helpCommand))
                throw new UsageException($"unknown command '{name}' (expected one of {string.Join(", ", root.Subcommands.Where(c => c != helpCommand).Select(c => c.Name))})");
            return root.Parse(again).Invoke(pr.InvocationConfiguration);
        });
        root.Add(helpCommand);

        foreach (var o in root.Options)
        {
            if (o is HelpOption h && h.Action is HelpAction inner)
            {
                inner.MaxWidth = 110;
                h.Action = new DetailedHelpAction(inner, details);
            }
            if (o is VersionOption v) v.Action = new VersionAction();
        }
        return root;
    }

    private static void Add(RootCommand root, Dictionary<Command, string> details, (Command Command, string Details) c)
    {
        root.Add(c.Command);
        details[c.Command] = c.Details;
    }

    private static (Command, string) Define(string name, string description, string details, Option[] options, Func<CliArgs, int> run, Argument<string[]>? positional = null)
    {
        var command = new Command(name, description);
        foreach (var o in options) command.Add(o);
        if (positional is not null) command.Add(positional);
        command.SetAction(pr => run(CliArgs.From(name, pr)));
        return (command, details);
    }

    private static Option<string> Value(string name, string helpName, string description, string[]? completions = null)
    {
        var o = new Option<string>(name) { Description = description, HelpName = helpName };
        if (completions is not null) o.CompletionSources.Add(completions);
        return o;
    }

    private static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Option<bool> Json(string description) => Flag("--json", description);

    private static Option<string> ProfileOption(string description) =>
        Value("--profile", "P", description + ": " + string.Join(", ", Profile.BuiltIn.Keys), [.. Profile.BuiltIn.Keys]);
}
