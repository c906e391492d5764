using BenchmarkDotNet.Attributes;
using TcpModel.Conformance.Packetdrill;

namespace TcpModel.Benchmarks;

/// <summary>
/// The packetdrill runner on the shared FreeBSD state-event-engine cells (../shared/conformance,
/// or <c>TCPMODEL_SHARED</c>), falling back to the project's own spec/scenarios when that folder is
/// absent. One operation runs every script once (parsed in setup); scripts per second =
/// <see cref="ScriptCount"/> / (mean time). Parsing is measured separately.
/// </summary>
[MemoryDiagnoser]
public class PacketdrillBenchmarks
{
    private PacketdrillScript[] _scripts = [];
    private string[] _texts = [];
    private string[] _names = [];

    /// <summary>Profile under which the scripts run.</summary>
    [Params("standard", "freebsd")]
    public string Profile { get; set; } = "standard";

    /// <summary>How many scripts one operation runs.</summary>
    public int ScriptCount => _scripts.Length;

    [GlobalSetup]
    public void Setup()
    {
        var dir = ScriptFolder();
        _names = Directory.EnumerateFiles(dir, "*.pkt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        _texts = _names.Select(File.ReadAllText).ToArray();
        _scripts = _names.Select((n, i) => PacketdrillParser.Parse(_texts[i], n)).ToArray();
        Console.WriteLine($"// PacketdrillBenchmarks: {_scripts.Length} scripts from {dir}");
    }

    /// <summary>Runs every script once; returns how many passed.</summary>
    [Benchmark]
    public int RunAllScripts()
    {
        int passed = 0;
        var options = new PacketdrillRunOptions { Profile = Profile };
        foreach (var s in _scripts)
            if (PacketdrillRunner.Run(s, options).Passed) passed++;
        return passed;
    }

    /// <summary>Parses every script once.</summary>
    [Benchmark]
    public int ParseAllScripts()
    {
        int events = 0;
        for (int i = 0; i < _texts.Length; i++) events += PacketdrillParser.Parse(_texts[i], _names[i]).Items.Count;
        return events;
    }

    /// <summary>The shared FreeBSD cells if present, else spec/scenarios.</summary>
    public static string ScriptFolder()
    {
        var shared = Environment.GetEnvironmentVariable("TCPMODEL_SHARED");
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TcpModel.sln"))) dir = dir.Parent;
        var root = dir?.FullName ?? Directory.GetCurrentDirectory();
        shared ??= Path.Combine(root, "..", "shared");
        var conformance = Path.Combine(shared, "conformance");
        return Directory.Exists(conformance) ? Path.GetFullPath(conformance) : Path.Combine(root, "spec", "scenarios");
    }
}
