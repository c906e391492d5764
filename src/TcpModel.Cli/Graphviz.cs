using System.Diagnostics;

namespace TcpModel.Cli;

/// <summary>Finds Graphviz <c>dot</c> by searching PATH and renders DOT text to SVG with it.</summary>
internal static class Graphviz
{
    /// <summary>The full path of <c>dot</c> on <paramref name="pathVariable"/>, or null.</summary>
    public static string? FindDot(string? pathVariable)
    {
        if (string.IsNullOrEmpty(pathVariable)) return null;
        string[] names = OperatingSystem.IsWindows() ? ["dot.exe", "dot"] : ["dot"];
        foreach (var dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                string candidate;
                try { candidate = Path.Combine(dir.Trim('"'), name); }
                catch (ArgumentException) { continue; }
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs <c>dot -Tsvg</c> on <paramref name="dotText"/> and returns the SVG; a <c>dot</c> that
    /// has not finished within <paramref name="timeout"/> is killed (with its children) and the command fails.</summary>
    public static string RenderSvg(string dotExe, string dotText, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(dotExe, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process p;
        try { p = Process.Start(psi) ?? throw new CommandFailedException($"could not start '{dotExe}'"); }
        catch (System.ComponentModel.Win32Exception e) { throw new CommandFailedException($"could not start '{dotExe}': {e.Message}"); }
        using var _ = p;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var input = Task.Run(() =>
        {
            try
            {
                p.StandardInput.Write(dotText);
                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // dot stopped reading (it failed early); its exit code and stderr say why
            }
        });
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // it ended just now
            p.WaitForExit();
            throw new CommandFailedException($"'{dotExe} -Tsvg' did not finish within {timeout.TotalSeconds:0.#} s and was stopped");
        }
        p.WaitForExit(); // the redirected streams are drained
        input.Wait();
        if (p.ExitCode != 0)
        {
            var first = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            throw new CommandFailedException($"'{dotExe} -Tsvg' failed with exit code {p.ExitCode}: {first.Trim()}");
        }
        return stdout.Result;
    }
}
