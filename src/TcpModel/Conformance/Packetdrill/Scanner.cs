using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>A cursor over the whole script text that knows line/column positions and builds syntax errors.</summary>
internal sealed class Scanner
{
    private readonly string text;
    private readonly string file;
    private readonly List<int> lineStarts = [0];

    public Scanner(string text, string file)
    {
        this.text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        this.file = file;
        for (var i = 0; i < this.text.Length; i++)
        {
            if (this.text[i] == '\n') lineStarts.Add(i + 1);
        }
    }

    /// <summary>Index of the next character.</summary>
    public int Pos { get; set; }

    public bool AtEnd => Pos >= text.Length;

    /// <summary>At a newline or the end of the text.</summary>
    public bool AtLineEnd => Pos >= text.Length || text[Pos] == '\n';

    /// <summary>The character at an absolute index (which must be inside the text).</summary>
    public char this[int index] => text[index];

    public char Peek(int offset = 0) => Pos + offset < text.Length ? text[Pos + offset] : '\0';

    public bool StartsWith(string s) => text.AsSpan(Pos).StartsWith(s, StringComparison.Ordinal);

    public bool TryConsume(string s)
    {
        if (!StartsWith(s)) return false;
        Pos += s.Length;
        return true;
    }

    public string Slice(int from, int to) => text[from..to];

    public int IndexOf(string s, int from) => text.IndexOf(s, from, StringComparison.Ordinal);

    /// <summary>Index of the end of the current line (the newline or the end of the text).</summary>
    public int LineEnd
    {
        get
        {
            var nl = text.IndexOf('\n', Pos);
            return nl < 0 ? text.Length : nl;
        }
    }

    /// <summary>Skips blanks and <c>/* … */</c> comments on the current line (a comment may span lines).</summary>
    public void SkipSpaces()
    {
        while (Pos < text.Length)
        {
            var c = text[Pos];
            if (c is ' ' or '\t' or '\f' or '\v') Pos++;
            else if (StartsWith("/*"))
            {
                var end = text.IndexOf("*/", Pos + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(Pos, "unterminated '/*' comment (missing '*/')");
                Pos = end + 2;
            }
            else return;
        }
    }

    /// <summary>Skips blanks, newlines and comments: inside brackets packetdrill's grammar is free-form
    /// (lexer.l drops white space and comments between tokens), so an argument list may span lines.</summary>
    public void SkipBlankLines()
    {
        while (true)
        {
            SkipSpaces();
            if (Pos < text.Length && text[Pos] is '\n' or '\r') Pos++;
            else if (StartsWith("//")) NextLine();
            else if (Pos < text.Length && text[Pos] == '\\' && Peek(1) is '\n' or '\r') Pos++;
            else return;
        }
    }

    /// <summary>After skipping blanks: at a newline, the end of text, or a <c>//</c> comment.</summary>
    public bool AtStatementEnd()
    {
        SkipSpaces();
        return AtLineEnd || StartsWith("//");
    }

    /// <summary>Requires the rest of the line to be blank or a comment, then moves to the next line.</summary>
    public void EndStatement(string after)
    {
        if (!AtStatementEnd()) throw Error(Pos, $"unexpected {Describe()} after {after}");
        NextLine();
    }

    /// <summary>Moves past the next newline (or to the end of the text).</summary>
    public void NextLine()
    {
        var nl = text.IndexOf('\n', Pos);
        Pos = nl < 0 ? text.Length : nl + 1;
    }

    public static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Reads <c>[A-Za-z_][A-Za-z0-9_]*</c>, or returns null without moving.</summary>
    public string? TryReadIdentifier()
    {
        if (!IsIdentStart(Peek())) return null;
        var start = Pos;
        while (IsIdentPart(Peek())) Pos++;
        return text[start..Pos];
    }

    /// <summary>True when the identifier <paramref name="word"/> is next; consumes it.</summary>
    public bool TryKeyword(string word)
    {
        if (!StartsWith(word) || IsIdentPart(Peek(word.Length))) return false;
        Pos += word.Length;
        return true;
    }

    /// <summary>Reads a decimal number up to <paramref name="max"/>; errors name it <paramref name="what"/>.</summary>
    public ulong ReadUnsigned(string what, ulong max)
    {
        var start = Pos;
        if (!char.IsAsciiDigit(Peek())) throw Error(Pos, $"expected {what}, found {Describe()}");
        ulong value = 0;
        while (char.IsAsciiDigit(Peek()))
        {
            var digit = (ulong)(text[Pos] - '0');
            if (value > (max - digit) / 10) throw Error(start, $"{what} out of range (maximum {max.ToString(CultureInfo.InvariantCulture)})");
            value = value * 10 + digit;
            Pos++;
        }
        if (IsIdentPart(Peek())) throw Error(start, $"malformed {what} '{text[start..WordEnd()]}'");
        return value;
    }

    /// <summary>Index after the run of non-blank characters from <see cref="Pos"/>.</summary>
    public int WordEnd()
    {
        var i = Pos;
        while (i < text.Length && text[i] is not (' ' or '\t' or '\n')) i++;
        return i;
    }

    /// <summary>Describes the next token for an error message, e.g. <c>'foo'</c> or <c>end of line</c>.</summary>
    public string Describe()
    {
        if (AtLineEnd) return "end of line";
        if (Peek() is ' ' or '\t') return "white space";
        if (IsIdentPart(Peek()))
        {
            var i = Pos;
            while (i < text.Length && IsIdentPart(text[i])) i++;
            return $"'{text[Pos..i]}'";
        }
        return $"'{Peek()}'";
    }

    public SourcePosition PositionOf(int index)
    {
        var line = lineStarts.BinarySearch(index);
        if (line < 0) line = ~line - 1;
        return new SourcePosition(file, line + 1, index - lineStarts[line] + 1);
    }

    public PacketdrillSyntaxException Error(int index, string message) => new(PositionOf(index), message);
}
