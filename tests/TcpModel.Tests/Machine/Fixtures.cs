using System.Text;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Machine;

/// <summary>
/// One canonical fixture per state (the smoltcp <c>socket_fin_wait_1()</c> idea), each reached by
/// driving a real <see cref="Endpoint"/> through real inputs — user calls and segments from a peer
/// that the test plays by hand — never by <see cref="Endpoint.Force"/>. Every segment the endpoint
/// sends on the way is asserted exactly, so the fixtures are tests of the path to their state too.
///
/// The numbers are chosen near 2^32 so that sequence arithmetic wraps in the tests:
/// <list type="table">
/// <item><term>our ISS</term><description>4294967200 (<see cref="OurIss"/>)</description></item>
/// <item><term>the peer's ISS</term><description>4294967000 (<see cref="PeerIss"/>), with MSS 1460 and WND 8192</description></item>
/// <item><term>our window</term><description>65535, the receive buffer of the rfc9293 profile</description></item>
/// <item><term>virtual time</term><description>the open is at 0 µs, the peer answers 10 ms later; RTO is then 1 s</description></item>
/// </list>
/// Canonical TCBs (SND.NXT / RCV.NXT as seen from us; the peer's SND.NXT is our RCV.NXT):
/// <list type="table">
/// <item><term>SYN-SENT</term><description>SND.UNA=ISS, SND.NXT=ISS+1</description></item>
/// <item><term>SYN-RECEIVED</term><description>SND.NXT=ISS+1, RCV.NXT=IRS+1 (passive by default)</description></item>
/// <item><term>ESTABLISHED</term><description>SND.NXT=ISS+1, RCV.NXT=IRS+1 (active open)</description></item>
/// <item><term>FIN-WAIT-1</term><description>our FIN at ISS+1 unacknowledged, SND.NXT=ISS+2, RCV.NXT=IRS+1</description></item>
/// <item><term>FIN-WAIT-2</term><description>our FIN acknowledged, SND.NXT=SND.UNA=ISS+2, RCV.NXT=IRS+1</description></item>
/// <item><term>CLOSE-WAIT</term><description>SND.NXT=ISS+1, the peer's FIN at IRS+1 received, RCV.NXT=IRS+2</description></item>
/// <item><term>CLOSING</term><description>our FIN at ISS+1 unacknowledged, SND.NXT=ISS+2, RCV.NXT=IRS+2</description></item>
/// <item><term>LAST-ACK</term><description>our FIN at ISS+1 unacknowledged, SND.NXT=ISS+2, RCV.NXT=IRS+2</description></item>
/// <item><term>TIME-WAIT</term><description>SND.NXT=SND.UNA=ISS+2, RCV.NXT=IRS+2, 2MSL timer running</description></item>
/// </list>
/// </summary>
internal static class Fixtures
{
    /// <summary>Our initial send sequence number: 96 below 2^32.</summary>
    public const uint OurIss = 4294967200;

    /// <summary>The peer's initial sequence number: 296 below 2^32.</summary>
    public const uint PeerIss = 4294967000;

    /// <summary>The window the peer advertises.</summary>
    public const ushort PeerWnd = 8192;

    /// <summary>The window we advertise with an empty receive buffer (rfc9293 profile).</summary>
    public const ushort OurWnd = 65535;

    /// <summary>How long the hand-played peer takes to answer (µs).</summary>
    public const long PeerDelay = 10_000;

    /// <summary>One second of virtual time (µs).</summary>
    public const long Second = 1_000_000;

    public static SeqNum Iss => new(OurIss);
    public static SeqNum Irs => new(PeerIss);

    /// <summary>CLOSED: a fresh endpoint.</summary>
    public static Conn Closed(Profile? profile = null, EndpointOptions? options = null) =>
        new(new Endpoint(profile ?? Profile.Rfc9293, options ?? new EndpointOptions { Isn = new FixedIsnSource(OurIss) }));

