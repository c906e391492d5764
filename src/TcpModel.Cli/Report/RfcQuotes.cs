using System.Text.RegularExpressions;

namespace TcpModel.Cli.Report;

/// <summary>
/// Quotes RFC 9293 for a cell's reference (<c>RFC 9293 §3.10.7.4 fifth</c>): the paragraph of that
/// section that starts with the ordinal check ("Fifth, check the ACK field"), or the section's first
/// sentences. Built from the RFC text when it is at hand; without it every quote is absent.
/// </summary>
internal sealed partial class RfcQuotes
{
    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"];
    private readonly Dictionary<string, string> _sections = [];
    private readonly Dictionary<string, string?> _cache = [];

    public static RfcQuotes None { get; } = new(null);

    public RfcQuotes(string? rfc9293Text)
    {
        if (rfc9293Text is null) return;
        string? current = null;
        var body = new System.Text.StringBuilder();
        foreach (var line in rfc9293Text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.StartsWith("RFC 9293", StringComparison.Ordinal) || line.StartsWith("Eddy", StringComparison.Ordinal) || line.Contains('\f')) continue;
            var h = Heading().Match(line);
            if (h.Success)
            {
                if (current is not null) _sections.TryAdd(current, Space().Replace(body.ToString(), " ").Trim());
                current = h.Groups[1].Value;
                body.Clear();
                continue;
            }
            body.Append(line.Trim()).Append(' ');
        }
        if (current is not null) _sections.TryAdd(current, Space().Replace(body.ToString(), " ").Trim());
    }

    public bool Available => _sections.Count > 0;

    /// <summary>The quote for a reference, or null when it names no RFC 9293 section we hold.</summary>
    public string? For(string reference)
    {
        if (_cache.TryGetValue(reference, out var q)) return q;
        return _cache[reference] = Find(reference);
    }

    private string? Find(string reference)
    {
        var m = Reference().Match(reference);
        if (!m.Success || !_sections.TryGetValue(m.Groups[1].Value, out var text) || text.Length == 0) return null;
        int start = 0;
        var ordinal = m.Groups[2].Success ? m.Groups[2].Value.ToLowerInvariant() : null;
        if (ordinal is not null && Ordinals.Contains(ordinal))
        {
            var o = new Regex($@"\b{char.ToUpperInvariant(ordinal[0])}{ordinal[1..]},", RegexOptions.CultureInvariant).Match(text);
            if (o.Success) start = o.Index;
        }
        var rest = text[start..];
        int end = Math.Min(rest.Length, 360);
        int stop = rest.LastIndexOf(". ", end, StringComparison.Ordinal);
        if (stop > 80) end = stop + 1;
        return rest[..end].Trim() + (end < rest.Length ? " …" : "");
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)*)\.\s+\S")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    [GeneratedRegex(@"RFC 9293 §(\d+(?:\.\d+)*)(?:\s+(first|second|third|fourth|fifth|sixth|seventh|eighth)\b)?", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();
}
