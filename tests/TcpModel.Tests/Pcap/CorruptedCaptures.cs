using TcpModel.Conformance.Pcap;

namespace TcpModel.Tests.Pcap;

/// <summary>Deliberately corrupted copies of a real capture are rejected at the segment the
/// corruption makes unexplainable (normal-client-first: 0 SYN, 1 SYN,ACK, 2 ACK, 3 data "hello",
/// 4 ACK of it, …; Linux loopback frames: 14 octets of Ethernet, 20 of IPv4, then TCP).</summary>
public sealed class CorruptedCaptures
{
    private const int Tcp = 14 + 20;

    private static List<CaptureRecord> Records() => CaptureReader.ReadFile(Fixtures.Pcap("normal-client-first"));

    private static ConnectionResult CheckOnly(List<CaptureRecord> records)
    {
        var r = new TraceChecker(Fixtures.LinuxProfile).Check(records, "corrupted");
        return Assert.Single(r.Connections);
    }

    [Fact]
    public void TheUncorruptedCaptureIsAccepted() => Assert.Equal(Verdict.Accepted, CheckOnly(Records()).Verdict);

    [Fact]
    public void AFlippedSynFlagOnTheHandshakeAckIsRejectedAtThatSegment()
    {
        var records = Records();
        records[2].Data[Tcp + 13] |= 0x02; // ACK -> SYN,ACK: no event of ESTABLISHED emits a SYN
        var c = CheckOnly(records);
        Assert.Equal(Verdict.Rejected, c.Verdict);
        Assert.Equal(2, c.FirstUnexplained!.Record);
        Assert.Equal('A', c.FirstUnexplained.Sender);
        Assert.Contains(c.FirstUnexplained.Before, s => s.State == TcpModel.Machine.TcpState.Established);
    }

    [Fact]
    public void AShiftedSequenceNumberOnDataIsRejectedAtThatSegment()
    {
        var records = Records();
        records[3].Data[Tcp + 7]++; // SEQ one above SND.NXT: no SEND puts text there
        var c = CheckOnly(records);
        Assert.Equal(Verdict.Rejected, c.Verdict);
        Assert.Equal(3, c.FirstUnexplained!.Record);
        Assert.All(c.FirstUnexplained.Before, s => Assert.False(string.IsNullOrEmpty(s.Rule)));
    }

    [Fact]
    public void AMissingDataSegmentIsRejectedAtTheAckOfIt()
    {
        var records = Records();
        records.RemoveAt(3);
        var renumbered = records.Select((r, i) => r with { Index = i }).ToList();
        var c = CheckOnly(renumbered);
        Assert.Equal(Verdict.Rejected, c.Verdict);
        Assert.Equal(3, c.FirstUnexplained!.Record); // the server acknowledges text it never received
        Assert.Equal('B', c.FirstUnexplained.Sender);
    }
}
