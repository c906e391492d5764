using TcpModel.Wire;

namespace TcpModel.Tests.Wire;

public sealed class SegmentNotation
{
    [Fact]
    public void ASynAckPrintsInRfcNotation() =>
        Assert.Equal("<SEQ=300><ACK=101><CTL=SYN,ACK><WND=0>",
            new Segment(new SeqNum(300), new SeqNum(101), Control.SYN | Control.ACK).ToString());
}
