using System.Reflection;

namespace TcpModel.Cli;

/// <summary>
/// The <c>tcpmodel</c> command: argument dispatch. Bad input prints one <c>tcpmodel: …</c> line on
/// stderr and exits 2; a command that cannot do its work exits 1; anything unexpected prints one
/// <c>tcpmodel: internal error: …</c> line and exits 70. Never a stack trace.
/// </summary>
public static class CliMain
{
    private const string Usage = """
        tcpmodel - the TCP connection lifecycle of RFC 9293 §3.10, as an executable model

        Usage: tcpmodel COMMAND [OPTIONS]

        Commands:
          graph         the state diagram generated from the transition table (dot, mermaid, svg)
          walkthrough   one connection from OPEN to CLOSED as an RFC-style ladder, with a lost ACK
          step          put an endpoint in a state, apply one input, show the cell that fired
          simulate      one lifecycle of two endpoints on a faulty network (named scenarios, seeds)
          packetdrill   run packetdrill scripts with the model as the system under test
          report        RFC 9293's requirement matrix, or --out DIR: the static report site
          explore       every run of two endpoints over a faulty network, checked (shortest counterexamples)
          check-pcap    check pcap/pcapng captures against the model, inferring hidden events
          help CMD      help for one command

        Options:
          -h, --help    this text
          --version     the version

        Exit codes: 0 ok, 1 the command could not do its work, 2 bad command line, 70 internal error.
        """;

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, CliEnvironment.Current);

    /// <summary>Runs the command in a given environment (tests).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment env)
    {
        try
        {
            if (args is ["packetdrill", ..] && !(args.Length == 2 && args[1] is "--help" or "-h"))
                return PacketdrillCommand.Run(args[1..], stdout, stderr);
            if (args is ["explore", ..] && !args.Contains("--help") && !args.Contains("-h"))
                return ExploreCommand.Run(CliArgs.Parse("explore", args[1..], ["--profile", "--calls", "--loss", "--dup", "--retries", "--payload", "--mutant", "--check", "--bitstate", "--max-states", "--graph", "--coverage"],
                    ["--old-duplicates", "--attacker", "--aborts", "--no-simultaneous-open", "--json", "--quiet"]), stdout, stderr, env);
            if (args is ["check-pcap", ..] && !(args.Length == 2 && args[1] is "--help" or "-h"))
                return CheckPcapCommand.Run(args[1..], stdout, stderr);
            return Dispatch(args, stdout, env);
        }
        catch (UsageException e)
        {
            stderr.WriteLine(Prefix(args) + OneLine(e.Message, args));
            return ExitCode.Usage;
        }
        catch (CommandFailedException e)
        {
            stderr.WriteLine(Prefix(args) + OneLine(e.Message, args));
            return ExitCode.Failure;
        }
#pragma warning disable CA1031 // the top level turns every unexpected exception into one line
        catch (Exception e)
        {
            stderr.WriteLine(Prefix(args) + "internal error: " + OneLine(e.Message, args));
            return ExitCode.Internal;
        }
#pragma warning restore CA1031
    }

    private static int Dispatch(string[] args, TextWriter stdout, CliEnvironment env)
    {
        if (args.Length == 0) throw new UsageException("missing command (try 'tcpmodel --help')");
        string command = args[0];
        var rest = args.AsSpan(1).ToArray();
        switch (command)
        {
            case "-h" or "--help":
                Expect(command, rest, 0);
                stdout.Write(Usage);
                return ExitCode.Ok;
            case "--version":
                Expect(command, rest, 0);
                stdout.WriteLine("tcpmodel " + Version);
                return ExitCode.Ok;
            case "help":
                if (rest.Length == 0) { stdout.Write(Usage); return ExitCode.Ok; }
                Expect(command, rest, 1);
                stdout.Write(HelpFor(rest[0]));
                return ExitCode.Ok;
        }
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            stdout.Write(HelpFor(command));
            return ExitCode.Ok;
        }
        return command switch
        {
            "graph" => GraphCommand.Run(CliArgs.Parse(command, rest, ["--format", "--out"], ["--all", "--lifecycle"]), stdout, env),
            "walkthrough" => WalkthroughCommand.Run(CliArgs.Parse(command, rest, ["--profile", "--iss-a", "--iss-b", "--pcap"]), stdout),
            "step" => StepCommand.Run(CliArgs.Parse(command, rest, ["--state", "--profile", "--segment", "--call", "--timer"]), stdout),
            "report" => Report.ReportCommand.Run(CliArgs.Parse(command, rest, ["--out", "--profile", "--rfc", "--suites"]), stdout, env),
            "simulate" => SimulateCommand.Run(CliArgs.Parse(command, rest,
                ["--seed", "--profile", "--loss", "--dup", "--reorder", "--delay", "--scenario", "--format", "--replay", "--pcap", "--size", "--gen"], ["--attacker", "--list"]), stdout),
            _ => throw Unknown(command),
        };
    }

    private static string HelpFor(string command) => command switch
    {
        "graph" => GraphCommand.Help,
        "walkthrough" => WalkthroughCommand.Help,
        "step" => StepCommand.Help,
        "packetdrill" => PacketdrillCommand.Help,
        "report" => Report.ReportCommand.Help,
        "simulate" => SimulateCommand.Help,
        "explore" => ExploreCommand.Help,
        "check-pcap" => CheckPcapCommand.Help,
        "help" => "Usage: tcpmodel help COMMAND\n",
        _ => throw Unknown(command),
    } is var text && text.EndsWith('\n') ? text : text + "\n";

    private static UsageException Unknown(string command) =>
        command.StartsWith('-')
            ? new UsageException($"unknown option '{command}' (try 'tcpmodel --help')")
            : new UsageException($"unknown command '{command}' (expected one of graph, walkthrough, step, simulate, explore, packetdrill, check-pcap, report, help)");

    private static void Expect(string command, string[] rest, int count)
    {
        if (rest.Length > count) throw new UsageException($"{command}: unexpected argument '{rest[count]}'");
    }

    private static string Version =>
        typeof(CliMain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliMain).Assembly.GetName().Version?.ToString() ?? "0";

    private static readonly string[] Commands = ["graph", "walkthrough", "step", "packetdrill", "help"];

    /// <summary>Every error line starts <c>tcpmodel COMMAND: </c> (just <c>tcpmodel: </c> before a
    /// command is known).</summary>
    private static string Prefix(string[] args) =>
        args is [var c, ..] && Commands.Contains(c) ? $"tcpmodel {c}: " : "tcpmodel: ";

    /// <summary>One printable line: the command's own name is not repeated after the prefix, line
    /// breaks and control characters are escaped, long tokens are cut (<see cref="Wire.ErrorText"/>).</summary>
    private static string OneLine(string message, string[] args)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        if (args is [var c, ..] && Commands.Contains(c) && line.StartsWith(c + ": ", StringComparison.Ordinal)) line = line[(c.Length + 2)..];
        line = Wire.ErrorText.Clean(line);
        return line.Length == 0 ? "(no message)" : line;
    }
}
