using System.Buffers.Binary;
using TcpModel.Tests.Cli;

namespace TcpModel.Tests.Pcap;

/// <summary>Malformed captures give one line naming the file and record and a non-zero exit; never a
/// crash, never output for a half-read file.</summary>
public sealed class BadCaptures
{
    private static byte[] Good() => File.ReadAllBytes(Fixtures.Pcap("normal-client-first"));

    private static CliResult CheckBytes(byte[] bytes, params string[] extra)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tcpmodel-bad-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(file, bytes);
        try { return CliRun.Run(["check-pcap", .. extra, file]); }
        finally { File.Delete(file); }
    }

    private static void AssertOneLineError(CliResult r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.StartsWith("tcpmodel check-pcap: ", line, StringComparison.Ordinal);
        Assert.Contains(".pcap", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedRecordNamesTheRecord()
    {
        var b = Good();
        AssertOneLineError(CheckBytes(b[..(b.Length - 7)]), "record 10: truncated record");
    }

    [Fact]
    public void ATruncatedRecordHeaderNamesTheRecord()
    {
        var b = Good();
        int first = 24 + 16 + BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(24 + 8));
        AssertOneLineError(CheckBytes(b[..(first + 5)]), "record 1: truncated record header");
    }

    [Fact]
    public void AWrongMagicIsNotACapture() => AssertOneLineError(CheckBytes("not a capture at all"u8.ToArray()), "not a pcap or pcapng file");

    [Fact]
    public void AnEmptyFileIsTooShort() => AssertOneLineError(CheckBytes([]), "too short");

    [Fact]
    public void AnAbsurdRecordLengthNamesTheRecord()
    {
        var b = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24 + 8), 0x7FFF_FFFF);
        AssertOneLineError(CheckBytes(b), "record 0: absurd captured length");
    }

    [Fact]
    public void AnUnsupportedLinkTypeNamesTheRecord()
    {
        var b = Good();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), 147);
        AssertOneLineError(CheckBytes(b), "record 0: unsupported link type 147");
    }

    [Fact]
    public void AMissingFileIsOneLine() => AssertOneLineError(CliRun.Run("check-pcap", "/nonexistent/x.pcap"), "cannot read");

    [Fact]
    public void APacketCutInsideItsTcpHeaderIsAWarningAndTheRestIsChecked()
    {
        var b = Good();
        // cut record 0 (the SYN) to 40 octets: Ethernet and IPv4 whole, TCP header not
        int incl = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(24 + 8));
        var cut = b[..(24 + 16 + 40)].Concat(b[(24 + 16 + incl)..]).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(cut.AsSpan(24 + 8), 40);
        var r = CheckBytes(cut);
        Assert.Contains("record 0: TCP header cut by the snap length", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 cut TCP header", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("UNCHECKED", r.Stdout, StringComparison.Ordinal); // the capture now starts at the SYN,ACK
    }

    [Fact]
    public void ALadderIsNotWrittenWhenAFileIsBad()
    {
        var ladder = Path.Combine(Path.GetTempPath(), $"tcpmodel-ladder-{Guid.NewGuid():N}.mmd");
        var r = CheckBytes("junk"u8.ToArray(), "--ladder", ladder);
        Assert.Equal(1, r.ExitCode);
        Assert.False(File.Exists(ladder));
    }

    [Fact]
    public void SnapCutTextIsCheckedFromTheIpLength()
    {
        var r = CliRun.Run("check-pcap", "--json", Fixtures.Pcap("half-close-with-data"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"cut\": true", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("<LEN=1000>", r.Stdout, StringComparison.Ordinal);
    }
}
