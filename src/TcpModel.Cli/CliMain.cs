using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;

namespace TcpModel.Cli;

/// <summary>
/// The <c>tcpmodel</c> command, on System.CommandLine: every command and option is declared once
/// (<see cref="CliCommands"/>), and help, typo suggestions, response files (<c>@file</c>), the
/// <c>[suggest]</c> completion directive and <c>--version</c> come from those declarations.
/// Bad input prints one <c>tcpmodel COMMAND: …</c> line on stderr and exits 2; a command that cannot
/// do its work exits 1; anything unexpected prints one <c>tcpmodel: internal error: …</c> line and
/// exits 70. Never a stack trace, never the whole help text after an error.
/// </summary>
public static class CliMain
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, CliEnvironment.Current.For(stdout, stderr));

    /// <summary>Runs the command in a given environment (tests).</summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(args);
        var ctx = new CliContext(stdout, stderr, env);
        string prefix = "tcpmodel: ";
        try
        {
            var root = CliCommands.Build(ctx);
            var result = root.Parse(args, Parser);
            _rawArgs = args;
            if (result.CommandResult.Command is not RootCommand) prefix = $"tcpmodel {result.CommandResult.Command.Name}: ";
            if (result.Action is ParseErrorAction)
            {
                stderr.WriteLine(prefix + OneLine(ErrorLine(result), result));
                return ExitCode.Usage;
            }
            if (OptionAmongArguments(result, args) is { } stray)
            {
                stderr.WriteLine(prefix + OneLine(UnknownOption(result.CommandResult.Command, stray), result));
                return ExitCode.Usage;
            }
            if (TwiceGiven(result) is { } twice)
            {
                stderr.WriteLine(prefix + OneLine($"option {twice} given twice", result));
                return ExitCode.Usage;
            }
            ctx.Color = Colors.Decide(result.GetValue(CliCommands.Color), env, prefix);
            return result.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (UsageException e)
        {
            stderr.WriteLine(prefix + OneLine(e.Message, null, prefix));
            return ExitCode.Usage;
        }
        catch (CommandFailedException e)
        {
            stderr.WriteLine(prefix + OneLine(e.Message, null, prefix));
            return ExitCode.Failure;
        }
#pragma warning disable CA1031 // the top level turns every unexpected exception into one line
        catch (Exception e)
        {
            stderr.WriteLine(prefix + "internal error: " + OneLine(e.Message, null, prefix));
            return ExitCode.Internal;
        }
#pragma warning restore CA1031
    }

    [ThreadStatic] private static string[]? _rawArgs;

    /// <summary>POSIX conventions, response files (<c>@file</c>, one token per line or shell-like words).</summary>
    private static readonly ParserConfiguration Parser = new() { EnablePosixBundling = true };

    /// <summary>The version tcpmodel prints (from Directory.Build.props, without the commit suffix).</summary>
    internal static string Version
    {
        get
        {
            var v = typeof(CliMain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? typeof(CliMain).Assembly.GetName().Version?.ToString() ?? "0";
            return v;
        }
    }

    /// <summary>The first parse error as one sentence in tcpmodel's words, with a "did you mean" when a
    /// name is close to a declared one.</summary>
    private static string ErrorLine(ParseResult result)
    {
        var command = result.CommandResult.Command;
        string helpHint = command is RootCommand ? "try 'tcpmodel --help'" : $"try 'tcpmodel {command.Name} --help'";
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            var names = token.StartsWith('-')
                ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(CliCommands.GlobalOptionNames)
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            var guess = Suggest.Closest(token, names.Distinct());
            string hint = guess is null ? helpHint : $"did you mean '{guess}'? {helpHint}";
            if (token.StartsWith('-') && token.Length > 1) return $"unknown option '{token}' ({hint})";
            // --flag=value: the value is left over
            foreach (var flag in command.Options.Where(o => o.ValueType == typeof(bool)).Concat(result.RootCommandResult.Command.Options.Where(o => o.ValueType == typeof(bool))))
                if (_rawArgs?.Any(a => a == flag.Name + "=" + token || a == flag.Name + ":" + token) == true) return $"option {flag.Name} takes no value";
            if (command is RootCommand)
                return guess is null
                    ? $"unknown command '{token}' (expected one of {string.Join(", ", command.Subcommands.Select(c => c.Name))})"
                    : $"unknown command '{token}' ({hint})";
            return $"unexpected argument '{token}' ({hint})";
        }
        var error = result.Errors[0];
        if (error.SymbolResult is OptionResult o)
        {
            string name = o.Option.Name;
            if (o.Tokens.Count == 0 && o.Option.Arity.MinimumNumberOfValues > 0) return $"option {name} needs a value";
            if (o.Option.ValueType == typeof(bool)) return $"option {name} takes no value";
            if (o.Tokens.Count > o.Option.Arity.MaximumNumberOfValues) return $"option {name} given twice";
        }
        if (error.SymbolResult is ArgumentResult { Parent: OptionResult po } && po.Option.ValueType == typeof(bool))
            return $"option {po.Option.Name} takes no value";
        return error.Message.TrimEnd('.') + $" ({helpHint})";
    }

    /// <summary>"unknown option" with a "did you mean".</summary>
    private static string UnknownOption(Command command, string token)
    {
        string helpHint = $"try 'tcpmodel {command.Name} --help'";
        var guess = Suggest.Closest(token, command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(CliCommands.GlobalOptionNames).Distinct());
        return $"unknown option '{token}' ({(guess is null ? helpHint : $"did you mean '{guess}'? {helpHint}")})";
    }

    /// <summary>A token that looks like an option but was taken as a path (System.CommandLine gives a
    /// command with path arguments every unknown token); after <c>--</c> anything is a path.</summary>
    private static string? OptionAmongArguments(ParseResult result, string[] args)
    {
        int dashes = Array.IndexOf(args, "--");
        var before = dashes < 0 ? args : args[..dashes];
        foreach (var child in result.CommandResult.Children)
            if (child is ArgumentResult a)
                foreach (var t in a.Tokens)
                    if (t.Value.Length > 1 && t.Value.StartsWith('-') && before.Contains(t.Value)) return t.Value;
        return null;
    }

    /// <summary>An option named more than once (System.CommandLine would silently keep one of them).</summary>
    private static string? TwiceGiven(ParseResult result)
    {
        for (SymbolResult? r = result.CommandResult; r is CommandResult c; r = c.Parent)
            foreach (var child in c.Children)
                if (child is OptionResult { Implicit: false } o && o.IdentifierTokenCount > 1 && o.Option.Arity.MaximumNumberOfValues <= 1)
                    return o.Option.Name;
        return null;
    }

    /// <summary>One printable line: the command's own name is not repeated after the prefix, line
    /// breaks and control characters are escaped, long tokens are cut (<see cref="Wire.ErrorText"/>).</summary>
    private static string OneLine(string message, ParseResult? result, string? prefix = null)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        string? command = result is not null && result.CommandResult.Command is not RootCommand ? result.CommandResult.Command.Name
            : prefix is { Length: > 10 } ? prefix["tcpmodel ".Length..^2] : null;
        if (command is not null && line.StartsWith(command + ": ", StringComparison.Ordinal)) line = line[(command.Length + 2)..];
        line = Wire.ErrorText.Clean(line);
        return line.Length == 0 ? "(no message)" : line;
    }
}

