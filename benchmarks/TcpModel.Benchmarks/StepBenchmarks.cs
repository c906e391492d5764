using BenchmarkDotNet.Attributes;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Benchmarks;

/// <summary>
/// <see cref="Endpoint.Step"/> on the hot paths of RFC 9293 §3.10.7.4 and on whole exchanges. Endpoints
/// and outboxes are built in <see cref="Setup"/>; every operation starts from the same state, so the
/// numbers are steady-state costs. Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private const long Now = Fixtures.Now;

    private Endpoint _ackServer = null!, _dataServer = null!, _rstServer = null!;
    private Endpoint _hsClient = null!, _hsServer = null!;
    private Endpoint _relA = null!, _relB = null!;
    private Tcb _relTemplateA = null!, _relTemplateB = null!;
    private Action<Tcb, Tcb> _copyTcb = null!;
    private Profile _challengeProfile = null!;
    private Segment _pureAck, _inWindowRst;
    private byte[] _payload = null!, _readBuffer = null!;
    private Outbox _out = null!, _outA = null!, _outB = null!;

    /// <summary>The outbox of the single-endpoint benchmarks (for the smoke test).</summary>
    public Outbox Out => _out;
    /// <summary>The outboxes of the two-endpoint benchmarks: client/A and server/B.</summary>
    public (Outbox A, Outbox B) PairOut => (_outA, _outB);
    /// <summary>The endpoints of each benchmark (for the smoke test).</summary>
    public (Endpoint Ack, Endpoint Data, Endpoint Rst, Endpoint HsClient, Endpoint HsServer, Endpoint RelA, Endpoint RelB) Endpoints =>
        (_ackServer, _dataServer, _rstServer, _hsClient, _hsServer, _relA, _relB);

    [GlobalSetup]
    public void Setup()
    {
        _out = new Outbox();
        _outA = new Outbox();
        _outB = new Outbox();
        _payload = new byte[100];
        for (int i = 0; i < _payload.Length; i++) _payload[i] = (byte)('a' + i % 26);
        _readBuffer = new byte[_payload.Length];

        // (a) A duplicate ACK carrying a window update: SEG.ACK = SND.UNA = SND.NXT, at RCV.NXT.
        // §3.10.7.4 fifth: "If SEG.ACK =< SND.UNA ... it can be ignored"; "If SND.UNA =< SEG.ACK =< SND.NXT,
        // the send window should be updated" — SND.WL1/WL2 equal the segment's, so it is every time.
        _ackServer = Fixtures.Established(Profile.Rfc9293).Server;
        _pureAck = new Segment(_ackServer.Tcb.RcvNxt, _ackServer.Tcb.SndNxt, Control.ACK, 65535);

        _dataServer = Fixtures.Established(Profile.Rfc9293).Server;

        // (e) RFC 5961 §3.2: an RST in the window but not at RCV.NXT gets a challenge ACK; the §7 throttle
        // is switched off so that every RST is answered.
        _challengeProfile = Profile.Rfc9293 with { ChallengeAckLimitPerSecond = 0 };
        _rstServer = Fixtures.Established(_challengeProfile).Server;
        _inWindowRst = new Segment(_rstServer.Tcb.RcvNxt + new SeqLen(1), default, Control.RST);

        _hsClient = new Endpoint(Profile.Rfc9293, Fixtures.ClientOptions);
        _hsServer = new Endpoint(Profile.Rfc9293, Fixtures.ServerOptions);

        // (d) The release starts from the state a real handshake left; each op copies it back in.
        (_relA, _relB) = Fixtures.Established(Profile.Rfc9293);
        (var tA, var tB) = Fixtures.Established(Profile.Rfc9293);
        (_relTemplateA, _relTemplateB) = (tA.Tcb, tB.Tcb);
        _copyTcb = Fixtures.TcbCopier();
    }

    /// <summary>(a) A pure ACK in ESTABLISHED: acknowledges nothing new, updates the window, sends nothing.</summary>
    [Benchmark]
    public int PureAck()
    {
        _ackServer.Step(Input.Arrive(_pureAck), Now, _out);
        return _out.SegmentCount;
    }

    /// <summary>(b) An in-order data segment in ESTABLISHED, the ACK it causes, and a RECEIVE that reads it.</summary>
    /// <remarks>The RECEIVE is part of the operation (rather than a large buffer reset now and then) so that
    /// every operation sees the same state: an empty receive queue, the full window, the same work. The
    /// 100-octet read does not open the window by min(RCV.BUFF/2, MSS), so it sends no window update
    /// (§3.8.6.2.2); the data segment is the peer's next one, at the endpoint's RCV.NXT.</remarks>
    [Benchmark]
    public int InOrderData()
    {
        _dataServer.Step(Input.Arrive(Fixtures.DataAt(_dataServer.Tcb, _payload)), Now, _out);
        int acks = _out.SegmentCount;
        _dataServer.Step(Input.Receive(_readBuffer), Now, _out);
        return acks + _out.Received;
    }

    /// <summary>(c) The three-way handshake between two new endpoints (the allocation is the endpoints').</summary>
    [Benchmark]
    public TcpState HandshakeFreshEndpoints()
    {
        var client = new Endpoint(Profile.Rfc9293, Fixtures.ClientOptions);
        var server = new Endpoint(Profile.Rfc9293, Fixtures.ServerOptions);
        Fixtures.Handshake(client, server, _outA, _outB, Now);
        return server.State;
    }

    /// <summary>(c') The same handshake on two endpoints reused from the previous operation: forced back to
    /// CLOSED, where OPEN creates the TCB afresh (§3.10.1).</summary>
    [Benchmark]
    public TcpState HandshakeReusedEndpoints()
    {
        _hsClient.Force(TcpState.Closed);
        _hsServer.Force(TcpState.Closed);
        Fixtures.Handshake(_hsClient, _hsServer, _outA, _outB, Now);
        return _hsServer.State;
    }

    /// <summary>(d) Release, RFC 9293 Figure 12 order: A closes, B acknowledges, B closes, A acknowledges,
    /// and A's TIME-WAIT expires at now + 2MSL. Four segments, seven steps, plus copying the ESTABLISHED
    /// TCBs back in.</summary>
    [Benchmark]
    public TcpState Release()
    {
        Endpoint a = _relA, b = _relB;
        Outbox ao = _outA, bo = _outB;
        _copyTcb(_relTemplateA, a.Tcb);
        _copyTcb(_relTemplateB, b.Tcb);
        a.Force(TcpState.Established);
        b.Force(TcpState.Established);
        a.Step(Input.Close, Now, ao);                    // <FIN,ACK>   A: FIN-WAIT-1
        b.Step(Input.Arrive(ao.Segments[0]), Now, bo);   // <ACK>       B: CLOSE-WAIT
        a.Step(Input.Arrive(bo.Segments[0]), Now, ao);   //             A: FIN-WAIT-2
        b.Step(Input.Close, Now, bo);                    // <FIN,ACK>   B: LAST-ACK
        a.Step(Input.Arrive(bo.Segments[0]), Now, ao);   // <ACK>       A: TIME-WAIT
        b.Step(Input.Arrive(ao.Segments[0]), Now, bo);   //             B: CLOSED
        a.Step(Input.Tick, Now + 2 * a.Profile.Msl, ao); //             A: CLOSED
        return a.State;
    }

    /// <summary>(e) A challenge ACK for an in-window RST not at RCV.NXT (rfc9293, throttle off).</summary>
    [Benchmark]
    public int ChallengeAck()
    {
        _rstServer.Step(Input.Arrive(_inWindowRst), Now, _out);
        return _out.SegmentCount;
    }
}
