using System.Diagnostics;
using TcpModel.Cli;
using TcpModel.Export;

namespace TcpModel.Tests.Cli;

/// <summary><c>--out</c> writes to what the user named, never replaces it: through symbolic links,
/// FIFOs and devices, keeping mode and hard links; a failing command leaves the target as it was; an
/// external <c>dot</c> that hangs is stopped. Every file is in a temporary directory the test makes.</summary>
public sealed class OutFile : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcpmodel-out-").FullName;

    public void Dispose()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_dir, (UnixFileMode)0b111_000_000);
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly string Dot = DotExporter.Write(StateGraph.Declared);

    private static void Sh(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void ThroughASymbolicLink_WritesTheTargetAndKeepsTheLink()
    {
        if (OperatingSystem.IsWindows()) return;
        var target = Path.Combine(_dir, "target.dot");
        File.WriteAllText(target, "old");
        var link = Path.Combine(_dir, "link.dot");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(0, CliRun.Run("graph", "--out", link).ExitCode);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal(Dot, File.ReadAllText(target));
    }

    [Fact]
    public void ThroughADanglingSymbolicLink_CreatesItsTarget()
    {
        if (OperatingSystem.IsWindows()) return;
        var target = Path.Combine(_dir, "new.dot");
        var link = Path.Combine(_dir, "link.dot");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(0, CliRun.Run("graph", "--out", link).ExitCode);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(Dot, File.ReadAllText(target));
    }

    [Fact]
    public void AnExistingFile_KeepsItsModeAndItsHardLinks()
    {
        if (OperatingSystem.IsWindows()) return;
        var file = Path.Combine(_dir, "a.dot");
        var other = Path.Combine(_dir, "b.dot");
        File.WriteAllText(file, new string('x', 100_000));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Sh($"ln '{file}' '{other}'");
        Assert.Equal(0, CliRun.Run("graph", "--out", file).ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(Dot, File.ReadAllText(file));
        Assert.Equal(Dot, File.ReadAllText(other));
    }

    [Fact]
    public void AWritableFileInADirectoryThatIsNotWritable_IsWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        var file = Path.Combine(_dir, "a.dot");
        File.WriteAllText(file, "old");
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(0, CliRun.Run("graph", "--out", file).ExitCode);
        Assert.Equal(Dot, File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task AFifo_IsWrittenThroughAndStaysAFifo()
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = Path.Combine(_dir, "pipe");
        Sh($"mkfifo '{fifo}'");
        var reader = Task.Run(() => File.ReadAllText(fifo));
        var r = CliRun.Run("graph", "--out", fifo);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Dot, await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(FileKind.Fifo, FileProbe.KindOf(fifo));
    }

    [Fact]
    public void ADirectory_IsAnErrorAndStaysADirectory()
    {
        var r = CliRun.Run("graph", "--out", _dir);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"tcpmodel graph: cannot write '{_dir}': it is a directory", Assert.Single(r.StderrLines));
        Assert.True(Directory.Exists(_dir));
    }

    [Fact]
    public void WhenDotFails_AnExistingFileIsLeftAsItWas()
    {
        if (OperatingSystem.IsWindows()) return;
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        FakeDot(bin, "#!/bin/sh\ncat > /dev/null\necho '<svg partial'\nexit 3\n");
        var file = Path.Combine(_dir, "states.svg");
        File.WriteAllText(file, "old");
        Assert.Equal(1, CliRun.RunWithPath(bin, "graph", "--format", "svg", "--out", file).ExitCode);
        Assert.Equal("old", File.ReadAllText(file));
    }

    [Fact]
    public void ADotThatHangs_IsStoppedAfterTheTimeout()
    {
        if (OperatingSystem.IsWindows()) return;
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        FakeDot(bin, "#!/bin/sh\nexec sleep 60\n");
        var file = Path.Combine(_dir, "states.svg");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliMain.Run(["graph", "--format", "svg", "--out", file], stdout, stderr, new CliEnvironment(bin, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, code);
        Assert.Contains("did not finish within 0.3 s and was stopped", stderr.ToString());
        Assert.False(File.Exists(file));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void FakeDot(string dir, string script)
    {
        var path = Path.Combine(dir, "dot");
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
