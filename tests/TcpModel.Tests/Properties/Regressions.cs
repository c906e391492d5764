using TcpModel.Machine;
using TcpModel.Wire;
using TcpModel.Network;

namespace TcpModel.Tests.Properties;

/// <summary>
/// Shrunk counterexamples the properties found, kept as tests (pasted from the failure report; the
/// seed is the run that found each). Each names what went wrong at the time.
/// </summary>
public sealed class Regressions
{
    // ---------------------------------------------------------------- model bugs (fixed)

    /// <summary>Model fix: a FIN sent in the same segment as data was recorded at the data's first
    /// sequence number, so the ACK of the FIN was not recognised (RFC 9293 §3.10.7.4 FIN-WAIT-1
    /// and CLOSING: "if the ACK acknowledges our FIN").</summary>
    [Fact]
    [Trait("Property", "P-06")]
    public void P06_Seed8359523267836394028_AFinSentWithDataIsAcknowledgedWithIt() =>
        Claims.AssertHolds(Claims.P06, new Scenario(0u, 4294966667u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Send(Side.A, 1),
                Ev.Close(Side.A),
                Ev.Close(Side.B),
            ]));

    /// <summary>The same bug seen by the differential property: FIN-WAIT-1 must become FIN-WAIT-2
    /// when the ACK covers data and FIN sent together.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc9293_Seed5269042390447754781_FinWait1EntersFinWait2WhenDataAndFinAreAcked() =>
        Claims.AssertHolds(Claims.P08Rfc9293, new Scenario(4294966963u, 2147483647u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Send(Side.B, 1),
                Ev.Deliver(Side.A),
                Ev.InjectSyn(Side.A, 2),
                Ev.Send(Side.A, 1),
                Ev.Close(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Reorder(Side.B),
            ]));

    /// <summary>Model fix: SEND after a CLOSE queued in SYN-RECEIVED was accepted; RFC 9293 §3.6
    /// case 1: "No further SENDs from the user will be accepted".</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc793_Seed1709031884481565119_SendAfterACloseQueuedInSynReceivedIsRefused() =>
        Claims.AssertHolds(Claims.P08Rfc793, new Scenario(4294966316u, 4294966783u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Send(Side.B, 1),
                Ev.Send(Side.A, 1),
                Ev.Deliver(Side.A),
                Ev.Close(Side.A),
                Ev.Send(Side.A, 1),
            ]));

    /// <summary>Model fix: octets held out of order were subtracted from RCV.WND, moving the right
    /// edge left (RFC 9293 §3.8.6.2.2 SHLD-14), so an in-window ACK was rejected as unacceptable.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_FourOctetBuffers_Seed902134354503259899_HeldOctetsDoNotShrinkTheWindow() =>
        Claims.AssertHolds(Claims.P08FourOctetBuffers, new Scenario(4294967159u, 4294965355u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Send(Side.A, 2),
                Ev.Deliver(Side.A),
                Ev.Replay(Side.A, 0),
                Ev.Send(Side.A, 2),
                Ev.Lose(Side.B),
                Ev.Reorder(Side.B),
                Ev.Deliver(Side.B),
            ]));

    /// <summary>Model fix: text filling the window exactly left its FIN at the right edge, outside
    /// the window, yet the FIN was accepted (RFC 9293 §3.10.7.4 first: "trimming off any portions
    /// that lie outside the window (including SYN and FIN)").</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_FourOctetBuffers_Seed7364339786264215898_AFinJustBeyondAFullWindowIsTrimmed() =>
        Claims.AssertHolds(Claims.P08FourOctetBuffers, new Scenario(0u, 4294965391u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.B),
                Ev.Send(Side.B, 3),
                Ev.Send(Side.B, 1),
                Ev.Close(Side.B),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.Reorder(Side.A),
            ]));

    /// <summary>Model fix: an unacknowledged SYN retransmitted in FIN-WAIT-1 (CLOSE in SYN-RECEIVED after
    /// a simultaneous open) went out as a bare SYN; once the peer's SYN is in it is a SYN,ACK carrying
    /// RCV.NXT (RFC 9293 §3.10.7.3, Figure 8).</summary>
    [Fact]
    [Trait("Property", "P-12")]
    public void P12_Seed5923646754369410147_ASynRetransmittedAfterCloseInSynReceivedCarriesTheAck() =>
        Claims.AssertHolds(Claims.P12, new Scenario(4294966782u, 4294967121u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.A),
                Ev.Close(Side.A),
                Ev.Tick(),
            ]));

    /// <summary>Model fix: under standard (fin-on-ack-while-fin-unacked with old-ack-processed) a
    /// simultaneous close livelocked in CLOSING: each end answered the other's repeated FIN,ACK — old,
    /// hence unacceptable — with its own, and the ACK of its FIN was never processed. BSD trims the
    /// duplicate FIN and processes the ACK (old-ack-processed now covers a FIN before RCV.NXT).</summary>
    [Fact]
    [Trait("Property", "P-18")]
    public void P18_Seed7941326014604520656_ASimultaneousCloseUnderStandardLeavesClosing() =>
        Claims.AssertHolds(Claims.P18, new Scenario(0u, 4294965410u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Close(Side.B),
                Ev.Close(Side.A),
            ]));

    // ---------------------------------------------------------------- reference bugs (fixed)

    /// <summary>Reference fix: in CLOSING a window update that did not acknowledge our FIN was
    /// "ignored" before queued data and the FIN (held back by a zero window) could go out.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_FourOctetBuffers_Seed5960781956446526468_ClosingSendsWhatAReopenedWindowAllows() =>
        Claims.AssertHolds(Claims.P08FourOctetBuffers, new Scenario(4294966394u, 4294966317u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Send(Side.B, 3),
                Ev.Duplicate(Side.A),
                Ev.Deliver(Side.A),
                Ev.Close(Side.A),
                Ev.Send(Side.B, 2),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.B),
                Ev.Close(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.Receive(Side.A, 1),
                Ev.Deliver(Side.B),
            ]));

    // ---------------------------------------------------------------- documented differences (normalised)

    /// <summary>Once EXCLUSION simultaneous-open-synack (RFC 9293 Appendix A.2); now POLICY repeated-synack-bad-ack,
    /// which model and reference both honour: compared like any other step.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc9293_Seed7506146884238760446_ASynAckRepeatingIrsWithABadAckIsReset() =>
        Claims.AssertHolds(Claims.P08Rfc9293, new Scenario(4294965382u, 4294966266u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.InjectSyn(Side.A, 2),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.B),
            ]));

    /// <summary>POLICY syn-reset-form: the reference forms the RFC 793 in-window SYN reset from the
    /// connection's variables.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc793_Seed5821043615836740186_TheInWindowSynResetFormIsAPolicy() =>
        Claims.AssertHolds(Claims.P08Rfc793, new Scenario(4294965368u, 4294966453u,
            [
                Ev.OpenPassive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.InjectSyn(Side.B, 1),
            ]));

    /// <summary>CONVENTION abort-rst-ack: RFC 9293 §3.10.5's ABORT reset has no ACK in the model.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc9293_Seed4840995355034810265_AbortResetsAreComparedOnSeqAndRstOnly() =>
        Claims.AssertHolds(Claims.P08Rfc9293, new Scenario(4294967032u, 4294966118u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Abort(Side.B),
            ]));

    /// <summary>Octets held out of order once shrank the model's window (see the P-08 four-octet-buffer model fix).</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc9293_Seed3978078825518723550_HeldOutOfOrderOctetsDoNotShrinkTheAnnouncedWindow() =>
        Claims.AssertHolds(Claims.P08Rfc9293, new Scenario(4294966347u, 4294966357u,
            [
                Ev.OpenActive(Side.A),
                Ev.OpenActive(Side.B),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Send(Side.B, 1),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Send(Side.B, 1),
                Ev.Reorder(Side.A),
            ]));

    /// <summary>An injected RST just beyond the right edge while octets are held out of order.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc9293_Seed3496268437036736900_OutsideTheWindowIsOutsideForBoth() =>
        Claims.AssertHolds(Claims.P08Rfc9293, new Scenario(4294966999u, 2147483647u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Duplicate(Side.B),
                Ev.Send(Side.A, 1),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.Send(Side.A, 1),
                Ev.Lose(Side.B),
                Ev.Deliver(Side.B),
                Ev.InjectRst(Side.B, 2),
            ]));

    /// <summary>RECEIVE in CLOSING with octets on hand: both models deliver them (RFC 9293 §3.6; issue 7 item 1, once
    /// excused as "receive-after-fin-states").</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc793_Seed5180500299247447712_ReceiveInClosingDeliversTheOctetsOnHand() =>
        Claims.AssertHolds(Claims.P08Rfc793, new Scenario(4294965727u, 4294966986u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Send(Side.A, 1),
                Ev.Deliver(Side.B),
                Ev.Close(Side.B),
                Ev.Deliver(Side.A),
                Ev.Close(Side.A),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.B),
                Ev.Receive(Side.B, 1),
            ]));

    /// <summary>RECEIVE after both FINs, then a SYN: the windows agree after the octets are read.</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc793_Seed6301490299416821519_AReceiveAfterBothFinsLeavesTheWindowsInAgreement() =>
        Claims.AssertHolds(Claims.P08Rfc793, new Scenario(4294967278u, 4294965884u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Send(Side.A, 1),
                Ev.Deliver(Side.A),
                Ev.Close(Side.B),
                Ev.Close(Side.A),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.B),
                Ev.Receive(Side.B, 64),
                Ev.InjectSyn(Side.B, 2),
            ]));

    // ---------------------------------------------------------------- property harness

    /// <summary>Harness: the differential TIME-WAIT expiry only ticks a side that is in TIME-WAIT (a tick
    /// 2 MSL later elsewhere fired R2).</summary>
    [Fact]
    [Trait("Property", "P-08")]
    public void P08_Rfc793_Seed7983079916144096741_TimeWaitExpiryTicksOnlyTheSideInTimeWait() =>
        Claims.AssertHolds(Claims.P08Rfc793, new Scenario(4294965679u, 4294966190u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Deliver(Side.B),
                Ev.Close(Side.A),
                Ev.Deliver(Side.B),
                Ev.Close(Side.B),
                Ev.Reorder(Side.A),
                Ev.TimeWaitExpires(Side.A),
                Ev.TimeWaitExpires(Side.B),
            ]));

    /// <summary>Harness: simultaneous close: both sides are active closers; each TIME-WAIT is timed on its own.</summary>
    [Fact]
    [Trait("Property", "P-06")]
    public void P06_Seed2712812516692560458_BothSidesOfASimultaneousCloseWaitTwoMsl() =>
        Claims.AssertHolds(Claims.P06, new Scenario(4294965605u, 4294966756u,
            [
                Ev.OpenPassive(Side.B),
                Ev.OpenActive(Side.A),
                Ev.Deliver(Side.B),
                Ev.Deliver(Side.A),
                Ev.Close(Side.A),
                Ev.Close(Side.B),
            ]));

    /// <summary>Harness: a 3-octet receive buffer: the fixtures must still reach CLOSE-WAIT and TIME-WAIT.</summary>
    [Fact]
    [Trait("Property", "P-01")]
    public void P01_Seed5240305544275165853_TinyBufferFixturesReachCloseWait() =>
        Claims.AssertHolds(Claims.P01, new SegmentAttack(TcpState.CloseWait, 4, true, 4294965670u, 4294965887u,
            [
                new SegSpec(SeqBase.RcvEdge, 0, SeqBase.Iss, 0, (Control)54, 65535, 0, 0, 0),
            ]));

    [Fact]
    [Trait("Property", "P-01")]
    public void P01_Seed8909468413854644076_TinyBufferFixturesReachTimeWait() =>
        Claims.AssertHolds(Claims.P01, new SegmentAttack(TcpState.TimeWait, 4, true, 4294966452u, 4294966068u,
            [
                new SegSpec(SeqBase.RcvNxt, 0, SeqBase.Absolute, 0, (Control)45, 65535, 0, 0, 0),
            ]));

    /// <summary>Harness: reset-on-close-with-unread-data: fixtures read before they CLOSE.</summary>
    [Fact]
    [Trait("Property", "P-01")]
    public void P01_Seed5097795086790774174_FixturesReadBeforeClosing() =>
        Claims.AssertHolds(Claims.P01, new SegmentAttack(TcpState.LastAck, 3, true, 4294966089u, 4294965467u,
            [
                SegSpec.Timer,
            ]));
}
