using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Spec;

/// <summary>
/// Canonical endpoints in every state, reached by driving a real <see cref="Endpoint"/> through
/// user calls and the peer's segments (never <see cref="Endpoint.Force"/>). Sequence numbers sit
/// near 2^32 so that the handshake and the data wrap: our ISS is 2^32 - 3 and the peer's ISS 2^32 - 5.
/// </summary>
internal static class StateFixtures
{
    public const uint Iss = 4294967293;
    public const uint PeerIss = 4294967291;

    private static readonly byte[] Hello = "hello"u8.ToArray();

    /// <summary>One named fixture: a recipe that builds a fresh endpoint in <see cref="State"/>.</summary>
    public sealed record Fixture(string Name, TcpState State, Func<Profile, Endpoint> Build)
    {
        public override string ToString() => Name;
    }

    public static readonly Fixture[] All =
    [
        new("closed", TcpState.Closed, p => New(p)),
        new("listen", TcpState.Listen, Listen),
        new("syn-sent", TcpState.SynSent, SynSent),
        new("syn-received (passive)", TcpState.SynReceived, SynReceivedPassive),
        new("syn-received (simultaneous)", TcpState.SynReceived, p => Arrive(SynSent(p), $"<SEQ={PeerIss}><CTL=SYN><WND=65535>", TcpState.SynReceived)),
        new("established (active)", TcpState.Established, Established),
        new("established (passive)", TcpState.Established, p => Arrive(SynReceivedPassive(p), $"<SEQ={Peer(1)}><ACK={Our(1)}><CTL=ACK><WND=65535>", TcpState.Established)),
        new("established (data in flight)", TcpState.Established, EstablishedWithData),
        new("established (data received)", TcpState.Established, p => Arrive(Established(p), $"<SEQ={Peer(1)}><ACK={Our(1)}><CTL=ACK><WND=65535><DATA=\"abc\">", TcpState.Established)),
        new("fin-wait-1", TcpState.FinWait1, FinWait1),
        new("fin-wait-1 (data in flight)", TcpState.FinWait1, p => User(EstablishedWithData(p), Input.Close, TcpState.FinWait1)),
        new("fin-wait-2", TcpState.FinWait2, FinWait2),
        new("close-wait", TcpState.CloseWait, CloseWait),
        new("closing", TcpState.Closing, Closing),
        new("last-ack", TcpState.LastAck, p => User(CloseWait(p), Input.Close, TcpState.LastAck)),
        new("time-wait (from fin-wait-2)", TcpState.TimeWait, p => Arrive(FinWait2(p), $"<SEQ={Peer(1)}><ACK={Our(2)}><CTL=FIN,ACK><WND=65535>", TcpState.TimeWait)),
        new("time-wait (from closing)", TcpState.TimeWait, p => Arrive(Closing(p), $"<SEQ={Peer(2)}><ACK={Our(2)}><CTL=ACK><WND=65535>", TcpState.TimeWait)),
    ];

    /// <summary>Our sequence number <paramref name="n"/> past ISS.</summary>
    public static uint Our(uint n) => unchecked(Iss + n);

    /// <summary>The peer's sequence number <paramref name="n"/> past its ISS.</summary>
    public static uint Peer(uint n) => unchecked(PeerIss + n);

    private static Endpoint New(Profile p) => new(p, new EndpointOptions { Isn = new FixedIsnSource(Iss) });

    private static Endpoint Listen(Profile p) => User(New(p), Input.OpenPassive(), TcpState.Listen);

    private static Endpoint SynSent(Profile p) => User(New(p), Input.OpenActive, TcpState.SynSent);

    private static Endpoint SynReceivedPassive(Profile p) => Arrive(Listen(p), $"<SEQ={PeerIss}><CTL=SYN><WND=65535>", TcpState.SynReceived);

    private static Endpoint Established(Profile p) =>
        Arrive(SynSent(p), $"<SEQ={PeerIss}><ACK={Our(1)}><CTL=SYN,ACK><WND=65535>", TcpState.Established);

    private static Endpoint EstablishedWithData(Profile p) => User(Established(p), Input.Send(Hello), TcpState.Established);

    private static Endpoint FinWait1(Profile p) => User(Established(p), Input.Close, TcpState.FinWait1);

    private static Endpoint FinWait2(Profile p) => Arrive(FinWait1(p), $"<SEQ={Peer(1)}><ACK={Our(2)}><CTL=ACK><WND=65535>", TcpState.FinWait2);

    private static Endpoint CloseWait(Profile p) => Arrive(Established(p), $"<SEQ={Peer(1)}><ACK={Our(1)}><CTL=FIN,ACK><WND=65535>", TcpState.CloseWait);

    private static Endpoint Closing(Profile p) => Arrive(FinWait1(p), $"<SEQ={Peer(1)}><ACK={Our(1)}><CTL=FIN,ACK><WND=65535>", TcpState.Closing);

    private static Endpoint User(Endpoint e, Input input, TcpState expected) => Step(e, input, expected, input.Call.ToString());

    private static Endpoint Arrive(Endpoint e, string segment, TcpState expected) => Step(e, Input.Arrive(Segment.Parse(segment)), expected, segment);

    private static Endpoint Step(Endpoint e, Input input, TcpState expected, string what)
    {
        var from = e.State;
        e.Step(input, 0, new Outbox());
        if (e.State != expected)
            throw new InvalidOperationException($"fixture: {what} in {from.RfcName()} led to {e.State.RfcName()}, expected {expected.RfcName()}");
        return e;
    }
}
