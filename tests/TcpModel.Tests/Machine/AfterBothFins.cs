using TcpModel.Machine;
using static TcpModel.Tests.Machine.Fixtures;

namespace TcpModel.Tests.Machine;

/// <summary>
/// Ways into CLOSING, LAST-ACK and TIME-WAIT with octets the user has not read yet (issue 7 item 1), and
/// the check that RECEIVE delivers them before "connection closing" (RFC 9293 §3.6: "The user who CLOSEs may
/// continue to RECEIVE until the TCP receiver is told that the remote peer has CLOSED also"; §3.10.3). Each
/// way is a real path from the canonical fixtures; the bodies take a profile so that the seeded bug
/// <see cref="Mutant.NoDataAfterFin"/> can be shown to fail them.
/// </summary>
internal static class AfterBothFins
{
    public const string Response = "response";

    /// <summary>Active OPEN, CLOSE, then <c>&lt;FIN,ACK&gt;&lt;DATA="response"&gt;</c> acknowledging our FIN: TIME-WAIT, 8 octets unread.</summary>
    public static Conn TimeWaitWithUnreadText(Profile profile)
    {
        var c = FinWait1(profile);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 2}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"{Response}\">"),
            $"<SEQ={Iss + 2}><ACK={Irs + 10}><CTL=ACK>");
        Assert.Equal(TcpState.TimeWait, c.State);
        c.PeerNxt = Irs + 10;
        return c;
    }

    /// <summary>CLOSE, then the peer's text and FIN not acknowledging our FIN: CLOSING, 8 octets unread.</summary>
    public static Conn ClosingWithUnreadText(Profile profile)
    {
        var c = FinWait1(profile);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"{Response}\">"),
            $"<SEQ={Iss + 2}><ACK={Irs + 10}><CTL=ACK>");
        Assert.Equal(TcpState.Closing, c.State);
        c.PeerNxt = Irs + 10;
        return c;
    }

    /// <summary>The peer's text and FIN in ESTABLISHED (CLOSE-WAIT, unread), then CLOSE: LAST-ACK, 8 octets unread.</summary>
    public static Conn LastAckWithUnreadText(Profile profile)
    {
        var c = Established(profile);
        AssertSent(c.Arrive($"<SEQ={Irs + 1}><ACK={Iss + 1}><CTL=FIN,ACK><WND={PeerWnd}><DATA=\"{Response}\">"),
            $"<SEQ={Iss + 1}><ACK={Irs + 10}><CTL=ACK>");
        Assert.Equal(TcpState.CloseWait, c.State);
        AssertSent(c.User(Input.Close), $"<SEQ={Iss + 1}><ACK={Irs + 10}><CTL=FIN,ACK>");
        Assert.Equal(TcpState.LastAck, c.State);
        c.PeerNxt = Irs + 10;
        c.OurNxt = Iss + 2;
        return c;
    }

    /// <summary>RECEIVE delivers the octets on hand (in two reads, no window update: the peer sends no more),
    /// then answers "connection closing"; the state does not change.</summary>
    public static void ReceiveDeliversWhatIsOnHandThenConnectionClosing(Conn c)
    {
        var state = c.State;
        AssertSent(c.Receive(3));
        Assert.Equal(Bytes("res"), c.Delivered);
        AssertNotices(c);
        AssertSent(c.Receive(100));
        Assert.Equal(Bytes("ponse"), c.Delivered);
        AssertNotices(c);
        AssertSent(c.Receive(100));
        Assert.Empty(c.Delivered);
        AssertNotices(c, Notice.ErrorConnectionClosing);
        Assert.Equal(state, c.State);
    }
}
