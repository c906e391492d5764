using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>
/// The checks of RFC 9293 §3.10.7.4 whose wording is shared by the synchronized states, written
/// once and called from each state's class (which names the event and carries the trait). Each
/// takes a fixture whose <see cref="Conn.PeerNxt"/>/<see cref="Conn.OurNxt"/> are current and
/// whose receive buffer is empty, so our window is <see cref="Fixtures.OurWnd"/>.
/// </summary>
internal static class SynchronizedChecks
{
    /// <summary>&lt;SEQ=SND.NXT&gt;&lt;ACK=RCV.NXT&gt;&lt;CTL=ACK&gt;: the first check's ACK and the challenge ACK.</summary>
    public static string Ack(Conn c) => $"<SEQ={c.OurNxt}><ACK={c.PeerNxt}><CTL=ACK><WND={OurWnd}>";

    public static void RstAtRcvNxtCloses(Conn c, params Notice[] notices)
    {
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, notices);
    }

    public static void RstInWindowIsChallenged(Conn c)
    {
        var state = c.State;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=RST>"), Ack(c));
        Assert.Equal(state, c.State);
    }

    public static void RstInWindowCloses(Conn c, params Notice[] notices)
    {
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=RST>"));
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, notices);
    }

    public static void RstOutsideWindowIsDropped(Conn c)
    {
        var state = c.State;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt - 1}><CTL=RST>"));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + OurWnd}><CTL=RST>"));
        Assert.Equal(state, c.State);
    }

    public static void SynIsChallenged(Conn c)
    {
        var state = c.State;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(state, c.State);
    }

    public static void SynResets(Conn c)
    {
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + 100}><CTL=SYN><WND={PeerWnd}>"), $"<SEQ=0><ACK={c.PeerNxt + 101}><CTL=RST,ACK>");
        Assert.Equal(TcpState.Closed, c.State);
        AssertNotices(c, Notice.ConnectionReset);
    }

    public static void UnacceptableIsAcked(Conn c)
    {
        var state = c.State;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt + OurWnd}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"x\">"), Ack(c));
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt - 10}><ACK={c.OurNxt}><CTL=ACK><WND={PeerWnd}><DATA=\"old\">"), Ack(c));
        Assert.Equal(state, c.State);
        Assert.Equal(c.PeerNxt, c.Tcb.RcvNxt);
    }

    public static void AckAheadIsAcked(Conn c)
    {
        var state = c.State;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={c.OurNxt + 10}><CTL=ACK><WND={PeerWnd}>"), Ack(c));
        Assert.Equal(state, c.State);
    }

    public static void DuplicateAckIsIgnored(Conn c, int below = 0)
    {
        var state = c.State;
        var una = c.Tcb.SndUna;
        AssertSent(c.Arrive($"<SEQ={c.PeerNxt}><ACK={una - below}><CTL=ACK><WND={PeerWnd}>"));
        Assert.Equal(state, c.State);
        Assert.Equal(una, c.Tcb.SndUna);
    }

    public static void UserCallAnswers(Conn c, Input call, Notice notice)
    {
        var state = c.State;
        AssertSent(c.User(call));
        AssertNotices(c, notice);
        Assert.Equal(state, c.State);
    }

    public static void OpenAnswersAlreadyExists(Conn c)
    {
        UserCallAnswers(c, Input.OpenActive, Notice.ConnectionAlreadyExists);
        UserCallAnswers(c, Input.OpenPassive(), Notice.ConnectionAlreadyExists);
    }

    public static void StatusChangesNothing(Conn c)
    {
        var state = c.State;
        var (una, nxt, rcv) = (c.Tcb.SndUna, c.Tcb.SndNxt, c.Tcb.RcvNxt);
        long deadline = c.Endpoint.NextDeadline;
        AssertSent(c.User(Input.Status));
        AssertNotices(c);
        Assert.Equal(state, c.State);
        Assert.Equal((una, nxt, rcv), (c.Tcb.SndUna, c.Tcb.SndNxt, c.Tcb.RcvNxt));
        Assert.Equal(deadline, c.Endpoint.NextDeadline);
    }

    public static void AbortClosesSilently(Conn c)
    {
        AssertSent(c.User(Input.Abort));
        Assert.Equal(TcpState.Closed, c.State);
    }

    public static void AbortSendsRst(Conn c)
    {
        AssertSent(c.User(Input.Abort), $"<SEQ={c.OurNxt}><CTL=RST>");
        Assert.Equal(TcpState.Closed, c.State);
    }
}
