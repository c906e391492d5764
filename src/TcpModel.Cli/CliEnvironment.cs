namespace TcpModel.Cli;

/// <summary>What the CLI reads from its process environment (tests pass their own).</summary>
/// <param name="PathVariable">PATH, searched for Graphviz <c>dot</c>.</param>
/// <param name="DotTimeout">How long <c>dot</c> may run before it is killed.</param>
internal sealed record CliEnvironment(string? PathVariable, TimeSpan DotTimeout)
{
    /// <summary>The default time <c>dot</c> may take (the lifecycle graph renders in well under a second).</summary>
    public static readonly TimeSpan DefaultDotTimeout = TimeSpan.FromSeconds(60);

    /// <summary>An environment with the default timeout.</summary>
    public CliEnvironment(string? pathVariable) : this(pathVariable, DefaultDotTimeout) { }

    /// <summary>NO_COLOR is set to a non-empty value (https://no-color.org): no colour unless <c>--color always</c>.</summary>
    public bool NoColor { get; init; }

    /// <summary>stdout is a terminal (colour is on by default only then).</summary>
    public bool StdoutIsTerminal { get; init; }

    /// <summary>stderr is a terminal (progress is shown only then).</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>The real process environment; no terminal until <see cref="For"/> says which writers are the console.</summary>
    public static CliEnvironment Current => new(Environment.GetEnvironmentVariable("PATH"))
    {
        NoColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
    };

    /// <summary>This environment for output to <paramref name="stdout"/> and <paramref name="stderr"/>: each
    /// is a terminal only when it is the process's own console stream and that is not redirected.</summary>
    public CliEnvironment For(TextWriter stdout, TextWriter stderr) => this with
    {
        StdoutIsTerminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
        StderrIsTerminal = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected,
    };
}
