using System.Linq.Expressions;
using System.Reflection;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Benchmarks;

/// <summary>Endpoints brought to a state by real steps (never by hand-set sequence variables), and a
/// TCB copier to put an endpoint back into a state it was once in.</summary>
public static class Fixtures
{
    /// <summary>The virtual time of every step (µs).</summary>
    public const long Now = 1_000_000;

    /// <summary>Client ISS, near 2^32 so the benchmarks cross the wrap.</summary>
    public const uint ClientIss = 4_294_967_000;

    /// <summary>Server ISS, near 2^32.</summary>
    public const uint ServerIss = 4_294_966_000;

    /// <summary>Options giving the client its fixed ISS (the source repeats its value, so it can be shared).</summary>
    public static EndpointOptions ClientOptions { get; } = new() { Isn = new FixedIsnSource(ClientIss) };

    /// <summary>Options giving the server its fixed ISS.</summary>
    public static EndpointOptions ServerOptions { get; } = new() { Isn = new FixedIsnSource(ServerIss) };

    /// <summary>RFC 9293 Figure 6, three segments: passive OPEN on the server, active OPEN on the client,
    /// &lt;SYN&gt;, &lt;SYN,ACK&gt;, &lt;ACK&gt;. Both endpoints must be in CLOSED.</summary>
    public static void Handshake(Endpoint client, Endpoint server, Outbox co, Outbox so, long now)
    {
        server.Step(Input.OpenPassive(), now, so);          // LISTEN
        client.Step(Input.OpenActive, now, co);             // <SEQ=ISS><CTL=SYN>               SYN-SENT
        server.Step(Input.Arrive(co.Segments[0]), now, so); // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> SYN-RECEIVED
        client.Step(Input.Arrive(so.Segments[0]), now, co); // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> ESTABLISHED
        server.Step(Input.Arrive(co.Segments[0]), now, so); //                                  ESTABLISHED
    }

    /// <summary>A client and server in ESTABLISHED after a real handshake.</summary>
    public static (Endpoint Client, Endpoint Server) Established(Profile profile)
    {
        var client = new Endpoint(profile, ClientOptions);
        var server = new Endpoint(profile, ServerOptions);
        Handshake(client, server, new Outbox(), new Outbox(), Now);
        if (client.State != TcpState.Established || server.State != TcpState.Established)
            throw new InvalidOperationException($"handshake ended in {client.State}/{server.State}");
        return (client, server);
    }

    /// <summary>Builds a copier of every assignable field of <see cref="Tcb"/> (the sequence variables,
    /// flags, timers; not the queues, which are readonly references and must be empty in the source).
    /// Built from the field list so a field added to the TCB is copied too.</summary>
    public static Action<Tcb, Tcb> TcbCopier()
    {
        var from = Expression.Parameter(typeof(Tcb), "from");
        var to = Expression.Parameter(typeof(Tcb), "to");
        var assigns = typeof(Tcb).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(f => !f.IsInitOnly)
            .Select(f => (Expression)Expression.Assign(Expression.Field(to, f), Expression.Field(from, f)))
            .ToArray();
        return Expression.Lambda<Action<Tcb, Tcb>>(Expression.Block(assigns), from, to).Compile();
    }

    /// <summary>A data segment from the peer at RCV.NXT acknowledging everything we sent.</summary>
    public static Segment DataAt(Tcb receiver, ReadOnlyMemory<byte> payload) =>
        new(receiver.RcvNxt, receiver.SndNxt, Control.ACK | Control.PSH, 65535, payload);
}
