using System.Buffers.Binary;
using TcpModel.Conformance.Pcap;

namespace TcpModel.Tests.Pcap;

/// <summary>pcapng and classic pcap carry the same packets to the same verdict.</summary>
public sealed class CaptureFormats
{
    /// <summary>A fixture re-encoded as pcapng: Section Header, one Interface Description with
    /// if_tsresol 10^-9, one Enhanced Packet Block per record (nanosecond timestamps).</summary>
    private static byte[] AsPcapNg(List<CaptureRecord> records, bool bigEndian)
    {
        var ms = new MemoryStream();
        void U32(uint v) { var b = new byte[4]; if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v); ms.Write(b); }
        void U16(ushort v) { var b = new byte[2]; if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v); ms.Write(b); }
        // SHB (28 octets): type, length, byte-order magic, version 1.0, section length -1, length
        U32(0x0A0D0D0A); U32(28); U32(0x1A2B3C4D); U16(1); U16(0); U32(0xFFFFFFFF); U32(0xFFFFFFFF); U32(28);
        // IDB with if_tsresol = 9 (nanoseconds) and opt_endofopt: 20 + 8 + 4 = 32 octets
        U32(1); U32(32); U16((ushort)records[0].LinkType); U16(0); U32(262144); U16(9); U16(1); ms.Write([9, 0, 0, 0]); U16(0); U16(0); U32(32);
        foreach (var r in records)
        {
            int pad = (4 - r.Data.Length % 4) % 4;
            uint len = (uint)(32 + r.Data.Length + pad);
            ulong ns = (ulong)r.TimeMicros * 1000;
            U32(6); U32(len); U32(0); U32((uint)(ns >> 32)); U32((uint)ns); U32((uint)r.Data.Length); U32((uint)r.OriginalLength);
            ms.Write(r.Data); ms.Write(new byte[pad]); U32(len);
        }
        return ms.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APcapNgCopyOfACaptureGivesTheSameRecordsAndVerdict(bool bigEndian)
    {
        var pcap = CaptureReader.ReadFile(Fixtures.Pcap("half-close-with-data"));
        var ng = CaptureReader.Read(AsPcapNg(pcap, bigEndian), "copy.pcapng");
        Assert.Equal(pcap.Count, ng.Count);
        for (int i = 0; i < pcap.Count; i++)
        {
            Assert.Equal(pcap[i].TimeMicros, ng[i].TimeMicros);
            Assert.Equal(pcap[i].LinkType, ng[i].LinkType);
            Assert.Equal(pcap[i].OriginalLength, ng[i].OriginalLength);
            Assert.Equal(pcap[i].Data, ng[i].Data);
        }
        var checker = new TraceChecker(Fixtures.LinuxProfile);
        var a = checker.Check(pcap, "x");
        var b = checker.Check(ng, "x");
        Assert.Equal(CheckReport.Json([a], "p"), CheckReport.Json([b], "p"));
        Assert.True(b.AllAccepted);
    }

    [Fact]
    public void APcapNgBlockWithAnAbsurdLengthNamesTheRecord()
    {
        var bytes = AsPcapNg(CaptureReader.ReadFile(Fixtures.Pcap("connection-refused")), false);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28 + 32 + 4), 0x7FFF_FFF0); // first EPB's length
        var e = Assert.Throws<CaptureFormatException>(() => CaptureReader.Read(bytes, "bad.pcapng"));
        Assert.Equal(0, e.Record);
        Assert.Contains("bad.pcapng: record 0: absurd pcapng block length", e.Message, StringComparison.Ordinal);
    }
}
