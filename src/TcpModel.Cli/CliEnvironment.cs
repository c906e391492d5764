namespace TcpModel.Cli;

/// <summary>What the CLI reads from its process environment (tests pass their own).</summary>
internal sealed record CliEnvironment(string? PathVariable)
{
    /// <summary>The real process environment.</summary>
    public static CliEnvironment Current => new(Environment.GetEnvironmentVariable("PATH"));
}