    /// <summary>LISTEN: passive OPEN (remote socket unspecified unless asked).</summary>
    public static Conn Listen(Profile? profile = null, bool remoteSpecified = false, EndpointOptions? options = null)
    {
        var c = Closed(profile, options);
        AssertSent(c.User(Input.OpenPassive(remoteSpecified)));
        Assert.Equal(TcpState.Listen, c.State);
        return c;
    }

    /// <summary>SYN-SENT: active OPEN; our SYN is outstanding.</summary>
    public static Conn SynSent(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = Closed(profile, options);
        AssertSent(c.User(Input.OpenActive), $"<SEQ={Iss}><CTL=SYN><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynSent, c.State);
        c.OurNxt = Iss + 1;
        return c;
    }

    /// <summary>SYN-RECEIVED from LISTEN: the peer's SYN arrived and our SYN,ACK is outstanding.</summary>
    public static Conn SynReceived(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = Listen(profile, options: options);
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        c.OurNxt = Iss + 1;
        c.PeerNxt = Irs + 1;
        return c;
    }

    /// <summary>SYN-RECEIVED from SYN-SENT (simultaneous open, Figure 7): the peer's SYN crossed ours.</summary>
    public static Conn SynReceivedFromSynSent(Profile? profile = null)
    {
        var c = SynSent(profile);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs}><CTL=SYN><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss}><ACK={Irs + 1}><CTL=SYN,ACK><WND={OurWnd}><OPT=MSS:1460>");
        Assert.Equal(TcpState.SynReceived, c.State);
        c.PeerNxt = Irs + 1;
        return c;
    }

    /// <summary>ESTABLISHED by an active open: SYN, then the peer's SYN,ACK 10 ms later, then our ACK.</summary>
    public static Conn Established(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = SynSent(profile, options);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs}><ACK={Iss + 1}><CTL=SYN,ACK><WND={PeerWnd}><OPT=MSS:1460>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Established, c.State);
        c.PeerNxt = Irs + 1;
        c.CheckTcb(una: Iss + 1, nxt: Iss + 1, rcvNxt: Irs + 1);
        return c;
    }

    /// <summary>FIN-WAIT-1: CLOSE in ESTABLISHED; our FIN at ISS+1 is outstanding.</summary>
    public static Conn FinWait1(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = Established(profile, options);
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 1}><ACK={Irs + 1}><CTL=FIN,ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.FinWait1, c.State);
        c.OurNxt = Iss + 2;
        c.CheckTcb(una: Iss + 1, nxt: Iss + 2, rcvNxt: Irs + 1);
        return c;
    }

    /// <summary>FIN-WAIT-2: the peer acknowledged our FIN 10 ms later.</summary>
    public static Conn FinWait2(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = FinWait1(profile, options);
        c.Now += PeerDelay;
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(TcpState.FinWait2, c.State);
        c.CheckTcb(una: Iss + 2, nxt: Iss + 2, rcvNxt: Irs + 1);
        return c;
    }

    /// <summary>CLOSE-WAIT: the peer's FIN at IRS+1 arrived in ESTABLISHED and was acknowledged.</summary>
    public static Conn CloseWait(Profile? profile = null)
    {
        var c = Established(profile);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.CloseWait, c.State);
        c.PeerNxt = Irs + 2;
        c.CheckTcb(una: Iss + 1, nxt: Iss + 1, rcvNxt: Irs + 2);
        return c;
    }

    /// <summary>CLOSING: in FIN-WAIT-1 the peer's FIN arrived without acknowledging ours (simultaneous close).</summary>
    public static Conn Closing(Profile? profile = null)
    {
        var c = FinWait1(profile);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 2}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.Closing, c.State);
        c.PeerNxt = Irs + 2;
        c.CheckTcb(una: Iss + 1, nxt: Iss + 2, rcvNxt: Irs + 2);
        return c;
    }

    /// <summary>LAST-ACK: CLOSE in CLOSE-WAIT; our FIN at ISS+1 is outstanding.</summary>
    public static Conn LastAck(Profile? profile = null)
    {
        var c = CloseWait(profile);
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 1}><ACK={Irs + 2}><CTL=FIN,ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.LastAck, c.State);
        c.OurNxt = Iss + 2;
        c.CheckTcb(una: Iss + 1, nxt: Iss + 2, rcvNxt: Irs + 2);
        return c;
    }

    /// <summary>TIME-WAIT: in FIN-WAIT-2 the peer's FIN arrived and was acknowledged; the 2MSL timer
    /// runs from <see cref="Conn.Now"/>.</summary>
    public static Conn TimeWait(Profile? profile = null, EndpointOptions? options = null)
    {
        var c = FinWait2(profile, options);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}>"),
            $"<SEQ={Iss + 2}><ACK={Irs + 2}><CTL=ACK><WND={OurWnd}>");
        Assert.Equal(TcpState.TimeWait, c.State);
        c.PeerNxt = Irs + 2;
        c.CheckTcb(una: Iss + 2, nxt: Iss + 2, rcvNxt: Irs + 2);
        return c;
    }

    /// <summary>
    /// Asserts the exact segments sent, in order, and that nothing else was sent. Each expectation
    /// is RFC notation; it is compared with the segment's full notation when it gives a WND, and
    /// with the figure-style notation (<see cref="Segment.ToShortString"/>) when it does not.
    /// </summary>
    public static void AssertSent(IReadOnlyList<Segment> sent, params string[] rfcNotation)
    {
        var actual = sent.Select((s, i) =>
            i < rfcNotation.Length && !rfcNotation[i].Contains("<WND=", StringComparison.Ordinal) ? s.ToShortString() : s.ToString()).ToArray();
        Assert.Equal(rfcNotation, actual);
    }

    /// <summary>As <see cref="AssertSent(IReadOnlyList{Segment}, string[])"/>, reading an outbox.</summary>
    public static void AssertSent(Outbox outbox, params string[] rfcNotation) =>
        AssertSent(outbox.Segments.ToArray(), rfcNotation);

    /// <summary>
    /// Asserts which cell the last step fired first: the state it was in, the trigger the classifier
    /// produced and the guard alternative that held (none: the unguarded cell). The cell must also be a
    /// row of the declared table, so a test naming a cell that does not exist fails.
    /// </summary>
    public static void AssertFired(Conn c, TcpState state, Trigger trigger, Guard guard1 = Guard.None, Guard guard2 = Guard.None)
    {
        var want = new CellKey(state, trigger, guard1, guard2);
        Assert.True(TransitionTable.Declared.Facts.ContainsKey(want), $"{state.RfcName()} × {trigger} [{want.GuardText}] is not a declared cell");
        Assert.True(c.Fired.Count > 0, $"the step fired no cell; expected {state.RfcName()} × {trigger} [{want.GuardText}]");
        var got = c.Fired[0];
        Assert.True(got == want, $"fired {got.State.RfcName()} × {got.Trigger} [{got.GuardText}], expected {state.RfcName()} × {trigger} [{want.GuardText}]" +
                                 (c.Fired.Count > 1 ? $" (then {string.Join(", ", c.Fired.Skip(1).Select(k => $"{k.State.RfcName()} × {k.Trigger} [{k.GuardText}]"))})" : ""));
    }

    /// <summary>Asserts the notices of the last step, in order, and nothing else.</summary>
    public static void AssertNotices(Conn c, params Notice[] expected) => Assert.Equal(expected, c.Notices);

    /// <summary>A test profile: rfc9293 with changes.</summary>
    public static Profile With(Func<Profile, Profile> change) => change(Profile.Rfc9293);

    /// <summary>ASCII octets.</summary>
    public static byte[] Bytes(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>n octets of filler.</summary>
    public static string Text(int n) => new('x', n);
}

