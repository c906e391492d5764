namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// A folder of packetdrill scripts run against a stack under test (<see cref="ITcpStackUnderTest"/>), one fresh
/// stack per script: what a stack author calls to run, say, the FreeBSD state-event suite against their own
/// implementation. Scripts are taken in ordinal order of their path, so reports repeat.
/// </summary>
public static class PacketdrillSuite
{
    /// <summary>Runs every <c>*.pkt</c> under <paramref name="folder"/> (and its subfolders) against a stack
    /// made by <paramref name="newStack"/> for each script. A script that does not parse fails at its
    /// syntax error's position; a file that cannot be read fails at line 1. Throws only for a folder that
    /// does not exist.</summary>
    public static IReadOnlyList<PacketdrillVerdict> Run(string folder, Func<ITcpStackUnderTest> newStack, PacketdrillRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(newStack);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException("no such folder: " + folder);
        options ??= new PacketdrillRunOptions();
        var verdicts = new List<PacketdrillVerdict>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            PacketdrillScript script;
            try
            {
                script = PacketdrillParser.ParseFile(file);
            }
            catch (PacketdrillSyntaxException e)
            {
                verdicts.Add(new PacketdrillVerdict(file, options.Profile, new PacketdrillDivergence(e.Position, "a well-formed script", e.Detail, "CLOSED")));
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                verdicts.Add(new PacketdrillVerdict(file, options.Profile, new PacketdrillDivergence(new SourcePosition(file, 1, 1), "a readable script", e.Message, "CLOSED")));
                continue;
            }
            verdicts.Add(PacketdrillRunner.Run(script, newStack(), options));
        }
        return verdicts;
    }
}
