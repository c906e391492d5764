using System.Text.RegularExpressions;

namespace TcpModel.Tests.Requirements;

/// <summary>One row of RFC 9293's requirements summary (§4, Table 8): its id (MUST-n, SHLD-n, MAY-n,
/// REC-n), the column marked (MUST, SHOULD, MAY, SHOULD NOT, MUST NOT), the feature text with its
/// group heading, and the section whose text first names the id.</summary>
public sealed record Requirement(string Id, string Level, string Group, string Feature, string Section);

/// <summary>Parses Table 8 of RFC 9293 (the text of ../shared/rfc/rfc9293.txt) into <see cref="Requirement"/>s,
/// one per distinct id in table order (a few ids stand in two groups; the first is kept).</summary>
public static partial class Rfc9293Requirements
{
    private static readonly string[] Levels = ["MUST", "SHOULD", "MAY", "SHOULD NOT", "MUST NOT"];

    [GeneratedRegex(@"^(MUST|SHLD|MAY|REC)-\d+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\b((?:MUST|SHLD|MAY|REC)-\d+)\b")]
    private static partial Regex IdInText();

    [GeneratedRegex(@"^(\d+(?:\.\d+)*)\.\s+\S")]
    private static partial Regex Heading();

    public static IReadOnlyList<Requirement> Parse(string rfcText)
    {
        var lines = rfcText.ReplaceLineEndings("\n").Split('\n');
        int header = Array.FindIndex(lines, l => l.Contains("Feature     |  ReqID", StringComparison.Ordinal));
        int caption = Array.FindIndex(lines, l => l.Contains("Table 8: TCP Requirements Summary", StringComparison.Ordinal));
        if (header < 0 || caption < header) throw new FormatException("RFC 9293 text without Table 8");

        var sections = SectionsNamingEachId(lines, header);
        var rows = new List<(string Id, string Level, string Group, List<string> Feature)>();
        string group = "";
        for (int i = header; i < caption; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length == 1) { group = cells[0]; continue; }
            if (cells.Length < 7) continue;
            if (IdPattern().IsMatch(cells[1]))
            {
                int column = Array.FindIndex(cells, 2, 5, c => c == "X");
                rows.Add((cells[1], column < 0 ? "?" : Levels[column - 2], group, [cells[0]]));
            }
            else if (rows.Count > 0 && cells[0].Length > 0 && cells[1].Length == 0 && cells.Skip(2).All(c => c.Length == 0))
            {
                rows[^1].Feature.Add(cells[0]);
            }
        }
        var seen = new HashSet<string>();
        return rows.Where(r => seen.Add(r.Id))
            .Select(r => new Requirement(r.Id, r.Level, r.Group,
                Regex.Replace(string.Join(' ', r.Feature), @"\s+", " ").Replace("- ", "-", StringComparison.Ordinal),
                sections.GetValueOrDefault(r.Id, "§4 (Table 8 only)")))
            .ToList();
    }

    /// <summary>The section (as <c>§3.10.7.4</c>) whose body text first names each id; ids split over a
    /// line break (<c>MUST-</c> / <c>10</c>) are found by joining the lines of each section.</summary>
    private static Dictionary<string, string> SectionsNamingEachId(string[] lines, int end)
    {
        var result = new Dictionary<string, string>();
        string section = "";
        var body = new System.Text.StringBuilder();
        void Flush()
        {
            foreach (Match m in IdInText().Matches(Regex.Replace(body.ToString(), @"-\s+(\d)", "-$1")))
                result.TryAdd(m.Groups[1].Value, "§" + section);
            body.Clear();
        }
        for (int i = 0; i < end; i++)
        {
            var h = Heading().Match(lines[i]);
            if (h.Success) { Flush(); section = h.Groups[1].Value; continue; }
            body.Append(lines[i].Trim()).Append(' ');
        }
        Flush();
        return result;
    }

    /// <summary>The machine-readable list as committed in spec/requirements/rfc9293-table8.tsv.</summary>
    public static string ToTsv(IEnumerable<Requirement> requirements) =>
        "id\tlevel\tsection\tgroup\tfeature\n" +
        string.Concat(requirements.Select(r => $"{r.Id}\t{r.Level}\t{r.Section}\t{r.Group}\t{r.Feature}\n"));

    public static IReadOnlyList<Requirement> FromTsv(string tsv) =>
        tsv.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split('\t'))
            .Select(c => new Requirement(c[0], c[1], c[3], c[4], c[2]))
            .ToList();
}
