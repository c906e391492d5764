using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;
using static TcpModel.Tests.Reference.TimedKit;

namespace TcpModel.Tests.Reference;

/// <summary>ESTABLISHED, nothing outstanding (SND.UNA = SND.NXT = 4294967291), the fifth check against an ACK exactly
/// 2^31 away (2147483643): pairwise modulo-2^32 comparisons are ambiguous there (each number is "less than" the other),
/// so "SND.UNA &lt; SEG.ACK =&lt; SND.NXT" is read as offsets from SND.UNA (RFC 9293 §3.4, §3.10.7.4 fifth). Found by
/// P-08 under rfc793 (a crafted ACK after a duplicated SYN, nothing outstanding): SND.UNA jumped past SND.NXT and the
/// next SEND sent nothing.</summary>
public sealed class AckHalfTheSequenceSpaceAway
{
    private const uint HalfwayAck = 2147483643; // 4294967291 + 2^31 (mod 2^32)

    [Fact]
    [Trait("RFC", "9293 §3.4, §3.10.7.4 fifth")]
    public void WithoutTheAckRangeCheckItIsADuplicateIgnoredAndTheNextSendGoesOut()
    {
        var t = Established(Profile.Rfc793);
        Sent(t.SegmentArrives(Ack(0, HalfwayAck)));
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
        Assert.Equal(RefState.Established, t.State);
        var sent = Assert.Single(t.Send("ab"u8));
        Assert.Equal(new SeqNum(4294967291), sent.Seq);
        Assert.Equal("ab"u8.ToArray(), sent.Payload.ToArray());
    }

    [Fact]
    [Trait("RFC", "9293 §3.10.7.4 fifth (MAY-12); 5961 §5.2")]
    public void UnderTheAckRangeCheckItIsOutsideTheRangeAndDrawsAChallengeAck()
    {
        var t = Established(Rfc9293);
        Sent(t.SegmentArrives(Ack(0, HalfwayAck)), "<SEQ=4294967291><ACK=0><CTL=ACK>");
        Assert.Equal(new SeqNum(4294967291), t.SndUna);
        Assert.Single(t.Send("ab"u8));
    }
}
