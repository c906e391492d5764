using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine.Fidelity;

/// <summary>RFC 9293 §3.5.3 and §3.10.7.4 second, RFC 5961 §3.2: "all reset (RST) segments are validated
/// by checking their SEQ fields. A reset is valid if its sequence number is in the window" — text on an
/// RST does not make an RST below RCV.NXT acceptable.</summary>
public sealed class RstValidity
{
    internal static void AnRstBelowRcvNxtCarryingText_IsDroppedSilently(Profile p)
    {
        var c = Established(p);
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=RST><DATA=\"abc\">"));
        Assert.Equal(TcpState.Established, c.State);
        Assert.Empty(c.Notices);
    }

    [Fact, Trait("RFC", "9293 §3.5.3"), Trait("RFC", "793 §3.4")]
    public void AnRstOneBelowRcvNxtCarryingThreeOctets_DoesNotResetTheConnection_UnderRfc793() =>
        AnRstBelowRcvNxtCarryingText_IsDroppedSilently(Profile.Rfc793);

    [Fact, Trait("RFC", "5961 §3.2")]
    public void AnRstOneBelowRcvNxtCarryingThreeOctets_IsDroppedWithoutAChallengeAck_UnderRfc5961() =>
        AnRstBelowRcvNxtCarryingText_IsDroppedSilently(Profile.Rfc9293);

    [Fact, Trait("RFC", "9293 §3.5.3"), Trait("RFC", "SHLD-2")]
    public void AnRstAtTheLastWindowOctet_IsInTheWindow_UnderRfc793()
    {
        var c = Established(Profile.Rfc793);
        AssertSent(c.Arrive($"<SEQ={Irs + 1 + (OurWnd - 1)}><CTL=RST><DATA=\"abc\">"));
        Assert.Equal(TcpState.Closed, c.State);
        Assert.Equal([Notice.ConnectionReset], c.Notices);
    }

    [Fact, Trait("RFC", "9293 §3.5.3")]
    public void TcpmodelStepsClassifier_CallsAnRstBelowRcvNxtCarryingTextInvalid()
    {
        var c = Established(Profile.Rfc793);
        Assert.Equal(Trigger.RstInvalid, Classifier.First(TcpState.Established, c.Tcb,
            TcpModel.Wire.Segment.Parse($"<SEQ={Irs}><CTL=RST><DATA=\"abc\">")));
    }

    [Fact, Trait("Mutant", "rst-validity-by-segment-length")]
    public void TheRegressionTestFails_WhenRstsAreValidatedBySegmentLength() =>
        MutantCheck.FailsUnder(Mutant.RstValidityBySegmentLength, Profile.Rfc793, AnRstBelowRcvNxtCarryingText_IsDroppedSilently);
}
