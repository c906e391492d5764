using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>The compiled table specialized to a profile (policy guards folded in advance) gives the same
/// cell as the general lookup for every state × trigger, every profile and every TCB condition a guard reads.</summary>
public sealed class ProfileTableAgreement
{
    public static TheoryData<string> Profiles()
    {
        var names = new TheoryData<string>();
        foreach (var n in Profile.BuiltIn.Keys) names.Add(n);
        names.Add("rfc9293+unread-reset");
        names.Add("standard+bsd-time-wait");
        return names;
    }

    private static Profile ByName(string name) => name switch
    {
        "rfc9293+unread-reset" => Profile.Rfc9293 with { ResetOnCloseWithUnreadData = true },
        "standard+bsd-time-wait" => Profile.Standard with { TimeWaitAckRule = TimeWaitAckRule.Bsd, ChallengeAckOnRst = false },
        _ => Profile.BuiltIn[name],
    };

    /// <summary>Every combination of the TCB conditions the named guards read.</summary>
    private static IEnumerable<Tcb> Tcbs()
    {
        for (int bits = 0; bits < 32; bits++)
        {
            var t = new Tcb
            {
                FromPassiveOpen = (bits & 1) != 0,
                RemoteSpecified = (bits & 2) != 0,
                CloseAfterEstablished = (bits & 4) != 0,
            };
            if ((bits & 8) != 0) t.SendQueue.Append("x"u8);
            if ((bits & 16) != 0) t.ReceiveQueue.Append("y"u8);
            yield return t;
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void TheSpecializedTableGivesTheSameCellAsTheGeneralLookup(string profileName)
    {
        var profile = ByName(profileName);
        var general = CompiledTable.Instance;
        var special = general.For(profile);
        foreach (var tcb in Tcbs())
            foreach (var s in TcpStates.All)
                foreach (var t in Triggers.All)
                {
                    var expected = general.Lookup(s, t, tcb, profile);
                    Assert.Same(expected, special.Lookup(s, t, tcb));
                    Assert.Equal(expected?.Next ?? s, special.Next(s, t, tcb));
                }
    }

    [Fact]
    public void OneTablePerProfileIsBuiltAndReused() =>
        Assert.Same(CompiledTable.Instance.For(Profile.Rfc9293), CompiledTable.Instance.For(Profile.Rfc9293 with { }));
}
