using TcpModel.Conformance.Packetdrill;
using TcpModel.Machine;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Conformance;

/// <summary>The project's own scripts for the cells of the FreeBSD state × segment matrix that the shared
/// folder does not hold (spec/scenarios/cells, written from RFC 9293 §3.10.7, RFC 5961, RFC 1337 and
/// FreeBSD's tcp_input.c / tcp_syncache.c / tcp_timewait.c): every script passes under both profiles,
/// with the runner's default ISNs and with ISNs just below 2^32.</summary>
public sealed class OwnCellScriptsTests
{
    private static string CellsRoot => Path.Combine(RepoPaths.Root, "spec", "scenarios", "cells");

    /// <summary>(path relative to spec/scenarios/cells, profile) for every script.</summary>
    public static TheoryData<string, string> Scripts()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(CellsRoot, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            foreach (var profile in PacketdrillProfiles.Names)
                data.Add(Path.GetRelativePath(CellsRoot, file), profile);
        return data;
    }

    [Fact]
    public void EveryCellHasScriptsForBothIpVersions()
    {
        var cells = Directory.GetDirectories(CellsRoot);
        Assert.NotEmpty(cells);
        foreach (var cell in cells)
        {
            var names = Directory.GetFiles(cell, "*.pkt").Select(Path.GetFileName).ToList();
            Assert.Contains(names, n => n!.EndsWith("-ipv4.pkt", StringComparison.Ordinal));
            Assert.Equal(names.Count(n => n!.EndsWith("-ipv4.pkt", StringComparison.Ordinal)),
                         names.Count(n => n!.EndsWith("-ipv6.pkt", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptPasses(string relativePath, string profile)
    {
        var script = PacketdrillParser.ParseFile(Path.Combine(CellsRoot, relativePath));
        var atDefaults = PacketdrillRunner.Run(script, new PacketdrillRunOptions { Profile = profile });
        Assert.True(atDefaults.Passed, atDefaults.Divergence?.ToString());
        var nearWrap = PacketdrillRunner.Run(script, new PacketdrillRunOptions
        {
            Profile = profile, ScriptIsn = 0xFFFF_FFF0u, SutIsn = new FixedIsnSource(0xFFFF_FFFEu),
        });
        Assert.True(nearWrap.Passed, "ISNs near 2^32: " + nearWrap.Divergence);
    }
}
