using System.Buffers.Binary;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using TcpModel.Conformance.Pcap;
using TcpModel.Machine;

namespace TcpModel.Benchmarks;

/// <summary>
/// Trace checking speed on the loopback fixtures (tests/fixtures/pcap, all twelve merged into one
/// capture of 110 packets), side by side with <c>tshark -r FILE -q -z conv,tcp</c> on the same file
/// (the baseline: Ratio below 1 means check-pcap is faster). check-pcap runs in-process (read,
/// dissect with PacketDotNet, split, check under linux); tshark is a process started per operation,
/// as a user runs it. Packets/s = 110 / Mean.
/// </summary>
[MemoryDiagnoser]
public class PcapBenchmarks
{
    private byte[] _merged = [];
    private string _file = "";
    private Profile _profile = Profile.Rfc9293;

    /// <summary>The fixtures merged (tests/fixtures/pcap holds more; these twelve are the benchmark's input).</summary>
    public static readonly string[] Fixtures =
    [
        "abortive-close", "close-with-unread-data", "connection-refused", "half-close-with-data", "lost-fin",
        "lost-last-ack", "lost-syn-ack", "normal-client-first", "normal-server-first", "simultaneous-close",
        "simultaneous-open", "time-wait-reuse",
    ];

    /// <summary>Packets in the merged capture.</summary>
    public int Packets { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(RepoRoot(), "tests", "fixtures", "pcap");
        // the twelve fixtures this benchmark was first measured on, named, so that a new fixture does not change it
        var records = Fixtures.Select(n => Path.Combine(dir, n + ".pcap"))
            .SelectMany(f => CaptureReader.ReadFile(f)).OrderBy(r => r.TimeMicros).ToList();
        Packets = records.Count;
        using var ms = new MemoryStream();
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 262144);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 1);
        ms.Write(header);
        var rec = new byte[16];
        foreach (var r in records)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(r.TimeMicros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), (uint)(r.TimeMicros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), (uint)r.Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12), (uint)r.OriginalLength);
            ms.Write(rec);
            ms.Write(r.Data);
        }
        _merged = ms.ToArray();
        _file = Path.Combine(Path.GetTempPath(), "tcpmodel-bench-fixtures.pcap");
        File.WriteAllBytes(_file, _merged);
        _profile = Profile.BuiltIn.TryGetValue("linux", out var p) ? p : Profile.Rfc9293;
        Console.WriteLine($"// merged capture: {Packets} packets, {_merged.Length} bytes, {_file}");
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "TcpModel.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>Read, dissect, split and check every connection.</summary>
    [Benchmark]
    public int CheckPcap()
    {
        var r = new TraceChecker(_profile).Check(CaptureReader.Read(_merged, "fixtures.pcap"), "fixtures.pcap");
        return r.Connections.Count;
    }

    /// <summary><c>tshark -r FILE -q -z conv,tcp</c> on the same file.</summary>
    [Benchmark(Baseline = true)]
    public int Tshark()
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-r", _file, "-q", "-z", "conv,tcp" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        int n = p.StandardOutput.ReadToEnd().Length;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return n;
    }
}
