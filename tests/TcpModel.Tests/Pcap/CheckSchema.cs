using System.Text.Json;
using TcpModel.Tests.Cli;
using TcpModel.Tests.Spec;

namespace TcpModel.Tests.Pcap;

/// <summary>The JSON of check-pcap is the published schema tcpmodel-check/1 (spec/tcpmodel-check.md
/// and spec/tcpmodel-check.schema.json): every field printed is documented, and every documented field is printed.</summary>
public sealed class CheckSchema
{
    private static JsonElement Output(params string[] fixtures)
    {
        var r = CliRun.Run(["check-pcap", "--json", "--profile", "standard", .. fixtures.Select(Fixtures.Pcap)]);
        return JsonDocument.Parse(r.Stdout).RootElement.Clone();
    }

    private static void Walk(JsonElement e, string path, Dictionary<string, HashSet<string>> seen)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                bool map = path.EndsWith(".states", StringComparison.Ordinal) || path.EndsWith(".skipped", StringComparison.Ordinal);
                if (!map) { seen.TryAdd(path, []); seen[path].Add(p.Name); }
                Walk(p.Value, map ? path + ".*" : path + "." + p.Name, seen);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var x in e.EnumerateArray()) Walk(x, path + "[]", seen);
    }

    [Fact]
    public void EveryFieldPrintedIsDocumentedInTheSpecAndTheJsonSchema()
    {
        // a rejected connection (simultaneous close under standard) shows first_unexplained too
        var root = Output("simultaneous-close", "half-close-with-data");
        Assert.Equal("tcpmodel-check/1", root.GetProperty("schema").GetString());
        var seen = new Dictionary<string, HashSet<string>>();
        Walk(root, "$", seen);
        string spec = File.ReadAllText(RepoPaths.Spec("tcpmodel-check.md"));
        string schema = File.ReadAllText(RepoPaths.Spec("tcpmodel-check.schema.json"));
        var names = seen.Values.SelectMany(s => s).Distinct().ToList();
        Assert.True(names.Count >= 30, string.Join(",", names));
        foreach (var n in names)
        {
            Assert.Contains($"| `{n}` |", spec, StringComparison.Ordinal);
            Assert.Contains($"\"{n}\"", schema, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryDocumentedFieldIsPrinted()
    {
        var root = Output("simultaneous-close");
        var seen = new Dictionary<string, HashSet<string>>();
        Walk(root, "$", seen);
        var printed = seen.Values.SelectMany(s => s).ToHashSet();
        string spec = File.ReadAllText(RepoPaths.Spec("tcpmodel-check.md"));
        foreach (var line in spec.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var name = line[3..line.IndexOf('`', 3)];
            Assert.Contains(name, printed);
        }
    }

    [Fact]
    public void EveryRecordOfTheConnectionIsListedByItsIndexInTheFile()
    {
        var root = Output("time-wait-reuse");
        var file = root.GetProperty("files")[0];
        var records = file.GetProperty("connections").EnumerateArray()
            .SelectMany(c => c.GetProperty("packets").EnumerateArray().Select(p => p.GetProperty("record").GetInt32())).Order().ToList();
        Assert.Equal(Enumerable.Range(0, file.GetProperty("records").GetInt32()), records);
        Assert.Equal(2, file.GetProperty("connections").GetArrayLength()); // two incarnations of one 4-tuple
    }
}
