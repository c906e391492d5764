namespace TcpModel.Cli;

/// <summary>
/// The options of one command, parsed by hand: <c>--name value</c> or <c>--name=value</c> for
/// options that take a value, <c>--name</c> for flags. Unknown options, repeated options, missing
/// values and stray arguments are usage errors.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CliArgs(string command) => Command = command;

    /// <summary>The command the options belong to.</summary>
    public string Command { get; }

    /// <summary>Parses <paramref name="args"/> against the options the command accepts
    /// (<paramref name="valued"/> take a value, <paramref name="flags"/> do not).</summary>
    public static CliArgs Parse(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valued, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        var result = new CliArgs(command);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"{command}: unexpected argument '{arg}' (try 'tcpmodel help {command}')");
            string name = arg;
            string? inline = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) { name = arg[..eq]; inline = arg[(eq + 1)..]; }
            string? value;
            if (valued.Contains(name))
            {
                if (inline is not null) value = inline;
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"{command}: option {name} needs a value");
            }
            else if (flags.Contains(name))
            {
                if (inline is not null) throw new UsageException($"{command}: option {name} takes no value");
                value = null;
            }
            else throw new UsageException($"{command}: unknown option '{name}' (try 'tcpmodel help {command}')");
            if (!result._values.TryAdd(name, value))
                throw new UsageException($"{command}: option {name} given twice");
        }
        return result;
    }

    /// <summary>The value of an option, or null when it was not given.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>True when the option (flag or valued) was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value of an option that must be one of <paramref name="allowed"/>.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var v = Get(name);
        if (v is null) return fallback;
        foreach (var a in allowed)
            if (string.Equals(a, v, StringComparison.OrdinalIgnoreCase)) return a;
        throw new UsageException($"{Command}: {name}: unknown value '{v}' (expected one of {string.Join(", ", allowed)})");
    }
}
