using TcpModel.Cli;

namespace TcpModel.Tests.Cli;

/// <summary>Colour for PASS/FAIL only on a terminal (never when redirected, never with NO_COLOR unless
/// forced), progress on stderr only when stderr is a terminal.</summary>
public sealed class ColourAndProgress : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcpmodel-colour-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Good = File.ReadAllText(Path.Combine(Spec.RepoPaths.Root, "spec", "scenarios", "active-open-and-close.pkt"));

    private string Scripts()
    {
        File.WriteAllText(Path.Combine(_dir, "a-good.pkt"), Good);
        File.WriteAllText(Path.Combine(_dir, "b-empty.pkt"), "// no events\n");
        return _dir;
    }

    private static CliEnvironment Env(bool stdoutTerminal = false, bool stderrTerminal = false, bool noColor = false) =>
        new(null) { StdoutIsTerminal = stdoutTerminal, StderrIsTerminal = stderrTerminal, NoColor = noColor };

    private const char Esc = '\u001b';

    [Fact]
    public void RedirectedOutputHasNoEscapeCodes()
    {
        var r = CliRun.RunWith(Env(), "packetdrill", Scripts());
        Assert.Contains("PASS ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL ", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, r.Stdout);
        Assert.DoesNotContain(Esc, r.Stderr);
    }

    [Fact]
    public void OnATerminalPassIsGreenAndFailRed()
    {
        var r = CliRun.RunWith(Env(stdoutTerminal: true), "packetdrill", Scripts());
        Assert.Contains($"{Esc}[32mPASS{Esc}[0m ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Esc}[31mFAIL{Esc}[0m ", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 passed, 1 failed\n", r.Stdout, StringComparison.Ordinal); // the summary line stays plain
    }

    [Fact]
    public void NoColorIsRespectedOnATerminal()
    {
        var r = CliRun.RunWith(Env(stdoutTerminal: true, noColor: true), "packetdrill", Scripts());
        Assert.DoesNotContain(Esc, r.Stdout);
    }

    [Fact]
    public void ColorAlwaysForcesColourWhenRedirectedAndOverNoColor()
    {
        var r = CliRun.RunWith(Env(noColor: true), "packetdrill", "--color", "always", Scripts());
        Assert.Contains($"{Esc}[32mPASS", r.Stdout, StringComparison.Ordinal);
        var check = CliRun.RunWith(Env(), "check-pcap", "--color", "always", "--profile", "standard", Pcap.Fixtures.Pcap("simultaneous-close"));
        Assert.Contains($"{Esc}[31mREJECTED{Esc}[0m", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ColorNeverSwitchesItOffOnATerminal()
    {
        var r = CliRun.RunWith(Env(stdoutTerminal: true), "--color", "never", "packetdrill", Scripts());
        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain(Esc, r.Stdout);
    }

    [Fact]
    public void JsonIsNeverColoured()
    {
        var r = CliRun.RunWith(Env(stdoutTerminal: true), "packetdrill", "--json", "--color", "always", Scripts());
        Assert.DoesNotContain(Esc, r.Stdout);
    }

    [Fact]
    public void ABadColorValueIsOneLine()
    {
        var r = CliRun.RunWith(Env(), "packetdrill", "--color", "sometimes", Scripts());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("tcpmodel packetdrill: --color: unknown value 'sometimes' (expected one of auto, always, never)", Assert.Single(r.StderrLines));
    }

    [Fact]
    public void ProgressGoesToStderrOnlyWhenItIsATerminal()
    {
        var quiet = CliRun.RunWith(Env(), "packetdrill", Scripts());
        Assert.Equal("", quiet.Stderr);
        var live = CliRun.RunWith(Env(stderrTerminal: true), "packetdrill", Scripts());
        Assert.Contains("packetdrill: 2/2, ", live.Stderr, StringComparison.Ordinal);
        Assert.Contains("/s", live.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"\r{Esc}[K", live.Stderr, StringComparison.Ordinal); // erased when done
        Assert.Equal(quiet.Stdout, live.Stdout); // stdout is the same either way
        var pcap = CliRun.RunWith(Env(stderrTerminal: true), "check-pcap", "--json-lines", "--profile", "standard", Pcap.Fixtures.Pcap("time-wait-reuse"));
        Assert.Contains("check-pcap: 2/2, ", pcap.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Esc, pcap.Stdout);
    }
}
