using System.Diagnostics;
using System.Text.Json;

namespace TcpModel.Tests.Cli;

/// <summary><c>tcpmodel packetdrill</c> on bad paths and bad scripts: every script's failure is that
/// script's FAIL with file:line:column, a run always reaches its summary, and a run that did nothing
/// is not a success. Files live in a temporary directory the test makes.</summary>
public sealed class PacketdrillCommand : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcpmodel-pd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Good = File.ReadAllText(Path.Combine(Spec.RepoPaths.Root, "spec", "scenarios", "active-open-and-close.pkt"));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void Mkfifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void ADirectoryWithoutScripts_IsAnErrorNotASuccess()
    {
        var r = CliRun.Run("packetdrill", _dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"tcpmodel packetdrill: no scripts found (no *.pkt file under {_dir})", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void AnEmptyScript_FailsWithNoEvents()
    {
        var file = Write("empty.pkt", "// nothing but a comment\n");
        var r = CliRun.Run("packetdrill", file);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{file}:1:1: expected at least one event; actual no events", r.Stdout);
        Assert.EndsWith("0 passed, 1 failed\n", r.Stdout);
    }

    [Fact]
    public void AVerdictLineNamesTheWholePath_HoweverLongTheFileName()
    {
        var file = Write(Path.Combine("a-directory-with-a-long-name", "rcv-ack-with-data-closed-ipv4-and-a-name-longer-than-sixty-four-characters.pkt"), Good);
        var r = CliRun.Run("packetdrill", file);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"PASS {file}\n", r.Stdout);
    }

    [Fact]
    public void TheSameDirectoryTwice_RunsEachScriptOnce()
    {
        Write("a.pkt", Good);
        var r = CliRun.Run("packetdrill", _dir, _dir + "/.");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("1 passed, 0 failed\n", r.Stdout);
    }

    [Fact]
    public void ASymbolicLinkLoop_IsWalkedOnce()
    {
        if (OperatingSystem.IsWindows()) return;
        Write("a.pkt", Good);
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.CreateSymbolicLink(Path.Combine(_dir, "sub", "loop"), _dir);
        var r = CliRun.Run("packetdrill", _dir);
        Assert.EndsWith("1 passed, 0 failed\n", r.Stdout);
    }

    [Fact]
    public void ADanglingLinkAFifoAndABadNumber_EachFailAloneAndTheRunReachesItsSummary()
    {
        if (OperatingSystem.IsWindows()) return;
        Write("a.pkt", Good);
        File.CreateSymbolicLink(Path.Combine(_dir, "b-dangling.pkt"), Path.Combine(_dir, "nowhere"));
        Mkfifo(Path.Combine(_dir, "c-fifo.pkt"));
        var big = Write("d-write.pkt", Good.Replace("write(3, ..., 5) = 5", "write(3, ..., 2147483648) = 1", StringComparison.Ordinal));
        var read = Write("e-read.pkt", Good.Replace("read(3, ..., 100) = 10", "read(3, ..., 2147483647) = 10", StringComparison.Ordinal));
        var payload = Write("f-payload.pkt", Good.Replace("< P. 1:11(10) ack 1", "< P. 1:2147483649(2147483648) ack 1", StringComparison.Ordinal));
        Write("g.pkt", Good);
        var r = CliRun.Run("packetdrill", _dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("b-dangling.pkt:1:1: dangling symbolic link", r.Stdout);
        Assert.Contains("c-fifo.pkt:1:1: not a regular file (a FIFO)", r.Stdout);
        Assert.Contains($"{big}:14:", r.Stdout);
        Assert.Contains("a write of 2147483648 octets", r.Stdout);
        Assert.Contains($"{read}:12:", r.Stdout);
        Assert.Contains($"{payload}:10:1:", r.Stdout);
        // each of the five bad scripts ends in FAIL or UNSUPPORTED (a named limit), never in the run's abort
        var summary = System.Text.RegularExpressions.Regex.Match(r.Stdout, @"(\d+) passed, (\d+) failed(?:, (\d+) unsupported)?\n$");
        Assert.True(summary.Success, r.Stdout);
        Assert.Equal("2", summary.Groups[1].Value);
        Assert.Equal(5, int.Parse(summary.Groups[2].Value) + (summary.Groups[3].Success ? int.Parse(summary.Groups[3].Value) : 0));
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void WithJson_EveryScriptHasAResultAndTheSummaryCounts()
    {
        if (OperatingSystem.IsWindows()) return;
        Write("a.pkt", Good);
        File.CreateSymbolicLink(Path.Combine(_dir, "b.pkt"), Path.Combine(_dir, "nowhere"));
        var r = CliRun.Run("packetdrill", "--json", _dir);
        // JSON Lines: one record per script, in the order they ran, then the summary
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["script", "script", "summary"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal(Path.Combine(_dir, "a.pkt"), lines[0].GetProperty("file").GetString());
        Assert.Equal("pass", lines[0].GetProperty("verdict").GetString());
        Assert.Equal("fail", lines[1].GetProperty("verdict").GetString());
        Assert.Equal(1, lines[1].GetProperty("divergence").GetProperty("line").GetInt32());
        Assert.Equal(1, lines[2].GetProperty("passed").GetInt32());
        Assert.Equal(1, lines[2].GetProperty("failed").GetInt32());
        Assert.Equal(2, lines[2].GetProperty("scripts").GetInt32());
    }

    [Fact]
    public void AnUnsupportedCall_IsNamedAsWritten()
    {
        var file = Write("u.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 frobnicate(3, [1], {a=1}, \"x\", O_A|O_B) = 0\n");
        var r = CliRun.Run("packetdrill", file);
        Assert.Contains($"{file}:2:1: unsupported: system call frobnicate(3, [1], {{a=1}}, \"x\", O_A | O_B)", r.Stdout);
    }
}
