using System.Text.Json;
using TcpModel.Tests.Pcap;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Cli;

/// <summary><c>--json</c> on every command that prints results: the output parses, says what the text
/// says, streams as JSON Lines where the work is long, and every field printed is documented in
/// spec/tcpmodel-json.md (and every documented field is printed).</summary>
public sealed class JsonOutput
{
    private static readonly string Spec = File.ReadAllText(RepoPaths.Spec("tcpmodel-json.md"));
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepoPaths.Spec("tcpmodel-json.schema.json"))).RootElement.Clone();

    /// <summary>Checks a value against a definition of spec/tcpmodel-json.schema.json (the JSON Schema
    /// keywords it uses: $ref, const, enum, type, required, properties, additionalProperties, items).</summary>
    private static void AssertValid(JsonElement value, string definition)
    {
        var errors = new List<string>();
        Validate(value, Schema.GetProperty("$defs").GetProperty(definition), "$", errors);
        Assert.True(errors.Count == 0, definition + ": " + string.Join("; ", errors.Take(10)));
    }

    private static void Validate(JsonElement v, JsonElement schema, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var r))
        {
            Validate(v, Schema.GetProperty("$defs").GetProperty(r.GetString()!["#/$defs/".Length..]), path, errors);
            return;
        }
        if (schema.TryGetProperty("const", out var c) && !JsonElement.DeepEquals(c, v)) errors.Add($"{path}: {v.GetRawText()} is not {c.GetRawText()}");
        if (schema.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(x => JsonElement.DeepEquals(x, v))) errors.Add($"{path}: {v.GetRawText()} is not one of {e.GetRawText()}");
        if (schema.TryGetProperty("type", out var t))
        {
            var types = t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [t.GetString()!];
            string kind = v.ValueKind switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => v.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            if (!types.Contains(kind) && !(kind == "integer" && types.Contains("number"))) { errors.Add($"{path}: {kind}, expected {string.Join("|", types)}"); return; }
        }
        if (v.ValueKind == JsonValueKind.Object)
        {
            if (schema.TryGetProperty("required", out var req))
                foreach (var name in req.EnumerateArray().Select(x => x.GetString()!))
                    if (!v.TryGetProperty(name, out _)) errors.Add($"{path}: no {name}");
            schema.TryGetProperty("properties", out var props);
            schema.TryGetProperty("additionalProperties", out var extra);
            foreach (var p in v.EnumerateObject())
            {
                if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(p.Name, out var ps)) Validate(p.Value, ps, path + "." + p.Name, errors);
                else if (extra.ValueKind == JsonValueKind.False) errors.Add($"{path}: {p.Name} is not in the schema");
                else if (extra.ValueKind == JsonValueKind.Object) Validate(p.Value, extra, path + "." + p.Name, errors);
            }
        }
        if (v.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            int i = 0;
            foreach (var x in v.EnumerateArray()) Validate(x, items, $"{path}[{i++}]", errors);
        }
    }

    [Fact]
    public void TheValidatorRejectsWhatTheSchemaForbids()
    {
        var doc = JsonDocument.Parse("""{"type":"summary","schema":"tcpmodel-packetdrill/1","profile":"standard","notCompared":[],"scripts":1,"passed":1,"failed":0,"unsupported":0}""").RootElement;
        AssertValid(doc, "packetdrill_summary");
        foreach (var bad in new[]
        {
            """{"type":"summary","schema":"tcpmodel-packetdrill/1","profile":"standard","notCompared":[],"scripts":1,"passed":1,"failed":0}""",
            """{"type":"summary","schema":"tcpmodel-packetdrill/2","profile":"standard","notCompared":[],"scripts":1,"passed":1,"failed":0,"unsupported":0}""",
            """{"type":"summary","schema":"tcpmodel-packetdrill/1","profile":"standard","notCompared":[1],"scripts":1,"passed":1,"failed":0,"unsupported":0}""",
            """{"type":"summary","schema":"tcpmodel-packetdrill/1","profile":"standard","notCompared":[],"scripts":1.5,"passed":1,"failed":0,"unsupported":0}""",
            """{"type":"summary","schema":"tcpmodel-packetdrill/1","profile":"standard","notCompared":[],"scripts":1,"passed":1,"failed":0,"unsupported":0,"extra":1}""",
        })
        {
            var errors = new List<string>();
            Validate(JsonDocument.Parse(bad).RootElement, Schema.GetProperty("$defs").GetProperty("packetdrill_summary"), "$", errors);
            Assert.NotEmpty(errors);
        }
    }

    /// <summary>The section of spec/tcpmodel-json.md for one schema.</summary>
    private static string Section(string schema)
    {
        int start = Spec.IndexOf($"\n## {schema}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {schema}");
        int end = Spec.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? Spec[start..] : Spec[start..end];
    }

    /// <summary>Every property name in a document, not descending into maps (objects keyed by data).</summary>
    private static void Names(JsonElement e, HashSet<string> names, params string[] maps)
    {
        if (e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject())
            {
                names.Add(p.Name);
                if (!maps.Contains(p.Name)) Names(p.Value, names, maps);
            }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var x in e.EnumerateArray()) Names(x, names, maps);
    }

    private static void AssertDocumented(string schema, HashSet<string> printed, bool everyDocumentedIsPrinted = true)
    {
        var section = Section(schema);
        foreach (var n in printed) Assert.Contains($"| `{n}` |", section, StringComparison.Ordinal);
        if (!everyDocumentedIsPrinted) return;
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
            Assert.Contains(line[3..line.IndexOf('`', 3)], printed);
    }

    private static JsonElement Document(params string[] args)
    {
        var r = CliRun.Run(args);
        Assert.True(r.ExitCode is 0 or 1, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    private static List<JsonElement> Lines(CliResult r) =>
        [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void WalkthroughJsonIsTheLadderOfTheText()
    {
        var doc = Document("walkthrough", "--json", "--iss-a", "7", "--iss-b", "9");
        Assert.Equal("tcpmodel-walkthrough/1", doc.GetProperty("schema").GetString());
        Assert.Equal(7, doc.GetProperty("iss_a").GetInt64());
        var rows = doc.GetProperty("rows").EnumerateArray().ToList();
        // one row per numbered line of the text ladder, with the same states and notes
        var text = CliRun.Run("walkthrough", "--iss-a", "7", "--iss-b", "9").Stdout.Split('\n');
        foreach (var row in rows)
        {
            var line = Assert.Single(text, l => l.StartsWith($"{row.GetProperty("line").GetInt32(),2}. ", StringComparison.Ordinal));
            Assert.Contains(row.GetProperty("a").GetString()!, line, StringComparison.Ordinal);
            Assert.Contains(row.GetProperty("b").GetString()!, line, StringComparison.Ordinal);
            if (row.TryGetProperty("note", out var note)) Assert.EndsWith("; " + note.GetString(), line, StringComparison.Ordinal);
        }
        Assert.Equal("<SEQ=7><CTL=SYN>", rows.First(r => r.TryGetProperty("segment", out _)).GetProperty("segment").GetString()![..16]);
        Assert.Single(rows, r => r.TryGetProperty("lost", out var l) && l.GetBoolean()); // the last ACK, lost once
        Assert.Equal("CLOSED", doc.GetProperty("final").GetProperty("a").GetString());
        AssertValid(doc, "walkthrough");
        var names = new HashSet<string>();
        Names(doc, names);
        AssertDocumented("tcpmodel-walkthrough/1", names);
    }

    [Fact]
    public void StepJsonNamesTheCellsFiredTheSegmentsSentAndBothTcbs()
    {
        var rst = Document("step", "--state", "ESTABLISHED", "--segment", "<SEQ=5001><CTL=RST>", "--json");
        Assert.Equal("tcpmodel-step/1", rst.GetProperty("schema").GetString());
        Assert.Equal("CLOSED", rst.GetProperty("next").GetString());
        Assert.True(rst.GetProperty("tcb_before").GetProperty("exists").GetBoolean());
        Assert.False(rst.GetProperty("tcb_after").GetProperty("exists").GetBoolean());
        Assert.Contains("RFC 9293", rst.GetProperty("fired")[0].GetProperty("rfc").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, rst.GetProperty("sent").GetArrayLength());
        Assert.NotEqual(0, rst.GetProperty("notices").GetArrayLength());

        var fin = Document("step", "--state", "TIME-WAIT", "--segment", "<SEQ=5001><ACK=1002><CTL=FIN,ACK>", "--json");
        Assert.Equal("TIME-WAIT", fin.GetProperty("next").GetString());
        Assert.StartsWith("<SEQ=1002><ACK=5002><CTL=ACK>", fin.GetProperty("sent")[0].GetString(), StringComparison.Ordinal);
        Assert.True(fin.GetProperty("tcb_after").GetProperty("timers_us").TryGetProperty("time-wait", out _));

        var names = new HashSet<string>();
        foreach (var d in new[] { rst, fin, Document("step", "--state", "ESTABLISHED", "--call", "send:hi", "--json"),
                                  Document("step", "--state", "CLOSE-WAIT", "--call", "receive", "--json") })
        {
            Names(d, names, "timers_us");
            AssertValid(d, "step");
        }
        AssertDocumented("tcpmodel-step/1", names);
    }

    [Fact]
    public void SimulateJsonIsTheFormatJsonDocument()
    {
        var json = CliRun.Run("simulate", "--seed", "3", "--loss", "0.2", "--json");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(CliRun.Run("simulate", "--seed", "3", "--loss", "0.2", "--format", "json").Stdout, json.Stdout);
        var names = new HashSet<string>();
        Names(JsonDocument.Parse(json.Stdout).RootElement, names);
        AssertValid(JsonDocument.Parse(json.Stdout).RootElement, "simulate");
        AssertDocumented("tcpmodel-simulate", names);
        var clash = CliRun.Run("simulate", "--json", "--format", "mermaid");
        Assert.Equal(2, clash.ExitCode);
        Assert.Single(clash.StderrLines);
    }

    [Fact]
    public void ReportJsonIsTheRequirementMatrix()
    {
        var doc = Document("report", "--json");
        var reqs = doc.GetProperty("requirements").EnumerateArray().ToList();
        Assert.True(reqs.Count > 100);
        Assert.Equal(reqs.Count, doc.GetProperty("counts").EnumerateObject().Sum(p => p.Value.GetInt32()));
        var text = CliRun.Run("report").Stdout;
        foreach (var r in reqs) Assert.Contains($"  {r.GetProperty("id").GetString(),-8} ", text, StringComparison.Ordinal);
        var names = new HashSet<string>();
        Names(doc, names, "counts");
        AssertValid(doc, "report");
        var dir = Path.Combine(Path.GetTempPath(), $"tcpmodel-site-{Guid.NewGuid():N}");
        try
        {
            var written = CliRun.RunWithPath("", "report", "--json", "--out", dir); // no 'dot' on PATH: the site without the rendered graph is enough here
            Assert.Equal(0, written.ExitCode);
            var site = JsonDocument.Parse(written.Stdout).RootElement.Clone();
            Assert.True(File.Exists(site.GetProperty("index").GetString()));
            Names(site, names, "counts");
            AssertValid(site, "report");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        AssertDocumented("tcpmodel-report/1", names);
    }

    [Fact]
    public void ExploreJsonEndsWithTheSummary()
    {
        var r = CliRun.Run("explore", "--calls", "1", "--loss", "0", "--payload", "0", "--no-simultaneous-open", "--json");
        Assert.Equal(0, r.ExitCode);
        var lines = Lines(r);
        Assert.Equal("summary", lines[^1].GetProperty("type").GetString());
        Assert.True(lines[^1].GetProperty("complete").GetBoolean());
        Assert.Equal(0, lines[^1].GetProperty("violations").GetArrayLength());
        Assert.Equal("", r.Stderr); // no progress: stderr is not a terminal
        var names = new HashSet<string>();
        foreach (var l in lines) Names(l, names);
        foreach (var l in lines[..^1]) AssertValid(l, "explore_progress");
        AssertValid(lines[^1], "explore_summary");
        // progress lines appear only on runs longer than a second, bitstate and coverage fields only with those options
        AssertDocumented("tcpmodel-explore/1", names, everyDocumentedIsPrinted: false);
    }

    [Fact]
    public void ExploreJsonViolationsFollowTheSchema()
    {
        var r = CliRun.Run("explore", "--mutant", "ack-of-fin-not-recognised", "--check", "state-agrees-with-fin-flags", "--json");
        Assert.Equal(1, r.ExitCode);
        var summary = Lines(r)[^1];
        AssertValid(summary, "explore_summary");
        var v = summary.GetProperty("violations")[0];
        Assert.Equal(v.GetProperty("trace").GetArrayLength(), v.GetProperty("depth").GetInt32());
        Assert.Contains('\n', v.GetProperty("ladder").GetString()!); // multi-line text, escaped inside one JSON line
    }

    [Fact]
    public void PacketdrillJsonLinesAreWrittenAsEachScriptFinishes()
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-json-").FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "spec", "scenarios", "active-open-and-close.pkt"), Path.Combine(dir, "a-good.pkt"));
        File.WriteAllText(Path.Combine(dir, "b-empty.pkt"), "// no events\n");
        File.WriteAllText(Path.Combine(dir, "c-syntax.pkt"), "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 <<<\n");
        var stdout = new FlushLog();
        int code;
        try { code = TcpModel.Cli.CliMain.Run(["packetdrill", "--json", dir], stdout, new StringWriter()); }
        finally { Directory.Delete(dir, recursive: true); }
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        // a flush after every line: a reader sees each script's line before the next script runs
        for (int i = 0; i < lines.Length; i++) Assert.Contains(string.Join("", lines.Take(i + 1).Select(l => l + "\n")), stdout.Flushes);
        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.All(parsed[..^1], p => Assert.Equal("script", p.GetProperty("type").GetString()));
        var summary = parsed[^1];
        Assert.Equal("tcpmodel-packetdrill/1", summary.GetProperty("schema").GetString());
        Assert.Equal(lines.Length - 1, summary.GetProperty("scripts").GetInt32());
        Assert.Equal(parsed.Count(p => p.TryGetProperty("verdict", out var v) && v.GetString() == "pass"), summary.GetProperty("passed").GetInt32());
        Assert.Equal(1, code);
        Assert.Equal(["pass", "fail", "fail"], parsed[..^1].Select(p => p.GetProperty("verdict").GetString()));
        Assert.Equal(JsonValueKind.Object, parsed[1].GetProperty("divergence").ValueKind);
        Assert.Contains("c-syntax.pkt:2:", parsed[2].GetProperty("syntaxError").GetString(), StringComparison.Ordinal);
        var names = new HashSet<string>();
        foreach (var p in parsed) Names(p, names);
        foreach (var p in parsed[..^1]) AssertValid(p, "packetdrill_script");
        AssertValid(summary, "packetdrill_summary");
        AssertDocumented("tcpmodel-packetdrill/1", names, everyDocumentedIsPrinted: false);
    }

    [Fact]
    public void CheckPcapJsonLinesIsTheDocumentOneConnectionAtATime()
    {
        string[] files = [Fixtures.Pcap("simultaneous-close"), Fixtures.Pcap("time-wait-reuse")];
        var doc = Document(["check-pcap", "--json", "--profile", "standard", .. files]);
        var r = CliRun.Run(["check-pcap", "--json-lines", "--profile", "standard", .. files]);
        var lines = Lines(r);
        var expected = doc.GetProperty("files").EnumerateArray()
            .SelectMany(f => f.GetProperty("connections").EnumerateArray().Select(c => (File: f.GetProperty("file").GetString(), Connection: c)))
            .ToList();
        var connections = lines.Where(l => l.GetProperty("type").GetString() == "connection").ToList();
        Assert.Equal(expected.Count, connections.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].File, connections[i].GetProperty("file").GetString());
            // the connection object of tcpmodel-check/1, with type and file added
            var streamed = connections[i].EnumerateObject().Where(p => p.Name is not ("type" or "file")).Select(p => p.Name + "=" + p.Value.GetRawText());
            var whole = expected[i].Connection.EnumerateObject().Select(p => p.Name + "=" + JsonSerializer.Serialize(p.Value));
            Assert.Equal(whole, streamed.Select(s => s.Split('=', 2)[0] + "=" + JsonSerializer.Serialize(JsonDocument.Parse(s.Split('=', 2)[1]).RootElement)));
        }
        Assert.Equal(2, lines.Count(l => l.GetProperty("type").GetString() == "file"));
        var summary = lines[^1];
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.Equal(doc.GetProperty("accepted").GetBoolean(), summary.GetProperty("accepted").GetBoolean());
        Assert.Equal(r.ExitCode, summary.GetProperty("accepted").GetBoolean() ? 0 : 1);
        var names = new HashSet<string>();
        foreach (var l in lines.Where(l => l.GetProperty("type").GetString() != "connection")) Names(l, names, "skipped");
        foreach (var l in lines) AssertValid(l, "check_" + l.GetProperty("type").GetString());
        names.Add("type");
        names.Add("file");
        AssertDocumented("tcpmodel-check-lines/1", names);
    }

    [Fact]
    public void CheckPcapJsonLinesWritesNothingWhenALaterFileIsMalformed()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"tcpmodel-bad-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(bad, [1, 2, 3]);
        try
        {
            var r = CliRun.Run("check-pcap", "--json-lines", Fixtures.Pcap("simultaneous-close"), bad);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("", r.Stdout);
            Assert.Contains(bad, Assert.Single(r.StderrLines), StringComparison.Ordinal);
        }
        finally { File.Delete(bad); }
    }

    /// <summary>A writer that records what had been written at each flush.</summary>
    private sealed class FlushLog : StringWriter
    {
        public List<string> Flushes { get; } = [];

        public override void Flush()
        {
            Flushes.Add(ToString());
            base.Flush();
        }
    }
}
