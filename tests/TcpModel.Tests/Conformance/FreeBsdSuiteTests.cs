using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Tests.Conformance;

/// <summary>The shared FreeBSD packetdrill suite: every script passes under both profiles.</summary>
public sealed class FreeBsdSuiteTests
{
    private const string Absent = "(shared conformance folder absent)";

    /// <summary>(relative path, profile) for every .pkt under the conformance root.</summary>
    public static TheoryData<string, string> Scripts()
    {
        var data = new TheoryData<string, string>();
        var root = SharedPaths.ConformanceRoot;
        if (root is null || !Directory.Exists(root))
        {
            data.Add(Absent, "standard");
            return data;
        }
        foreach (var file in Directory.EnumerateFiles(root, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            foreach (var profile in PacketdrillProfiles.Names)
                data.Add(Path.GetRelativePath(root, file), profile);
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptPasses(string relativePath, string profile)
    {
        if (relativePath == Absent) return; // nothing to run: the shared corpus is not on this machine
        var script = PacketdrillParser.ParseFile(Path.Combine(SharedPaths.ConformanceRoot!, relativePath));
        var verdict = PacketdrillRunner.Run(script, new PacketdrillRunOptions { Profile = profile });
        Assert.True(verdict.Passed, verdict.Divergence?.ToString());
    }
}