/// <summary>What one invocation writes to and reads from.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, CliEnvironment env)
{
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;
    public CliEnvironment Env { get; } = env;

    /// <summary>Whether results on stdout are coloured (decided from <c>--color</c>, the terminal and NO_COLOR).</summary>
    public bool Color { get; set; }

    /// <summary>Progress on stderr, live only when stderr is a terminal.</summary>
    public Progress Progress(string what, int total) => new(Stderr, Env.StderrIsTerminal, what, total);
}

/// <summary>"Did you mean": the declared name closest to a mistyped one.</summary>
internal static class Suggest
{
    /// <summary>The closest name within an edit distance of about a third of its length, or a name the
    /// token is a prefix of; null when nothing is close.</summary>
    public static string? Closest(string token, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var n in names)
        {
            int d = Distance(token, n);
            if (d < bestDistance) { best = n; bestDistance = d; }
        }
        if (best is null) return null;
        int limit = Math.Max(1, Math.Min(token.Length, best.Length) / 3);
        if (bestDistance <= limit) return best;
        var prefixed = names.Where(n => token.Length >= 3 && n.StartsWith(token, StringComparison.Ordinal)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>Optimal string alignment distance (a swap of neighbours counts one).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}

/// <summary>The generated help of a command followed by its own prose (what it does in detail, examples,
/// exit codes), which a list of options cannot say.</summary>
internal sealed class DetailedHelpAction(HelpAction inner, IReadOnlyDictionary<Command, string> details) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        inner.Invoke(parseResult);
        if (details.TryGetValue(parseResult.CommandResult.Command, out var text))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.Write(text.EndsWith('\n') ? text : text + "\n");
            output.WriteLine();
        }
        return ExitCode.Ok;
    }
}

/// <summary><c>--version</c>: one line, <c>tcpmodel X.Y.Z</c>.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var other = parseResult.Tokens.FirstOrDefault(t => t.Value != "--version");
        if (other is not null) throw new UsageException($"--version: unexpected argument '{other.Value}'");
        parseResult.InvocationConfiguration.Output.WriteLine("tcpmodel " + CliMain.Version);
        return ExitCode.Ok;
    }
}
