using System.Text.RegularExpressions;
using System.Xml.Linq;
using TcpModel.Cli;
using TcpModel.Cli.Report;
using TcpModel.Machine;
using ReportScenarios = TcpModel.Cli.Report.Scenarios;

namespace TcpModel.Tests.Report;

/// <summary>A report generated once by <c>tcpmodel report --out DIR</c> into a temporary folder.</summary>
public sealed class GeneratedReport : IDisposable
{
    public string Dir { get; }
    public string Output { get; }

    public GeneratedReport()
    {
        var root = Directory.CreateTempSubdirectory("tcpmodel-report-").FullName;
        Dir = Path.Combine(root, "site");
        var args = new List<string> { "report", "--out", Dir };
        var rfc = SharedPaths.SharedRoot is null ? null : Path.Combine(SharedPaths.SharedRoot, "rfc", "rfc9293.txt");
        if (rfc is not null && File.Exists(rfc)) args.AddRange(["--rfc", rfc]);
        var o = new StringWriter(); var e = new StringWriter();
        int code = CliMain.Run(args.ToArray(), o, e);
        if (code != 0) throw new InvalidOperationException($"tcpmodel report failed ({code}): {e}");
        Output = o.ToString();
    }

    public string Html => File.ReadAllText(Path.Combine(Dir, "index.html"));

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(Dir)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Issue 13: the static report — well-formed, self-contained, generated from the model, and
/// usable in a real browser (walked by clicking and by keyboard, on a desktop and a phone viewport).</summary>
public sealed class ReportSite(GeneratedReport report) : IClassFixture<GeneratedReport>
{
    [Fact]
    public void TheSiteIsIndexStyleScriptAndData_WithTheMarkerThatAllowsReplacingIt()
    {
        foreach (var f in new[] { "index.html", "style.css", "app.js", "data.js", Site.Marker })
            Assert.True(File.Exists(Path.Combine(report.Dir, f)), $"{f} missing");
        Assert.Contains("wrote 4 files", report.Output);
    }

    [Fact]
    public void TheIndexIsWellFormedAndEveryInternalLinkResolves()
    {
        var html = report.Html;
        Assert.StartsWith("<!DOCTYPE html>", html);
        var doc = XDocument.Parse(html["<!DOCTYPE html>".Length..]);
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).Where(i => i is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var links = doc.Descendants().SelectMany(e => e.Attributes())
            .Where(a => a.Name.LocalName is "href" or "src" && a.Name.LocalName != "xmlns").Select(a => a.Value).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            Assert.False(Regex.IsMatch(link, "^(https?:)?//"), $"external resource {link}: the report must work offline");
            if (link.StartsWith('#')) Assert.Contains(link[1..], ids);
            else Assert.True(File.Exists(Path.Combine(report.Dir, link)), $"{link} does not exist");
        }
    }

    [Fact]
    public void EveryDeclaredCellHasARowThatStepsAndGraphEdgesCanLinkTo()
    {
        var html = report.Html;
        foreach (var f in TransitionTable.Declared.Facts.Values)
            Assert.Contains($"id=\"{Site.Anchor(f.Key)}\"", html);
    }

    [Fact]
    public void TheClassicScenarioIsTheModelsOwnRun_ThroughTimeWaitAndItsRestartToClosed()
    {
        var classic = ReportScenarios.All(Profile.Rfc9293).Single(s => s.Id == "classic");
        var states = classic.Steps.Select(s => s.A.State).ToList();
        Assert.Contains("TIME-WAIT", states);
        Assert.Equal(("CLOSED", "CLOSED"), (classic.Steps[^1].A.State, classic.Steps[^1].B!.State));
        var lost = classic.Steps.ToList().FindIndex(s => s.Actor == "network");
        Assert.True(lost > 0 && classic.Steps[lost].Segment!.Contains("CTL=ACK", StringComparison.Ordinal), "the last ACK is lost");
        var retransmission = classic.Steps[lost + 1];
        Assert.Contains("retransmission timer expires", retransmission.What);
        Assert.Contains(retransmission.Sent, s => s.Contains("FIN", StringComparison.Ordinal));
        var again = classic.Steps[lost + 2];
        Assert.Equal("TIME-WAIT", again.A.State);
        Assert.Contains(again.A.Timers, t => t.Name.StartsWith("time-wait", StringComparison.Ordinal)
            && Math.Abs(t.Deadline - again.Time - 2 * Profile.Rfc9293.Msl / 1e6) < 1e-6);
    }

