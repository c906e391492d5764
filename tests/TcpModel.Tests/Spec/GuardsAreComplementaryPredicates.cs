using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>
/// The table's guards are named pure predicates that come in complementary pairs (a cell and its
/// alternative: <c>PermitIf(g)</c> / <c>PermitIf(¬g)</c>). The compiled table and the guard valuations of
/// the spec tests take the second member of a pair to be the negation of the first, so each pair must
/// really be one: for every canonical endpoint, every built-in profile, and every setting of the TCB facts
/// and policies the guards read, exactly one member of each pair holds; and the profile-only valuation
/// that specializes the compiled table never contradicts the full one.
/// </summary>
[Trait("Spec", "transitions")]
public sealed class GuardsAreComplementaryPredicates
{
    private static readonly Guard[] Guarded = Enum.GetValues<Guard>().Where(g => g != Guard.None).ToArray();

    /// <summary>Every fixture's TCB under every built-in profile, with the facts the guards read (passive or
    /// active open, reopened from TIME-WAIT, remote named, SENDs queued, unread data, CLOSE queued) and the
    /// policies they read varied.</summary>
    private static IEnumerable<(string What, Tcb Tcb, Profile Profile)> Situations()
    {
        var profiles = Profile.BuiltIn.Values.SelectMany(p => new[]
        {
            p,
            p with { ResetOnCloseWithUnreadData = !p.ResetOnCloseWithUnreadData },
            p with { TimeWaitAckRule = p.TimeWaitAckRule == TimeWaitAckRule.Bsd ? TimeWaitAckRule.FinOnly : TimeWaitAckRule.Bsd },
        }).ToArray();
        foreach (var f in StateFixtures.All)
            foreach (var p in profiles)
            {
                var tcb = f.Build(p).Tcb; // one TCB per fixture and profile, its facts set anew for each valuation
                for (int bits = 0; bits < 1 << 6; bits++)
                {
                    tcb.FromPassiveOpen = (bits & 1) != 0;
                    tcb.ReopenedFromTimeWait = (bits & 2) != 0;
                    tcb.RemoteSpecified = (bits & 4) != 0;
                    tcb.CloseAfterEstablished = (bits & 8) != 0;
                    if ((bits & 16) != 0 && tcb.SendQueue.Count == 0) tcb.SendQueue.Append("q"u8);
                    if ((bits & 16) == 0) tcb.SendQueue.Clear();
                    if ((bits & 32) != 0 && tcb.ReceiveQueue.Count == 0) tcb.ReceiveQueue.Append("u"u8);
                    if ((bits & 32) == 0) tcb.ReceiveQueue.Clear();
                    yield return ($"{f.Name}, facts {bits}, {p.Name}", tcb, p);
                }
            }
    }

    [Fact]
    public void EveryGuardHasAComplementWhoseComplementIsTheGuard()
    {
        foreach (var g in Guarded)
        {
            Assert.NotEqual(Guard.None, g.Complement());
            Assert.NotEqual(g, g.Complement());
            Assert.Equal(g, g.Complement().Complement());
        }
        Assert.Equal(Guard.None, Guard.None.Complement());
    }

    [Fact]
    public void ExactlyOneGuardOfEachPairHoldsInEverySituation()
    {
        foreach (var (what, tcb, p) in Situations())
        {
            Assert.True(Guards.Evaluate(Guard.None, tcb, p), "an unguarded cell always applies");
            foreach (var g in Guarded)
                if (Guards.Evaluate(g, tcb, p) == Guards.Evaluate(g.Complement(), tcb, p))
                    Assert.Fail($"{what}: {g} and its complement {g.Complement()} are both {Guards.Evaluate(g, tcb, p)}");
        }
    }

    [Fact]
    public void TheProfileOnlyValuationNeverContradictsTheFullOne()
    {
        foreach (var (what, tcb, p) in Situations())
        {
            Assert.True(Guards.EvaluateForProfile(Guard.None, p));
            foreach (var g in Guarded)
                if (Guards.EvaluateForProfile(g, p) is { } v && v != Guards.Evaluate(g, tcb, p))
                    Assert.Fail($"{what}: {g} is {v} by the profile alone but {!v} on this TCB");
        }
    }

    [Fact]
    public void PolicyGuardsAreDecidedByTheProfileAloneAndTcbGuardsAreNot()
    {
        Guard[] readTheTcb = [Guard.PassiveOpen, Guard.ActiveOpen, Guard.RemoteSpecified, Guard.RemoteUnspecified,
            Guard.NothingQueued, Guard.SendsQueued, Guard.CloseQueued, Guard.NoCloseQueued];
        foreach (var p in Profile.BuiltIn.Values)
            foreach (var g in Guarded)
            {
                bool? v = Guards.EvaluateForProfile(g, p);
                if (readTheTcb.Contains(g)) Assert.Null(v);
                else if (g is Guard.UnreadDataResets or Guard.NormalClose)
                    Assert.Equal(p.ResetOnCloseWithUnreadData ? null : g == Guard.NormalClose, v);
                else if (g is Guard.TimeWaitToRestore or Guard.NoTimeWaitToRestore)
                    Assert.Equal(p.RestoreTimeWaitOnReset ? null : g == Guard.NoTimeWaitToRestore, v);
                else Assert.NotNull(v);
            }
    }

    [Fact]
    public void AGuardIsFoundByTheNameStatelessCarries()
    {
        Assert.Equal(Guards.Count, Enum.GetValues<Guard>().Length);
        foreach (var g in Enum.GetValues<Guard>()) Assert.Equal(g, Guards.FromName(g.Name()));
        Assert.Contains("'NoSuchGuard'", Assert.Throws<InvalidOperationException>(() => Guards.FromName("NoSuchGuard")).Message);
    }
}
