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

    /// <summary>Runs <c>dot -Tsvg</c> on <paramref name="dotText"/> and returns the SVG.</summary>
    public static string RenderSvg(string dotExe, string dotText)
    {
        var psi = new ProcessStartInfo(dotExe, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new CommandFailedException($"could not start '{dotExe}'");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            p.StandardInput.Write(dotText);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // dot stopped reading (it failed early); its exit code and stderr say why
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            var first = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            throw new CommandFailedException($"'{dotExe} -Tsvg' failed with exit code {p.ExitCode}: {first.Trim()}");
        }
        return stdout.Result;
    }
}
