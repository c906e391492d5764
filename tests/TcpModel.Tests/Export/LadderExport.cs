using TcpModel.Export;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Export;

public sealed class LadderExport
{
    private static Pair Handshake(Func<int, Side, Segment, bool>? lose = null)
    {
        var a = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(100) });
        var b = new Endpoint(Profile.Rfc9293, new EndpointOptions { Isn = new FixedIsnSource(300) });
        var pair = new Pair(a, b);
        if (lose is not null) pair.Lose = lose;
        pair.User(Side.B, Input.OpenPassive(), "OPEN (passive)");
        pair.User(Side.A, Input.OpenActive, "OPEN (active)");
        pair.Run(500_000);
        return pair;
    }

    [Fact]
    public void NumbersEveryRowAndShowsDirectionAndRfcNotation()
    {
        var pair = Handshake();
        var lines = LadderExporter.Write(pair.Ladder).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(pair.Ladder.Count + 1, lines.Length);
        Assert.Contains("TCP A", lines[0]);
        Assert.Contains("TCP B", lines[0]);
        Assert.Contains(lines, l => l.Contains("SYN-SENT     --> <SEQ=100><CTL=SYN>", StringComparison.Ordinal) && l.TrimStart().StartsWith("3.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("<-- <SEQ=300><ACK=101><CTL=SYN,ACK>", StringComparison.Ordinal) && l.Contains("<-- SYN-RECEIVED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--> <SEQ=101><ACK=301><CTL=ACK>", StringComparison.Ordinal));
    }

    [Fact]
    public void MarksALostSegmentWhereItWouldHaveArrived()
    {
        var pair = Handshake((n, side, _) => side == Side.B && n == 2);
        var text = LadderExporter.Write(pair.Ladder);
        Assert.Contains(text.Split('\n'), l => l.Contains("X-- <SEQ=300><ACK=101><CTL=SYN,ACK>", StringComparison.Ordinal));
    }

    [Fact]
    public void AppendsNotesToTheirRows()
    {
        var pair = Handshake();
        var text = LadderExporter.Write(pair.Ladder, new Dictionary<int, string> { [2] = "SYN" });
        var third = text.Split('\n')[3];
        Assert.EndsWith("  ; SYN", third);
        Assert.Contains("<SEQ=100><CTL=SYN>", third);
    }

    [Fact]
    public void NoLineEndsInWhitespace() =>
        Assert.All(LadderExporter.Write(Handshake().Ladder).Split('\n'), l => Assert.Equal(l.TrimEnd(), l));
}