/// <summary>
/// An endpoint under test with its virtual clock and the sequence variables of the hand-played
/// peer: <see cref="PeerNxt"/> is the peer's SND.NXT (what it sends next, our RCV.NXT) and
/// <see cref="OurNxt"/> is the peer's RCV.NXT (what it acknowledges, our SND.NXT). These are the
/// fixture's documented values, not read back from the model.
/// </summary>
internal sealed class Conn(Endpoint endpoint)
{
    private readonly Outbox _out = new();

    public Endpoint Endpoint { get; } = endpoint;
    public long Now { get; set; }
    public SeqNum PeerNxt { get; set; }
    public SeqNum OurNxt { get; set; }
    public TcpState State => Endpoint.State;
    public Tcb Tcb => Endpoint.Tcb;

    /// <summary>The notices of the last step.</summary>
    public Notice[] Notices { get; private set; } = [];

    /// <summary>The trigger of the first cell the last step fired.</summary>
    public Trigger? FirstTrigger { get; private set; }

    /// <summary>The cells the last step fired, in order (a segment can go through several checks).</summary>
    public IReadOnlyList<CellKey> Fired { get; private set; } = [];

    /// <summary>Octets the last RECEIVE delivered.</summary>
    public byte[] Delivered { get; private set; } = [];

