using TcpModel.Cli;

namespace TcpModel.Tests.Cli;

/// <summary>The result of running <c>tcpmodel</c> in-process.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Runs the CLI in-process with captured output.</summary>
internal static class CliRun
{
    public static CliResult Run(params string[] args) => RunWithPath(null, args);

    /// <summary>Runs with a PATH of the test's choosing (null: the real environment).</summary>
    public static CliResult RunWithPath(string? path, params string[] args) =>
        RunWith(path is null ? CliEnvironment.Current : new CliEnvironment(path), args);

    /// <summary>Runs in an environment of the test's choosing (terminals, NO_COLOR).</summary>
    public static CliResult RunWith(CliEnvironment env, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = CliMain.Run(args, stdout, stderr, env);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
