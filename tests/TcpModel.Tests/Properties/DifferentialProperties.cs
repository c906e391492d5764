using FsCheck;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>
/// P-08 (agrees-with-reference): the model against the independent reference (<c>TcpModel.Reference.ReferenceTcp</c>)
/// on the same adversarial event sequences, restricted to what both support (no timers but the
/// TIME-WAIT expiry; the model's extras switched off by <see cref="Differential.ProfileFor"/>).
/// States, emitted segments (modulo the conventions normalised in <see cref="Differential"/>),
/// notices and unread octets are compared after every event.
/// </summary>
public sealed class DifferentialProperties
{
    private static readonly Gen<Scenario> Shared = Generators.FromState(new GeneratorOptions(Timers: false, Crafted: false, UnspecifiedOpens: false));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc9293() =>
        PropertyRunner.Verify("P-08", "the model (rfc9293) and the reference (Rfc5961: true) agree on every step",
            Shared, Generators.Shrink, Claims.P08Rfc9293, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc9293));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc793() =>
        PropertyRunner.Verify("P-08", "the model (rfc793) and the reference (Rfc5961: false) agree on every step",
            Shared, Generators.Shrink, Claims.P08Rfc793, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc793));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceWithFourOctetReceiveBuffers() =>
        PropertyRunner.Verify("P-08", "with 4-octet receive buffers the model and the reference agree on every step (both profiles)",
            Shared, Generators.Shrink, Claims.P08FourOctetBuffers, s => s.ToCode(), defaultRuns: 150, claimName: nameof(Claims.P08FourOctetBuffers));
}
