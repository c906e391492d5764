using FsCheck;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>
/// P-08 (agrees-with-reference): the model against the independent reference (<c>TcpModel.Reference.ReferenceTcp</c>)
/// on the same adversarial event sequences — loss, duplication, reordering, old duplicates, the off-path attacker,
/// and timers on one virtual clock (retransmission with RFC 6298 RTO and backoff, R1/R2, persist, user timeout,
/// TIME-WAIT), with the RFC 5961 challenge-ACK throttle on, and crafted segments (every control combination at chosen
/// SEQ/ACK positions: RCV.NXT, inside the window, its edges, just outside; ACK at SND.UNA, SND.NXT, beyond, far below).
/// States, emitted segments (modulo the conventions normalised in <see cref="Differential"/>),
/// notices and unread octets are compared after every event.
/// </summary>
public sealed class DifferentialProperties
{
    private static readonly Gen<Scenario> Shared = Generators.FromState(new GeneratorOptions(Timers: true, Crafted: false, UnspecifiedOpens: false));


    /// <summary>Schedules that draw no timer events (time moves by the event spacing and TIME-WAIT expiries only): at the
    /// same budget they spend every event on deliveries, faults and user calls, so more of them reach the rarer
    /// interleavings (a SYN reopening TIME-WAIT, then an RST or SYN in the new incarnation).</summary>
    private static readonly Gen<Scenario> Untimed = Generators.FromState(new GeneratorOptions(Timers: false, Crafted: false, UnspecifiedOpens: false));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc9293_OnSchedulesWithoutTimerEvents() =>
        PropertyRunner.Verify("P-08", "the model (rfc9293) and the reference (Rfc5961: true) agree on every step of schedules without timer events",
            Untimed, Generators.Shrink, Claims.P08Rfc9293, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc9293));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc9293() =>
        PropertyRunner.Verify("P-08", "the model (rfc9293) and the reference (Rfc5961: true) agree on every step",
            Shared, Generators.Shrink, Claims.P08Rfc9293, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc9293));

    /// <summary>Schedules that also draw crafted segments: every control combination (SYN, SYN,FIN, FIN, RST, RST,ACK,
    /// data with and without ACK) at the sequence positions that matter, so the readings of segments that "should not
    /// occur" — text or a FIN after the peer's FIN, a SYN,FIN at IRS, a window closed with data outstanding — are
    /// compared too.</summary>
    private static readonly Gen<Scenario> WithCrafted = Generators.FromState(new GeneratorOptions(Timers: true, Crafted: true, UnspecifiedOpens: false));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc9293_OnCraftedSegments() =>
        PropertyRunner.Verify("P-08", "the model (rfc9293) and the reference (Rfc5961: true) agree on every step, crafted segments included",
            WithCrafted, Generators.Shrink, Claims.P08Rfc9293, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc9293));

    [Fact]
    [Trait("Property", "P-08")]
    public void P08_ModelAgreesWithTheReferenceUnderRfc793_OnCraftedSegments() =>
        PropertyRunner.Verify("P-08", "the model (rfc793) and the reference (Rfc5961: false) agree on every step, crafted segments included",
            WithCrafted, Generators.Shrink, Claims.P08Rfc793, s => s.ToCode(), defaultRuns: 200, claimName: nameof(Claims.P08Rfc793));

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
