using System.Globalization;
using System.Text;

namespace TcpModel.Wire;

/// <summary>
/// Makes text taken from user input fit an error line: control characters are escaped
/// (<c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\0</c>, <c>\xNN</c>, <c>\u{NNNN}</c>) so a message is always one
/// printable line, and every run of non-blank characters longer than <see cref="MaxToken"/> is cut
/// with an ellipsis, so that a huge offending token cannot make a huge error line.
/// </summary>
public static class ErrorText
{
    /// <summary>The longest run of non-blank characters kept whole.</summary>
    public const int MaxToken = 64;

    /// <summary>The longest line kept whole (longer lines are cut with an ellipsis).</summary>
    public const int MaxLine = 1000;

    /// <summary>The text with control characters escaped and over-long tokens cut.</summary>
    public static string Clean(string? text) => Clean(text, MaxToken);

    /// <summary>A file path for a verdict line: control characters escaped, kept whole up to <see cref="MaxLine"/>
    /// (a path is one long token, and the line exists to name it).</summary>
    public static string Path(string? path) => Clean(path, MaxLine);

    private static string Clean(string? text, int maxToken)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var sb = new StringBuilder(Math.Min(text.Length, MaxLine + 16));
        int run = 0;
        bool cut = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (sb.Length >= MaxLine) { sb.Append('…'); break; }
            if (rune.Value == ' ') { sb.Append(' '); run = 0; cut = false; continue; }
            if (cut) continue;
            if (++run > maxToken) { sb.Append('…'); cut = true; continue; }
            switch (rune.Value)
            {
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case 0: sb.Append("\\0"); break;
                case < 0x20 or 0x7F: sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture)); break;
                default:
                    if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
                        sb.Append("\\u{").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture)).Append('}');
                    else sb.Append(rune.ToString());
                    break;
            }
        }
        return sb.ToString();
    }
}
