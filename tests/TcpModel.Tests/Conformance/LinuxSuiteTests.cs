using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Tests.Conformance;

/// <summary>The Linux packetdrill scripts (shared/suites/packetdrill-linux, gtests/net): the lifecycle
/// folders, named explicitly, pass under <c>linux</c> except the scripts that need a feature outside the
/// model (each named with that feature); no script of the whole suite is a syntax error.</summary>
public sealed class LinuxSuiteTests
{
    private const string Absent = "(shared Linux suite absent)";

    private static string? Root => SharedPaths.SharedRoot is { } s && Directory.Exists(Path.Combine(s, "suites", "packetdrill-linux", "gtests", "net"))
        ? Path.Combine(s, "suites", "packetdrill-linux", "gtests", "net") : null;

    /// <summary>The acceptance folders (issue 10), by name: a new folder in shared/ never changes what runs.</summary>
    private static readonly string[] Folders =
        ["tcp/blocking", "tcp/close", "tcp/shutdown", "tcp/validate", "tcp/user_timeout", "tcp/ts_recent", "tcp/ioctl", "tcp/inq", "tcp/mss"];

    /// <summary>Scripts of those folders that need a feature outside the lifecycle model: the text their verdict
    /// must contain (the unsupported feature, or for TLP the divergence it causes).</summary>
    private static readonly Dictionary<string, string> OutOfScope = new(StringComparer.Ordinal)
    {
        ["tcp/blocking/blocking-accept.pkt"] = "TSO/GSO super-segment",
        ["tcp/blocking/blocking-write.pkt"] = "SO_SNDBUF",
        ["tcp/shutdown/shutdown-rdwr-send-queue-ack-close.pkt"] = "TSO/GSO super-segment",
        ["tcp/shutdown/shutdown-rdwr-write-queue-close.pkt"] = "TSO/GSO super-segment",
        ["tcp/user_timeout/user-timeout-probe.pkt"] = "tcp_info",
        ["tcp/mss/mss-setsockopt-tcp_maxseg-client.pkt"] = "tcp_info",
        ["tcp/mss/mss-setsockopt-tcp_maxseg-server.pkt"] = "tcp_info",
    };

    /// <summary>An absent shared suite is a visible skip, and a failure under CI=true (.ci/run provides ../shared).</summary>
    private static void SkipUnlessCi(string why)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("CI=true but " + why);
        Skip.If(true, why);
    }

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        if (Root is not { } root) { data.Add(Absent); return data; }
        foreach (var folder in Folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.pkt").Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        data.Add("packetdrill/tests/packet-timeout.pkt"); // passes by failing where its "// Failure:" comment says
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Scripts))]
    public void LifecycleScriptPassesUnderLinux_OrNamesItsOutOfScopeFeature(string relativePath)
    {
        if (relativePath == Absent) SkipUnlessCi("the shared Linux suite (../shared/suites/packetdrill-linux) is not on this machine");
        var verdict = PacketdrillRunner.Run(PacketdrillParser.ParseFile(Path.Combine(Root!, relativePath)), new PacketdrillRunOptions { Profile = "linux" });
        if (OutOfScope.TryGetValue(relativePath, out var feature))
        {
            Assert.False(verdict.Passed, $"{relativePath} passes: remove it from the out-of-scope list");
            Assert.Contains(feature, verdict.Unsupported ?? verdict.Divergence!.ToString(), StringComparison.Ordinal);
            return;
        }
        Assert.True(verdict.Passed, verdict.Divergence?.ToString());
    }

    /// <summary>The whole suite's verdicts under <c>linux</c>, pinned (docs/readme/linux.md's table): they move only
    /// deliberately — a change of the model that passes or fails more scripts updates these numbers and that table.</summary>
    [SkippableFact]
    public void TheWholeSuiteUnderLinux_Passes19_FailsNone_AndNames148UnsupportedFeatures()
    {
        if (Root is not { } root) { SkipUnlessCi("the shared Linux suite (../shared/suites/packetdrill-linux) is not on this machine"); return; }
        int passed = 0, failed = 0, unsupported = 0;
        foreach (var f in Directory.EnumerateFiles(root, "*.pkt", SearchOption.AllDirectories))
        {
            var v = PacketdrillRunner.Run(PacketdrillParser.ParseFile(f), new PacketdrillRunOptions { Profile = "linux" });
            if (v.Passed) passed++;
            else if (v.Unsupported is not null) unsupported++;
            else failed++;
        }
        Assert.Equal((19, 0, 148), (passed, failed, unsupported));
    }

    [SkippableFact]
    public void NoLinuxScriptIsASyntaxError()
    {
        if (Root is not { } root) { SkipUnlessCi("the shared Linux suite (../shared/suites/packetdrill-linux) is not on this machine"); return; }
        var files = Directory.EnumerateFiles(root, "*.pkt", SearchOption.AllDirectories).ToList();
        Assert.Equal(167, files.Count);
        var errors = new List<string>();
        foreach (var f in files)
        {
            try { PacketdrillParser.ParseFile(f); }
            catch (PacketdrillSyntaxException e) { errors.Add(e.Message); }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public void NoFreeBsdSuiteScriptIsASyntaxError()
    {
        if (SharedPaths.SharedRoot is not { } s || !Directory.Exists(Path.Combine(s, "suites", "freebsd-tcp-testsuite")))
        {
            SkipUnlessCi("the shared FreeBSD suite (../shared/suites/freebsd-tcp-testsuite) is not on this machine");
            return;
        }
        var files = Directory.EnumerateFiles(Path.Combine(s, "suites", "freebsd-tcp-testsuite"), "*.pkt", SearchOption.AllDirectories).ToList();
        Assert.Equal(614, files.Count);
        var errors = new List<string>();
        foreach (var f in files)
        {
            try { PacketdrillParser.ParseFile(f); }
            catch (PacketdrillSyntaxException e) { errors.Add(e.Message); }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
