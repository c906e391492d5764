namespace TcpModel.Cli;

/// <summary>
/// The options one command was given, as text: read from System.CommandLine's parse result
/// (<see cref="From"/>). The command checks the
/// values itself, so every bad value gets a message naming what was expected.
/// </summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private CliArgs(string command) => Command = command;

    /// <summary>The command the options belong to.</summary>
    public string Command { get; }

    /// <summary>The positional arguments (paths), in order.</summary>
    public IReadOnlyList<string> Positional { get; private set; } = [];

    /// <summary>The options and arguments given to <paramref name="command"/> in a parse result.</summary>
    public static CliArgs From(string command, System.CommandLine.ParseResult parse)
    {
        var result = new CliArgs(command);
        var positional = new List<string>();
        foreach (var child in parse.CommandResult.Children)
        {
            if (child is System.CommandLine.Parsing.OptionResult { Implicit: false } o)
                result._values[o.Option.Name] = o.Option.ValueType == typeof(bool) ? null : o.Tokens.Count > 0 ? o.Tokens[0].Value : null;
            else if (child is System.CommandLine.Parsing.ArgumentResult a)
                positional.AddRange(a.Tokens.Select(t => t.Value));
        }
        // a flag given as --flag=false is not given
        foreach (var child in parse.CommandResult.Children)
            if (child is System.CommandLine.Parsing.OptionResult { Implicit: false } f && f.Option.ValueType == typeof(bool)
                && f.Tokens.Count > 0 && string.Equals(f.Tokens[0].Value, "false", StringComparison.OrdinalIgnoreCase))
                result._values.Remove(f.Option.Name);
        result.Positional = positional;
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
