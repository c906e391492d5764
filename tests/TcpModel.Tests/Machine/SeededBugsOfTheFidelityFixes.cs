using TcpModel.Conformance.Packetdrill;
using TcpModel.Machine;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Machine;

/// <summary>Each seeded bug of issue 7 items 1 and 5 puts the fixed bug back, and the regression tests of the
/// fix fail under it (so they can fail): the per-state tests and the sockets-view scenarios.</summary>
public sealed class SeededBugsOfTheFidelityFixes
{
    private static readonly Profile NoDataAfterFin = Profile.Rfc9293 with { Mutant = Mutant.NoDataAfterFin };
    private static readonly Profile ReopenedAsListener = Profile.Rfc9293 with { Mutant = Mutant.ReopenedConnectionAsListener };

    private static PacketdrillVerdict RunScenario(string file, string profile, Mutant mutant) =>
        PacketdrillRunner.Run(PacketdrillParser.ParseFile(Path.Combine(RepoPaths.Root, "spec", "scenarios", file)),
            new PacketdrillRunOptions { Profile = profile, Mutant = mutant });

    [Fact]
    public void NoDataAfterFin_FailsTheReceiveTestOfClosingLastAckAndTimeWait()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.ClosingWithUnreadText(NoDataAfterFin)));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.LastAckWithUnreadText(NoDataAfterFin)));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
            AfterBothFins.ReceiveDeliversWhatIsOnHandThenConnectionClosing(AfterBothFins.TimeWaitWithUnreadText(NoDataAfterFin)));
    }

    [Theory]
    [InlineData("time-wait-read-after-fin.pkt")]
    [InlineData("closing-read-after-fin.pkt")]
    public void NoDataAfterFin_FailsTheSocketsViewScenario(string file)
    {
        foreach (var profile in PacketdrillProfiles.Names)
        {
            Assert.True(RunScenario(file, profile, Mutant.None).Passed);
            var verdict = RunScenario(file, profile, Mutant.NoDataAfterFin);
            Assert.False(verdict.Passed);
            Assert.Contains("read", verdict.Divergence!.ToString());
        }
    }

    [Fact]
    public void ReopenedConnectionAsListener_FailsTheReopenedRstTest()
    {
        var noRestore = Profile.Rfc9293 with { RestoreTimeWaitOnReset = false };
        InTimeWait.RstClosesTheReopenedConnection(noRestore);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => InTimeWait.RstClosesTheReopenedConnection(noRestore with { Mutant = Mutant.ReopenedConnectionAsListener }));
        InTimeWait.RstRestoresTheOldTimeWait(Profile.Rfc9293);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => InTimeWait.RstRestoresTheOldTimeWait(ReopenedAsListener));
    }

    [Fact]
    public void ReopenedConnectionAsListener_FailsTheSocketsViewScenario()
    {
        Assert.True(RunScenario("time-wait-reopen.pkt", "freebsd", Mutant.None).Passed);
        Assert.False(RunScenario("time-wait-reopen.pkt", "freebsd", Mutant.ReopenedConnectionAsListener).Passed);
    }
}
