namespace TcpModel.Cli;

/// <summary>Process exit codes of <c>tcpmodel</c>.</summary>
internal static class ExitCode
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>The command could not do its work (missing Graphviz, unwritable output).</summary>
    public const int Failure = 1;
    /// <summary>Bad command line (unknown command or option, bad value).</summary>
    public const int Usage = 2;
    /// <summary>A bug in tcpmodel (sysexits EX_SOFTWARE).</summary>
    public const int Internal = 70;
}

/// <summary>A bad command line: printed as one <c>tcpmodel: …</c> line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The command could not do its work: printed as one <c>tcpmodel: …</c> line, exit code 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
