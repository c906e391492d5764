namespace TcpModel.Cli;

/// <summary>The <c>tcpmodel</c> command: argument dispatch.</summary>
public static class CliMain
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["packetdrill", ..]) return PacketdrillCommand.Run(args[1..], stdout, stderr);
        stderr.WriteLine("tcpmodel: no command yet");
        return 2;
    }
}