    /// <summary>Octets the last SEND accepted.</summary>
    public int Accepted => _out.Accepted;

    /// <summary>Steps the endpoint at <see cref="Now"/> and returns copies of what it sent.</summary>
    public IReadOnlyList<Segment> Step(in Input input)
    {
        Endpoint.Step(input, Now, _out);
        Notices = _out.Notices.ToArray();
        FirstTrigger = _out.FiredCount > 0 ? _out.Fired[0].Cell.Key.Trigger : null;
        Fired = [.. _out.Fired.ToArray().Select(f => f.Cell.Key)];
        var sent = new List<Segment>(_out.SegmentCount);
        foreach (var s in _out.Segments) sent.Add(s.WithPayload(s.Payload.ToArray()));
        return sent;
    }

    /// <summary>SEGMENT ARRIVES, with the segment in RFC notation.</summary>
    public IReadOnlyList<Segment> Arrive(string notation) => Step(Input.Arrive(Segment.Parse(notation)));

    /// <summary>A user call.</summary>
    public IReadOnlyList<Segment> User(in Input call) => Step(call);

    /// <summary>SEND of ASCII text.</summary>
    public IReadOnlyList<Segment> Send(string text) => Step(Input.Send(Fixtures.Bytes(text)));

    /// <summary>RECEIVE into a buffer of <paramref name="size"/> octets; <see cref="Delivered"/> holds the result.</summary>
    public IReadOnlyList<Segment> Receive(int size = 65536)
    {
        var buffer = new byte[size];
        var sent = Step(Input.Receive(buffer));
        Delivered = buffer[.._out.Received];
        return sent;
    }

    /// <summary>Moves the clock to <paramref name="at"/> and fires due timers.</summary>
    public IReadOnlyList<Segment> TickAt(long at)
    {
        Assert.True(at >= Now, "time only moves forward");
        Now = at;
        return Step(Input.Tick);
    }

    /// <summary>Moves the clock to the endpoint's next deadline and fires it.</summary>
    public IReadOnlyList<Segment> FireNextTimer()
    {
        Assert.NotEqual(TimerSet.Off, Endpoint.NextDeadline);
        return TickAt(Endpoint.NextDeadline);
    }

    /// <summary>The deadline of one timer.</summary>
    public long Deadline(TimerKind kind) => Tcb.Timers.Get(kind);

    /// <summary>Checks the fixture's documented sequence variables against the TCB.</summary>
    public void CheckTcb(SeqNum una, SeqNum nxt, SeqNum rcvNxt)
    {
        Assert.Equal(una, Tcb.SndUna);
        Assert.Equal(nxt, Tcb.SndNxt);
        Assert.Equal(rcvNxt, Tcb.RcvNxt);
        Assert.Equal(Fixtures.Iss, Tcb.Iss);
    }
}
