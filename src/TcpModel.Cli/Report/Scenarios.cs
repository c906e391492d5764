using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Cli.Report;

/// <summary>
/// The step-through's named scenarios, each a script of user calls, deliveries, losses and timer
/// expiries run on two model endpoints (A with ISS x, B with ISS y). Everything shown comes from
/// the model's own steps.
/// </summary>
internal static class Scenarios
{
    private const uint X = 100, Y = 300;

    public static IReadOnlyList<ScenarioView> All(Profile profile) =>
    [
        Classic(profile),
        SimultaneousOpen(profile),
        SimultaneousClose(profile),
        HalfClose(profile),
        ConnectionRefused(profile),
        HalfOpenDiscovery(profile),
        OldDuplicateSyn(profile),
        TimeWaitReopening(profile),
    ];

    private static StepRecorder New(Profile p, uint issA = X, uint issB = Y) => new(p, issA, issB);

    /// <summary>Delivers what is in flight until nothing is, or for at most 40 deliveries (two endpoints
    /// that both answer every ACK in TIME-WAIT, POLICY time-wait-ack-rule every-ack, never fall silent).</summary>
    private static void Drain(StepRecorder r)
    {
        for (int i = 0; i < 40 && r.InFlight > 0; i++) r.Deliver();
    }

    private static void Handshake(StepRecorder r)
    {
        r.User('B', Input.OpenPassive(), "OPEN (passive)");
        r.User('A', Input.OpenActive, "OPEN (active)", "SYN seq=x");
        r.Deliver("B answers SYN,ACK seq=y ack=x+1");
        r.Deliver("A completes with ACK seq=x+1 ack=y+1");
        r.Deliver("the handshake is complete");
    }

    private static ScenarioView Classic(Profile p)
    {
        var r = New(p);
        Handshake(r);
        r.User('A', Input.Send(Encoding.ASCII.GetBytes("hello")), "SEND \"hello\"");
        Drain(r);
        r.User('B', Input.Receive(new byte[64]), "RECEIVE");
        Drain(r);
        r.User('A', Input.Close, "CLOSE", "A closes first: FIN");
        r.Deliver("B acknowledges the FIN; its user hears \"connection closing\"");
        r.Deliver();
        r.User('B', Input.Close, "CLOSE", "B closes: FIN");
        r.Deliver("A enters TIME-WAIT and sends the last ACK");
        r.Lose("the last ACK is lost: B cannot know its FIN arrived");
        r.Timer('B', "B retransmits its FIN (RFC 6298 §5.4)");
        r.Deliver("TIME-WAIT acknowledges the FIN again and restarts the 2MSL timer");
        r.Deliver("B's FIN is acknowledged: B deletes its TCB");
        r.Timer('A', "2MSL after the last FIN, TIME-WAIT ends");
        return new("classic", "The classic walk-through: handshake, data, release, a lost last ACK",
            "Why TIME-WAIT waits: the side that closes first cannot know whether its last ACK arrived. When it is lost, the peer retransmits its FIN, and only an endpoint still in TIME-WAIT can answer it with the ACK the peer needs.",
            r.Steps);
    }

    private static ScenarioView SimultaneousOpen(Profile p)
    {
        var r = New(p);
        r.User('A', Input.OpenActive, "OPEN (active)");
        r.User('B', Input.OpenActive, "OPEN (active)", "both SYNs cross in the network");
        Drain(r);
        return new("simultaneous-open", "Simultaneous open (RFC 9293 Figure 7)",
            "Both sides send a SYN; each answers the other's SYN with SYN,ACK from SYN-RECEIVED (MUST-10).", r.Steps);
    }

    private static ScenarioView SimultaneousClose(Profile p)
    {
        var r = New(p);
        Handshake(r);
        r.User('A', Input.Close, "CLOSE");
        r.User('B', Input.Close, "CLOSE", "both FINs cross");
        Drain(r);
        r.Timer('A', "2MSL passes");
        r.Timer('B', "2MSL passes");
        return new("simultaneous-close", "Simultaneous close (RFC 9293 Figure 13)",
            "Both sides CLOSE at once: FIN-WAIT-1, then CLOSING on the other's FIN, then TIME-WAIT on the ACK of their own FIN.", r.Steps);
    }