    [Fact]
    public void EveryScenarioRunsUnderEveryBuiltInProfile()
    {
        foreach (var p in Profile.BuiltIn.Values.Distinct())
            Assert.All(ReportScenarios.All(p), s => Assert.NotEmpty(s.Steps));
    }

    [Fact]
    public void SegmentsAreAlsoWrittenAsTheLearningNoteWritesThem()
    {
        var first = ReportScenarios.All(Profile.Rfc9293).Single(s => s.Id == "classic").Steps;
        Assert.Contains(first, s => s.Sent.Any(x => x.EndsWith("seq=x", StringComparison.Ordinal)));
        Assert.Contains(first, s => s.Sent.Any(x => x.EndsWith("seq=y ack=x+1", StringComparison.Ordinal)));
        Assert.Contains(first, s => s.Sent.Any(x => x.EndsWith("seq=x+1 ack=y+1", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void CellsQuoteTheRfcSentenceOfTheirCheck()
    {
        var rfc = SharedPaths.SharedRoot is null ? null : Path.Combine(SharedPaths.SharedRoot, "rfc", "rfc9293.txt");
        Skip.If(rfc is null || !File.Exists(rfc), "../shared/rfc/rfc9293.txt is absent");
        var quotes = new RfcQuotes(File.ReadAllText(rfc));
        Assert.StartsWith("Fifth, check the ACK field", quotes.For("RFC 9293 §3.10.7.4 fifth (SND.UNA < SEG.ACK =< SND.NXT)"));
        Assert.StartsWith("Eighth, check the FIN bit", quotes.For("RFC 9293 §3.10.7.4 eighth"));
        Assert.Null(quotes.For("RFC 5961 §3.2"));
    }

    [Fact]
    public void WritingRefusesAFolderAnEarlierReportDidNotWrite_AndReplacesOneItDid()
    {
        var root = Directory.CreateTempSubdirectory("tcpmodel-report-out-").FullName;
        try
        {
            var foreign = Path.Combine(root, "mine");
            Directory.CreateDirectory(foreign);
            File.WriteAllText(Path.Combine(foreign, "notes.txt"), "keep me");
            var e = new StringWriter();
            Assert.Equal(1, CliMain.Run(["report", "--out", foreign], new StringWriter(), e));
            Assert.Contains("earlier report did not write", e.ToString());
            Assert.Equal(["notes.txt"], Directory.GetFiles(foreign).Select(Path.GetFileName));

            var site = Path.Combine(root, "site");
            Assert.Equal(0, CliMain.Run(["report", "--out", site], new StringWriter(), new StringWriter()));
            Assert.Equal(0, CliMain.Run(["report", "--out", site], new StringWriter(), new StringWriter()));
            Assert.Equal(5, Directory.GetFiles(site).Length);
            Assert.Equal([Path.Combine(root, "mine"), site], Directory.GetDirectories(root).Order());
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void WithoutOutTheCommandPrintsTheRequirementMatrixWithItsCounts()
    {
        var o = new StringWriter();
        Assert.Equal(0, CliMain.Run(["report"], o, new StringWriter()));
        Assert.Matches(@"^RFC 9293 requirements \(Table 8\): 119 ids: \d+ implemented and tested, \d+ profile policies \(tested\), \d+ out of scope, \d+ gaps", o.ToString());
        Assert.Contains("MUST-13", o.ToString());
    }
}

/// <summary>The report in headless Chromium: the classic scenario walked by clicking and by keyboard, free play from a canonical state,
/// and screenshots on a desktop and a phone viewport (saved where TCPMODEL_SCREENSHOTS points, else beside the report).</summary>
public sealed class ReportInABrowser(GeneratedReport report) : IClassFixture<GeneratedReport>
{
    private static string? Browser()
    {
        var exe = Chromium.Find();
        Assert.False(exe is null && Environment.GetEnvironmentVariable("CI") == "true", "CI installs chromium, but it is not on this machine");
        Skip.If(exe is null, "chromium is not installed (apt-get install chromium)");
        return exe;
    }

    private string Url => new Uri(Path.Combine(report.Dir, "index.html")).AbsoluteUri;
    private static string ShotDir => Environment.GetEnvironmentVariable("TCPMODEL_SCREENSHOTS") is { Length: > 0 } d ? Directory.CreateDirectory(d).FullName : Path.GetTempPath();

    [SkippableFact]
    public async Task ClickingThroughTheClassicScenarioReachesTimeWait_AndTheRetransmittedFinRestartsIt_ThenClosed()
    {
        var exe = Browser()!;
        await using var page = await Chromium.StartAsync(exe, Url, 1200, 1400);
        await page.WaitForAsync("document.readyState === 'complete' && document.getElementById('counter').textContent.length > 0");
        await page.EvalAsync("document.querySelector('[data-scenario=classic]').click()");
        string StateOf(string side) => $"document.querySelector('[data-testid=state-{side}]').textContent";
        int guard = 0;
        while (await page.EvalAsync(StateOf("A")) != "TIME-WAIT" && guard++ < 40) await page.EvalAsync("document.getElementById('next').click()");
        Assert.Equal("TIME-WAIT", await page.EvalAsync(StateOf("A")));
        Assert.Contains("time-wait (2MSL)", await page.EvalAsync("document.querySelector('.timers').textContent"));
        await page.ScreenshotAsync(Path.Combine(ShotDir, "report-time-wait.png"), 1200, 1400);

        var seen = new List<string>();
        while (await page.EvalAsync("document.getElementById('next').disabled") != "true" && guard++ < 80)
        {
            await page.EvalAsync("document.getElementById('next').click()");
            seen.Add(await page.EvalAsync("document.querySelector('[data-testid=what]').textContent"));
        }
        Assert.Contains(seen, w => w.Contains("retransmission timer expires", StringComparison.Ordinal));
        Assert.Contains(seen, w => w.Contains("time-wait (2MSL) timer expires", StringComparison.Ordinal));
        Assert.Equal("CLOSED", await page.EvalAsync(StateOf("A")));
        Assert.Equal("CLOSED", await page.EvalAsync(StateOf("B")));
    }

    [SkippableFact]
    public async Task TheArrowKeysStepAndFreePlayFollowsTheModelFromACanonicalState_OnAPhoneViewport()
    {
        var exe = Browser()!;
        await using var page = await Chromium.StartAsync(exe, Url, 390, 844);
        await page.WaitForAsync("document.readyState === 'complete' && document.getElementById('counter').textContent.length > 0");
        Assert.Equal("Step 1 of", (await page.EvalAsync("document.getElementById('counter').textContent"))[..9]);
        await page.EvalAsync("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }))");
        Assert.StartsWith("Step 2 of", await page.EvalAsync("document.getElementById('counter').textContent"));

        await page.EvalAsync("(function(){ var s = document.getElementById('start'); s.value = Array.prototype.findIndex.call(s.options, function (o) { return o.text === 'ESTABLISHED'; }).toString(); document.getElementById('start-go').click(); })()");
        Assert.Equal("ESTABLISHED", await page.EvalAsync("document.querySelector('#play [data-testid=state-A]').textContent"));
        await page.EvalAsync("Array.prototype.find.call(document.querySelectorAll('#choices button'), function (b) { return b.textContent.indexOf('CLOSE ') === 0; }).click()");
        Assert.Equal("FIN-WAIT-1", await page.EvalAsync("document.querySelector('#play [data-testid=state-A]').textContent"));
        Assert.Contains("FIN", await page.EvalAsync("document.querySelector('#play [data-testid=sent]').textContent"));
        await page.ScreenshotAsync(Path.Combine(ShotDir, "report-phone.png"), 390, 844);
    }
}
