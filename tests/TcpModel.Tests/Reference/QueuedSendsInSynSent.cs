using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>POLICY syn-sent-queued-send-notice (RFC 9293 §3.10.4, §3.10.5 SYN-SENT): CLOSE gives each SEND queued
/// in SYN-SENT "error: closing", ABORT "connection reset"; off (the sockets view) the queued octets go silently.</summary>
public sealed class QueuedSendsInSynSent
{
    private static ReferenceTcp SynSent(Profile profile, int sends)
    {
        var t = new ReferenceTcp(profile, new SeqNum(Iss));
        Sent(t.OpenActive(), $"<SEQ={Iss}><CTL=SYN><OPT=MSS:1460>");
        for (int k = 0; k < sends; k++) Sent(t.Send("ab"u8));
        Assert.Equal(RefState.SynSent, t.State);
        Assert.Equal(2 * sends, t.Unsent);
        return t;
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.4")]
    [InlineData(true, 2)]
    [InlineData(true, 0)]
    [InlineData(false, 2)]
    public void CloseInSynSentAnswersEachQueuedSendWithClosing(bool notice, int sends)
    {
        var t = SynSent(Rfc9293 with { NoticeQueuedSendsInSynSent = notice }, sends);
        Sent(t.Close());
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(Enumerable.Repeat("closing", notice ? sends : 0), t.Notifications);
        Assert.Equal(0, t.Unacknowledged);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.5")]
    [InlineData(true, 3)]
    [InlineData(true, 0)]
    [InlineData(false, 3)]
    public void AbortInSynSentGivesEachQueuedSendConnectionReset(bool notice, int sends)
    {
        var t = SynSent(Rfc9293 with { NoticeQueuedSendsInSynSent = notice }, sends);
        Sent(t.Abort());
        Assert.Equal(RefState.Closed, t.State);
        Assert.Equal(Enumerable.Repeat("connection reset", notice ? sends : 0), t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.2, §3.10.4")]
    public void TheSendThatTurnedListenIntoSynSentIsAQueuedSendToo()
    {
        var t = new ReferenceTcp(Rfc9293, new SeqNum(Iss));
        t.OpenPassive();
        Sent(t.Send("ab"u8), $"<SEQ={Iss}><CTL=SYN><OPT=MSS:1460>");
        Assert.Equal(RefState.SynSent, t.State);
        Sent(t.Close());
        Assert.Equal(["closing"], t.Notifications);
    }

    [Theory]
    [Trait("RFC", "9293 §3.10.4, §3.10.5")]
    [InlineData("rfc9293", true)]
    [InlineData("rfc793", true)]
    [InlineData("standard", false)]
    [InlineData("freebsd", false)]
    [InlineData("linux", false)]
    public void EachBuiltInProfileGivesTheNoticesItsDocumentSays(string name, bool notice)
    {
        var profile = name switch
        {
            "rfc9293" => Profile.Rfc9293,
            "rfc793" => Profile.Rfc793,
            "standard" => Profile.Standard,
            "freebsd" => Profile.FreeBsd,
            _ => Profile.Linux,
        } with { WindowScale = null, SackPermitted = false, Timestamps = false, MssIPv4 = 1460 };
        var t = SynSent(profile, 1);
        t.Close();
        Assert.Equal(notice ? ["closing"] : [], t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.4")]
    public void SendsQueuedInSynSentAreSentNotAnsweredOnceTheConnectionIsEstablished()
    {
        var t = SynSent(Rfc9293, 2);
        Sent(t.SegmentArrives(Seg($"<SEQ={PeerIss}><ACK={Iss + 1}><CTL=SYN,ACK><WND=65535><OPT=MSS:1460>")),
            $"<SEQ={Iss + 1}><ACK=0><CTL=ACK>", $"<SEQ={Iss + 1}><ACK=0><CTL=ACK><DATA=\"abab\">");
        Sent(t.Close(), $"<SEQ={Iss + 5}><ACK=0><CTL=FIN,ACK>");
        Assert.Empty(t.Notifications);
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.4")]
    public void TheCompactConfigurationKeepsTheReferencesOriginalSilence()
    {
        var t = new ReferenceTcp(new RefConfig(), new SeqNum(Iss));
        t.OpenActive();
        t.Send("ab"u8);
        t.Close();
        Assert.Empty(t.Notifications);
    }
}
