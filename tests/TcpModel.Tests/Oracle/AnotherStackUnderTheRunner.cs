using TcpModel.Conformance;
using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Tests.Oracle;

/// <summary>
/// Issue 12, "drive any stack with the runner": the packetdrill runner runs the shared FreeBSD suite against a
/// stack that is not the model (<see cref="FaultyStack"/>: the model behind the adapter interface, with a
/// selectable bug done at the boundary). The unfaulted wrapper passes exactly what the model passes, script by
/// script; each fault fails exactly the scripts that exercise it, at the line where the stack departs, and the
/// failure names the expected and the actual segment.
/// </summary>
public sealed class AnotherStackUnderTheRunner
{
    /// <summary>The cells the faults are run over, named explicitly (a new folder in the shared data changes nothing).</summary>
    private static readonly string[] Cells =
        ["rcv-syn-syn-sent", "rcv-syn-fin-syn-sent", "rcv-fin-ack-time-wait", "rcv-fin-time-wait", "rcv-syn-listen"];

    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Suite()
    {
        var root = SharedPaths.FreeBsdStateEventSuite;
        if (root is null)
        {
            if (InCi) Assert.Fail("CI=true but the shared suite folder suites/freebsd-tcp-testsuite/state-event-engine is absent");
            Skip.If(true, "the shared FreeBSD state-event suite (../shared) is not on this machine");
        }
        return root!;
    }

    private static IEnumerable<(string Script, PacketdrillVerdict Verdict)> RunCells(StackFault fault, string profile)
    {
        var root = Suite();
        var options = new PacketdrillRunOptions { Profile = profile };
        foreach (var cell in Cells)
            foreach (var v in PacketdrillSuite.Run(Path.Combine(root, cell), () => new FaultyStack(ModelStack.ForRun(options), fault), options))
                yield return (cell + "/" + Path.GetFileName(v.File), v);
    }

    public static TheoryData<string> Profiles() => [.. PacketdrillProfiles.Names];

    [SkippableTheory]
    [MemberData(nameof(Profiles))]
    public void TheUnfaultedWrapper_GetsTheModelsVerdictOnEveryScriptOfTheSuite(string profile)
    {
        var root = Suite();
        var options = new PacketdrillRunOptions { Profile = profile };
        var model = PacketdrillSuite.Run(root, () => ModelStack.ForRun(options), options);
        var wrapped = PacketdrillSuite.Run(root, () => new FaultyStack(ModelStack.ForRun(options), StackFault.None), options);
        Assert.Equal(614, wrapped.Count);
        Assert.Equal(model.Select(v => v.ToString()), wrapped.Select(v => v.ToString()));
        Assert.Equal(610, wrapped.Count(v => v.Passed));
    }

    /// <summary>Per fault: the scripts of <see cref="Cells"/> that must fail (under every profile), a fragment of
    /// the expected segment and of the actual one that the failure must name.</summary>
    public static TheoryData<StackFault, string, string[], string, string> Faults()
    {
        string[] synSent = [.. new[] { "with", "without" }.SelectMany(d => new[] { "ipv4", "ipv6" }.Select(ip => $"rcv-syn-syn-sent/rcv-syn-{d}-data-syn-sent-{ip}.pkt"))];
        string[] synFinDisabled = [.. new[] { "with", "without" }.SelectMany(d => new[] { "ipv4", "ipv6" }.Select(ip => $"rcv-syn-fin-syn-sent/rcv-syn-fin-{d}-data-syn-sent-dropping-disabled-{ip}.pkt"))];
        string[] listen = [.. new[] { "with", "without" }.SelectMany(d => new[] { "ipv4", "ipv6" }.Select(ip => $"rcv-syn-listen/rcv-syn-{d}-data-listen-{ip}.pkt"))];
        string[] Positions(string cell, params string[] where) =>
            [.. where.SelectMany(w => new[] { "ipv4", "ipv6" }.Select(ip => $"{cell}/{cell}-using-shutdown-{w}-{ip}.pkt"))];
        string[] finAck = Positions("rcv-fin-ack-time-wait", "left-edge", "middle", "outside-right", "right-edge");
        string[] fin = Positions("rcv-fin-time-wait", "left-edge", "middle", "outside-left", "outside-right", "right-edge");
        var data = new TheoryData<StackFault, string, string[], string, string>();
        foreach (var profile in PacketdrillProfiles.Names)
        {
            data.Add(StackFault.None, profile, [], "", "");
            data.Add(StackFault.SynInSynSentAnsweredWithReset, profile, synSent, "S. 0:0(0) ack 1 win 65535", "R. ");
            data.Add(StackFault.TimeWaitFinAcknowledgedWithoutRestart, profile, [.. finAck, .. fin], ". 2:2(0) ack 2 win 65535", ". 2:2(0) ack ");
            data.Add(StackFault.SynAckWindowOneOctetShort, profile, [.. synSent, .. synFinDisabled, .. listen], "S. 0:0(0) ack ", " win 65534 ");
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Faults))]
    public void AFaultFailsExactlyTheScriptsThatExerciseIt_NamingExpectedAndActual(
        StackFault fault, string profile, string[] failing, string expected, string actual)
    {
        var runs = RunCells(fault, profile).ToList();
        Assert.Equal(36, runs.Count);
        var failed = runs.Where(r => !r.Verdict.Passed).ToList();
        Assert.Equal(failing.Order(StringComparer.Ordinal), failed.Select(r => r.Script).Order(StringComparer.Ordinal));
        foreach (var (script, verdict) in failed)
        {
            var d = verdict.Divergence!;
            Assert.Null(d.Unsupported);
            Assert.Contains(expected, d.Expected, StringComparison.Ordinal);
            Assert.Contains(actual, d.Actual, StringComparison.Ordinal);
            // the line printed is file:line:col: expected …; actual … (state S), the line being the script's outbound line
            var line = File.ReadLines(Path.Combine(Suite(), script)).ElementAt(d.Position.Line - 1).TrimStart();
            Assert.Matches(@"^\+?[0-9.]+\s+>", line);
            Assert.Matches($@":{d.Position.Line}:1: expected .+; actual .+ \(state [A-Z-]+\)$", d.ToString());
        }
    }
}