    private static ScenarioView HalfClose(Profile p)
    {
        var r = New(p);
        Handshake(r);
        r.User('A', Input.Close, "CLOSE", "A is done sending; it can still receive");
        Drain(r);
        r.User('B', Input.Send(Encoding.ASCII.GetBytes("response")), "SEND \"response\"", "B, in CLOSE-WAIT, still sends");
        Drain(r);
        r.User('A', Input.Receive(new byte[64]), "RECEIVE", "A, in FIN-WAIT-2, reads it");
        Drain(r);
        r.User('B', Input.Close, "CLOSE");
        Drain(r);
        r.Timer('A', "2MSL passes");
        return new("half-close", "Half-close: data keeps flowing the other way",
            "\"The user who CLOSEs may continue to RECEIVE until the TCP receiver is told that the remote peer has CLOSED also\" (RFC 9293 §3.6).", r.Steps);
    }

    private static ScenarioView ConnectionRefused(Profile p)
    {
        var r = New(p);
        r.User('A', Input.OpenActive, "OPEN (active)", "nobody listens at B");
        r.Deliver("a CLOSED endpoint answers with a reset that acknowledges the SYN");
        r.Deliver("A's user hears \"connection refused\"");
        return new("connection-refused", "Connection refused: a SYN to a port nobody listens on",
            "A segment that arrives at a CLOSED endpoint gets a reset (RFC 9293 §3.10.7.1); in SYN-SENT an acceptable reset means the connection is refused.", r.Steps);
    }

    private static ScenarioView HalfOpenDiscovery(Profile p)
    {
        var r = New(p, X, Y);
        Handshake(r);
        r.Crash('A', X + 300, "A crashes and loses its TCB; B still believes the connection is open");
        r.User('A', Input.OpenActive, "OPEN (active)", "A, restarted, opens again from the same port");
        Drain(r);
        return new("half-open-discovery", "Half-open connection discovery (RFC 9293 Figure 9)",
            "B answers the unexpected SYN with an ACK showing what it expects; A, in SYN-SENT, resets the old connection with that ACK's number.", r.Steps);
    }

    private static ScenarioView OldDuplicateSyn(Profile p)
    {
        var r = New(p);
        r.User('B', Input.OpenPassive(), "OPEN (passive)");
        r.User('A', Input.OpenActive, "OPEN (active)");
        r.Hold("A's SYN is delayed in the network");
        r.Inject('B', new Segment(new SeqNum(90), default, Control.SYN, 65535), "an old duplicate SYN seq=90", "from an earlier incarnation");
        r.Deliver("A sees a SYN,ACK for a SYN it never sent: it answers with a reset");
        r.Deliver("B, which came from LISTEN, returns to LISTEN");
        r.Release("A's real SYN arrives");
        Drain(r);
        return new("old-duplicate-syn", "Recovery from an old duplicate SYN (RFC 9293 Figure 8)",
            "An old SYN reaches B first; A's reset sends B back to LISTEN, and the real handshake then completes.", r.Steps);
    }

    private static ScenarioView TimeWaitReopening(Profile p)
    {
        var r = new StepRecorder(p, X, Y, isnA: [X, X + 100_000]);
        Handshake(r);
        r.User('B', Input.Close, "CLOSE", "the server closes first and so will hold TIME-WAIT");
        Drain(r);
        r.User('A', Input.Close, "CLOSE");
        Drain(r);
        r.User('A', Input.OpenActive, "OPEN (active)", "the client reconnects from the same port, with an ISS above the old connection's");
        Drain(r);
        return new("time-wait-reopening", "TIME-WAIT reopened by a new SYN (RFC 9293 §3.6.1, MAY-2)",
            p.ReopenFromTimeWait
                ? "A SYN above RCV.NXT may reopen a connection in TIME-WAIT (POLICY time-wait-reopen is on in this profile)."
                : "This profile does not reopen TIME-WAIT (POLICY time-wait-reopen is off): the SYN gets the synchronized-state answer.",
            r.Steps);
    }
}
