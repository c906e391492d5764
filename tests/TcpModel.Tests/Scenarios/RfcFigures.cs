using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Scenarios;

/// <summary>
/// RFC 9293 Figures 6–13 (§3.5, §3.6) played by two model endpoints on the <see cref="Simulator"/>,
/// clocked with a 10 ms one-way latency: every segment either side sends, in order, with the sender's
/// state after sending, and nothing else. Segments are compared in figure notation (no WND), with the
/// MSS option the model puts on every SYN. ISS 100 for A and 300 for B as in the figures.
/// </summary>
public sealed class RfcFigures
{
    private const long Second = 1_000_000;
    private const long TwoMsl = 240 * Second;
    private const long Latency = 10_000;

    private static Endpoint Tcp(params uint[] isn) => new(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(isn) });

    private static Simulator Clocked(Endpoint a, Endpoint b, Func<SegmentSent, bool>? lose = null) =>
        new(a, b, Latency) { Lose = lose };

    /// <summary>The segments sent from run record <paramref name="from"/> on, as "side/state: segment".</summary>
    private static string[] Sent(Simulator p, int from = 0) =>
        p.Rows.Skip(from).Where(r => r.Event == "sends")
            .Select(r => $"{r.Side}/{(r.Side == Side.A ? r.A : r.B).RfcName()}: {r.Segment!.Value.ToShortString()}"
                         + (r.SentAndLost ? " (lost)" : ""))
            .ToArray();

    private static void AssertSent(Simulator p, int from, params string[] expected)
    {
        Assert.True(p.Failure is null, p.Ladder);
        Assert.True(expected.SequenceEqual(Sent(p, from)),
            $"expected:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", expected)}{Environment.NewLine}"
            + $"ladder:{Environment.NewLine}{p.Ladder}");
    }

    /// <summary>B ESTABLISHED with SND.NXT=300 and RCV.NXT=100, reached through a real handshake
    /// with a peer played by hand (whose TCB then "crashes").</summary>
    private static Endpoint EstablishedAt300And100(params uint[] laterIsns)
    {
        var b = Tcp([299, .. laterIsns]);
        var o = new Outbox();
        b.Step(Input.OpenPassive(), 0, o);
        b.Step(Input.Arrive(Segment.Parse("<SEQ=99><CTL=SYN><WND=65535>")), 0, o);
        Assert.Equal("<SEQ=299><ACK=100><CTL=SYN,ACK><OPT=MSS:1460>", o.Segments[0].ToShortString());
        b.Step(Input.Arrive(Segment.Parse("<SEQ=100><ACK=300><CTL=ACK><WND=65535>")), 0, o);
        Assert.Equal(0, o.SegmentCount);
        Assert.Equal(TcpState.Established, b.State);
        return b;
    }

    /// <summary>Both ESTABLISHED through a handshake with ISS 99 and 299, so that A has SND.NXT=100,
    /// RCV.NXT=300 as in Figures 12 and 13; returns the ladder index after the handshake.</summary>
    private static (Simulator Sim, int Mark) EstablishedPair()
    {
        var p = Clocked(Tcp(99), Tcp(299));
        p.User(Side.B, Input.OpenPassive(), "LISTEN");
        p.User(Side.A, Input.OpenActive, "OPEN");
        p.RunUntil();
        Assert.Equal((TcpState.Established, TcpState.Established), (p[Side.A].State, p[Side.B].State));
        return (p, p.Rows.Count);
    }

    [Fact, Trait("RFC", "9293 §3.5")]
    [Trait("RFC", "MUST-65")]
    public void Figure6_BasicThreeWayHandshake()
    {
        var p = Clocked(Tcp(100), Tcp(300));
        p.User(Side.B, Input.OpenPassive(), "LISTEN");                      // 1.
        p.User(Side.A, Input.OpenActive, "OPEN");                           // 2.
        p.RunUntil();                                                             // 3., 4.
        p.User(Side.A, Input.Send("hello"u8.ToArray()), "SEND");            // 5.
        p.RunUntil();
        AssertSent(p, 0,
            "A/SYN-SENT: <SEQ=100><CTL=SYN><OPT=MSS:1460>",
            "B/SYN-RECEIVED: <SEQ=300><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>",
            "A/ESTABLISHED: <SEQ=101><ACK=301><CTL=ACK>",
            "A/ESTABLISHED: <SEQ=101><ACK=301><CTL=PSH,ACK><DATA=\"hello\">",
            "B/ESTABLISHED: <SEQ=301><ACK=106><CTL=ACK>");
        Assert.Equal((TcpState.Established, TcpState.Established), (p[Side.A].State, p[Side.B].State));
    }

    [Fact, Trait("RFC", "9293 §3.5")]
    [Trait("RFC", "MUST-10")]
    public void Figure7_SimultaneousOpen()
    {
        var p = Clocked(Tcp(100), Tcp(300));
        p.User(Side.A, Input.OpenActive, "OPEN");
        p.User(Side.B, Input.OpenActive, "OPEN");
        p.RunUntil();
        AssertSent(p, 0,
            "A/SYN-SENT: <SEQ=100><CTL=SYN><OPT=MSS:1460>",
            "B/SYN-SENT: <SEQ=300><CTL=SYN><OPT=MSS:1460>",
            "B/SYN-RECEIVED: <SEQ=300><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>",
            "A/SYN-RECEIVED: <SEQ=100><ACK=301><CTL=SYN,ACK><OPT=MSS:1460>");
        Assert.Equal((TcpState.Established, TcpState.Established), (p[Side.A].State, p[Side.B].State));
    }

    [Fact, Trait("RFC", "9293 §3.5")]
    public void Figure8_RecoveryFromOldDuplicateSyn()
    {
        // A's SYN is "delayed" past the old duplicate: the network loses it and A's retransmission
        // after the 1 s RTO plays line 6.
        var p = Clocked(Tcp(100), Tcp(300, 400), s => s.From == Side.A && s.Number == 1);
        p.User(Side.B, Input.OpenPassive(), "LISTEN");                                       // 1.
        p.User(Side.A, Input.OpenActive, "OPEN");                                            // 2.
        p.Inject(Side.B, Segment.Parse("<SEQ=90><CTL=SYN><WND=65535>"));                   // 3. an old duplicate SYN
        p.RunUntil();
        AssertSent(p, 0,
            "A/SYN-SENT: <SEQ=100><CTL=SYN><OPT=MSS:1460> (lost)",
            "B/SYN-RECEIVED: <SEQ=300><ACK=91><CTL=SYN,ACK><OPT=MSS:1460>",  // 4.
            "A/SYN-SENT: <SEQ=91><CTL=RST>",                                     // 5. B returns to LISTEN
            "A/SYN-SENT: <SEQ=100><CTL=SYN><OPT=MSS:1460>",                      // 6.
            "B/SYN-RECEIVED: <SEQ=400><ACK=101><CTL=SYN,ACK><OPT=MSS:1460>",  // 7.
            "A/ESTABLISHED: <SEQ=101><ACK=401><CTL=ACK>");                       // 8.
        Assert.Equal((TcpState.Established, TcpState.Established), (p[Side.A].State, p[Side.B].State));
        Assert.DoesNotContain(p.NoticeLog, n => n.Notice is not Notice.Established);
    }

    [Fact, Trait("RFC", "9293 §3.5.1")]
    public void Figure9_HalfOpenConnectionDiscovery()
    {
        var p = Clocked(Tcp(400), EstablishedAt300And100(500));                // 1., 2. A crashed: CLOSED
        p.User(Side.A, Input.OpenActive, "OPEN");                               // 3.
        p.RunUntil(until: Second - 1);
        AssertSent(p, 0,
            "A/SYN-SENT: <SEQ=400><CTL=SYN><OPT=MSS:1460>",
            "B/ESTABLISHED: <SEQ=300><ACK=100><CTL=ACK>",                        // 4.
            "A/SYN-SENT: <SEQ=100><CTL=RST>");                                   // 5.
        Assert.Equal((TcpState.SynSent, TcpState.Closed), (p[Side.A].State, p[Side.B].State)); // 6.
        Assert.Contains((30_000L, Side.B, Notice.ConnectionReset), p.NoticeLog);

        // 7. A's SYN is retransmitted, and the three-way handshake continues once B listens again
        int mark = p.Rows.Count;
        p.User(Side.B, Input.OpenPassive(), "LISTEN");
        p.RunUntil();
        AssertSent(p, mark,
            "A/SYN-SENT: <SEQ=400><CTL=SYN><OPT=MSS:1460>",
            "B/SYN-RECEIVED: <SEQ=500><ACK=401><CTL=SYN,ACK><OPT=MSS:1460>",
            "A/ESTABLISHED: <SEQ=401><ACK=501><CTL=ACK>");
        Assert.Equal((TcpState.Established, TcpState.Established), (p[Side.A].State, p[Side.B].State));
    }

    [Fact, Trait("RFC", "9293 §3.5.1")]
    public void Figure10_ActiveSideCausesHalfOpenConnectionDiscovery()
    {
        var p = Clocked(Tcp(100), EstablishedAt300And100());                   // 1. A crashed: no TCB
        p.User(Side.B, Input.Send("0123456789"u8.ToArray()), "SEND");           // 2.
        p.RunUntil();
        AssertSent(p, 0,
            "B/ESTABLISHED: <SEQ=300><ACK=100><CTL=PSH,ACK><DATA=\"0123456789\">",
            "A/CLOSED: <SEQ=100><CTL=RST>");                                     // 3.
        Assert.Equal((TcpState.Closed, TcpState.Closed), (p[Side.A].State, p[Side.B].State));
        Assert.Equal([(20_000L, Side.B, Notice.ConnectionReset)], p.NoticeLog);
    }

    [Fact, Trait("RFC", "9293 §3.5.1")]
    public void Figure11_OldDuplicateSynInitiatesAResetOnTwoPassiveSockets()
    {
        const uint z = uint.MaxValue; // Z+1 wraps to 0
        var p = Clocked(Tcp(100), Tcp(300));
        p.User(Side.A, Input.OpenPassive(), "LISTEN");                          // 1.
        p.User(Side.B, Input.OpenPassive(), "LISTEN");
        p.Inject(Side.B, Segment.Parse($"<SEQ={z}><CTL=SYN><WND=65535>"));               // 2. an old duplicate SYN
        p.RunUntil();
        AssertSent(p, 0,
            "B/SYN-RECEIVED: <SEQ=300><ACK=0><CTL=SYN,ACK><OPT=MSS:1460>",    // 3.
            "A/LISTEN: <SEQ=0><CTL=RST>");                                      // 4. B returns to LISTEN
        Assert.Equal((TcpState.Listen, TcpState.Listen), (p[Side.A].State, p[Side.B].State)); // 5.
        Assert.Equal(TimerSet.Off, p[Side.B].NextDeadline);
    }

    [Fact, Trait("RFC", "9293 §3.6")]
    public void Figure12_NormalCloseSequence()
    {
        var (p, mark) = EstablishedPair();                                      // 1.
        p.User(Side.A, Input.Close, "CLOSE");                                   // 2.
        p.RunUntil();                                                                 // 3.
        Assert.Equal((TcpState.FinWait2, TcpState.CloseWait), (p[Side.A].State, p[Side.B].State));
        p.User(Side.B, Input.Close, "CLOSE");                                   // 4.
        p.RunUntil(until: p.Now + Second);                                           // 5.
        Assert.Equal((TcpState.TimeWait, TcpState.Closed), (p[Side.A].State, p[Side.B].State));
        long timeWaitEnds = p[Side.A].NextDeadline;
        p.RunUntil();                                                                 // 6. (2 MSL)
        AssertSent(p, mark,
            "A/FIN-WAIT-1: <SEQ=100><ACK=300><CTL=FIN,ACK>",
            "B/CLOSE-WAIT: <SEQ=300><ACK=101><CTL=ACK>",
            "B/LAST-ACK: <SEQ=300><ACK=101><CTL=FIN,ACK>",
            "A/TIME-WAIT: <SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal((TcpState.Closed, TcpState.Closed), (p[Side.A].State, p[Side.B].State));
        Assert.Equal(timeWaitEnds, p.Now);
    }

    [Fact, Trait("RFC", "9293 §3.6")]
    public void Figure13_SimultaneousCloseSequence()
    {
        var (p, mark) = EstablishedPair();                                      // 1.
        long closedAt = p.Now;
        p.User(Side.A, Input.Close, "CLOSE");                                   // 2.
        p.User(Side.B, Input.Close, "CLOSE");
        p.RunUntil(until: p.Now + Second);                                           // 3., 4.
        Assert.Equal((TcpState.TimeWait, TcpState.TimeWait), (p[Side.A].State, p[Side.B].State));
        p.RunUntil();                                                                 // 5. (2 MSL)
        AssertSent(p, mark,
            "A/FIN-WAIT-1: <SEQ=100><ACK=300><CTL=FIN,ACK>",
            "B/FIN-WAIT-1: <SEQ=300><ACK=100><CTL=FIN,ACK>",
            "B/CLOSING: <SEQ=301><ACK=101><CTL=ACK>",
            "A/CLOSING: <SEQ=101><ACK=301><CTL=ACK>");
        Assert.Equal((TcpState.Closed, TcpState.Closed), (p[Side.A].State, p[Side.B].State));
        Assert.Equal(closedAt + 20_000 + TwoMsl, p.Now);
    }

    [Fact, Trait("RFC", "9293 §3.10.7.4"), Trait("RFC", "9293 §3.6")]
    [Trait("RFC", "MUST-13")]
    public void Walkthrough_HandshakeRelease_LostLastAck_RetransmittedFinRestartsTimeWait()
    {
        const uint x = 4294967200, y = 4294967000;
        var p = Clocked(Tcp(x), Tcp(y), s => s.From == Side.A && s.Run[Side.A].State == TcpState.TimeWait && s.First("last ACK"));

        p.User(Side.B, Input.OpenPassive(), "LISTEN");
        p.User(Side.A, Input.OpenActive, "OPEN");
        p.RunUntil();
        p.User(Side.A, Input.Close, "CLOSE");
        p.RunUntil();
        p.User(Side.B, Input.Close, "CLOSE");
        long finSentAt = p.Now;
        p.RunUntil(until: finSentAt + Latency);
        Assert.Equal(TcpState.TimeWait, p[Side.A].State);
        long firstDeadline = p[Side.A].NextDeadline;
        Assert.Equal(finSentAt + Latency + TwoMsl, firstDeadline);

        p.RunUntil(until: finSentAt + Second + Latency);                          // B's RTO: the FIN again
        Assert.Equal(TcpState.TimeWait, p[Side.A].State);
        Assert.Equal(firstDeadline + Second, p[Side.A].NextDeadline);                 // 2MSL restarted
        p.RunUntil(until: finSentAt + Second + 2 * Latency);
        Assert.Equal(TcpState.Closed, p[Side.B].State);
        p.RunUntil();

        AssertSent(p, 0,
            $"A/SYN-SENT: <SEQ={x}><CTL=SYN><OPT=MSS:1460>",
            $"B/SYN-RECEIVED: <SEQ={y}><ACK={x + 1}><CTL=SYN,ACK><OPT=MSS:1460>",
            $"A/ESTABLISHED: <SEQ={x + 1}><ACK={y + 1}><CTL=ACK>",
            $"A/FIN-WAIT-1: <SEQ={x + 1}><ACK={y + 1}><CTL=FIN,ACK>",
            $"B/CLOSE-WAIT: <SEQ={y + 1}><ACK={x + 2}><CTL=ACK>",
            $"B/LAST-ACK: <SEQ={y + 1}><ACK={x + 2}><CTL=FIN,ACK>",
            $"A/TIME-WAIT: <SEQ={x + 2}><ACK={y + 2}><CTL=ACK> (lost)",
            $"B/LAST-ACK: <SEQ={y + 1}><ACK={x + 2}><CTL=FIN,ACK>",
            $"A/TIME-WAIT: <SEQ={x + 2}><ACK={y + 2}><CTL=ACK>");
        Assert.Equal(TcpState.Closed, p[Side.A].State);
        Assert.Equal(firstDeadline + Second, p.Now);
    }

}
