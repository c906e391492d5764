// Use TcpModel from your own tests: two endpoints of the model, the test playing the network.
// This file is the README's "Use it from your tests" example; a test builds it against the packed
// TcpModel package, so the README cannot drift from the published API.
using TcpModel.Machine;
using TcpModel.Wire;

var client = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(100) });
var server = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(300) });
var outbox = new Outbox();
long now = 0; // virtual time in microseconds: the model never reads a clock

// Hand every segment one side emits to the other side, until nothing is in flight.
void Deliver(Endpoint from, Endpoint to)
{
    var inFlight = outbox.Segments.ToArray();
    outbox.Clear();
    foreach (var segment in inFlight)
    {
        Console.WriteLine($"{(from == client ? "client -->" : "server -->")} {segment}");
        to.Step(Input.Arrive(segment), now += 10_000, outbox);
        if (outbox.SegmentCount > 0) Deliver(to, from);
    }
}

server.Step(Input.OpenPassive(), now, outbox);              // LISTEN
client.Step(Input.OpenActive, now, outbox);                 // SYN seq=x
Deliver(client, server);                                    // SYN,ACK seq=y ack=x+1; ACK seq=x+1 ack=y+1

Check(client.State == TcpState.Established && server.State == TcpState.Established, "handshake completes");
Check(client.View.SndNxt == new SeqNum(101) && server.View.RcvNxt == new SeqNum(101), "the SYN occupies one sequence number");

client.Step(Input.Close, now, outbox);                      // FIN
Deliver(client, server);
Check(client.State == TcpState.FinWait2 && server.State == TcpState.CloseWait, "half-close: FIN-WAIT-2 / CLOSE-WAIT");
Console.WriteLine($"client {client.State}, server {server.State}");

static void Check(bool condition, string claim)
{
    if (!condition) throw new InvalidOperationException("expected: " + claim);
    Console.WriteLine("ok: " + claim);
}
