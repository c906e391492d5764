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

    /// <summary>The real process environment.</summary>
    public static CliEnvironment Current => new(Environment.GetEnvironmentVariable("PATH"));
}
