namespace TcpModel.Cli;

/// <summary>
/// Colour for verdicts (PASS green, FAIL red, UNSUPPORTED yellow) as plain ANSI SGR codes: with
/// <c>--color auto</c> (the default) only when stdout is a terminal and NO_COLOR is not set; never when
/// redirected. <c>--color always</c> forces it (also over NO_COLOR: a command-line flag is the user's
/// latest word), <c>--color never</c> switches it off.
/// </summary>
internal static class Colors
{
    private const string Reset = "\u001b[0m";

    /// <summary>Green.</summary>
    public const string Green = "\u001b[32m";

    /// <summary>Red.</summary>
    public const string Red = "\u001b[31m";

    /// <summary>Yellow.</summary>
    public const string Yellow = "\u001b[33m";

    /// <summary>Whether to colour, from <c>--color</c> and the environment.</summary>
    public static bool Decide(string? option, CliEnvironment env, string prefix) => option?.ToLowerInvariant() switch
    {
        null or "auto" => env.StdoutIsTerminal && !env.NoColor,
        "always" => true,
        "never" => false,
        _ => throw new UsageException($"--color: unknown value '{option}' (expected one of auto, always, never)"),
    };

    /// <summary><paramref name="text"/> in <paramref name="color"/> when <paramref name="on"/>.</summary>
    public static string Paint(string text, string color, bool on) => on ? color + text + Reset : text;

    /// <summary>A verdict word in its colour.</summary>
    public static string Verdict(string word, bool on) => Paint(word, word switch
    {
        "PASS" or "ACCEPTED" => Green,
        "FAIL" or "REJECTED" => Red,
        _ => Yellow,
    }, on);
}

/// <summary>
/// A live progress line on stderr (<c>what: done/total, rate/s</c>), redrawn in place at most ten
/// times a second and erased when the work ends; nothing at all when stderr is not a terminal, so
/// redirected output and logs stay clean.
/// </summary>
internal sealed class Progress(TextWriter stderr, bool live, string what, int total) : IDisposable
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _lastDraw = -1000;
    private int _done;
    private bool _drawn;

    /// <summary>One more item is done.</summary>
    public void Step(string? current = null)
    {
        _done++;
        if (!live) return;
        long ms = _clock.ElapsedMilliseconds;
        if (ms - _lastDraw < 100 && _done < total) return;
        _lastDraw = ms;
        double rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        string of = total > 0 ? $"/{total}" : "";
        string line = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what}: {_done}{of}, {rate:0.0}/s");
        if (current is not null) line += " " + Wire.ErrorText.Clean(current);
        if (line.Length > 100) line = line[..100];
        stderr.Write("\r\u001b[K" + line);
        stderr.Flush();
        _drawn = true;
    }

    /// <summary>Writes a free-form status (explore's figures) in place of the line.</summary>
    public void Show(string line)
    {
        if (!live) return;
        stderr.Write("\r\u001b[K" + line);
        stderr.Flush();
        _drawn = true;
    }

    /// <summary>Erases the line.</summary>
    public void Dispose()
    {
        if (!_drawn) return;
        stderr.Write("\r\u001b[K");
        stderr.Flush();
        _drawn = false;
    }
}
