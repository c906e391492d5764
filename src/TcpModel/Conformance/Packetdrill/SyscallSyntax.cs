namespace TcpModel.Conformance.Packetdrill;

/// <summary>Parses a system call line after its time: <c>name(args) = value [ERRNO] [(note)]</c>.</summary>
internal static class SyscallSyntax
{
    public static SyscallEvent Parse(Scanner s, SourcePosition position, PacketdrillTime time, PacketdrillTime? blockingEnd)
    {
        var nameIndex = s.Pos;
        var name = s.TryReadIdentifier() ?? throw s.Error(s.Pos, $"expected a system call name, found {s.Describe()}");
        s.SkipBlankLines();
        if (s.Peek() != '(') throw s.Error(s.Pos, $"expected '(' after system call name '{name}', found {s.Describe()}");
        var args = ReadArguments(s, ')', "system call argument list");
        s.SkipBlankLines();
        if (s.Peek() != '=') throw s.Error(s.Pos, $"expected '=' after system call, found {s.Describe()}");
        s.Pos++;
        s.SkipSpaces();
        if (!(char.IsAsciiDigit(s.Peek()) || (s.Peek() == '-' && char.IsAsciiDigit(s.Peek(1)))))
            throw s.Error(s.Pos, $"expected an integer result after '=', found {s.Describe()}");
        var value = ReadInteger(s);
        s.SkipSpaces();
        var errno = s.TryReadIdentifier();
        s.SkipSpaces();
        var note = s.Peek() == '(' ? ReadNote(s) : null;
        s.EndStatement("system call result");
        return new SyscallEvent(position, time, name, args, new SyscallResult(value, errno, note),
            s.PositionOf(nameIndex), blockingEnd);
    }

    /// <summary>Reads <c>(a, b, …)</c> / <c>[a, b, …]</c> starting at the opening bracket.</summary>
    private static List<SyscallArg> ReadArguments(Scanner s, char close, string what)
    {
        var open = s.Pos;
        s.Pos++;
        var items = new List<SyscallArg>();
        s.SkipBlankLines();
        if (s.Peek() == close)
        {
            s.Pos++;
            return items;
        }
        while (true)
        {
            items.Add(ReadExpression(s));
            s.SkipBlankLines();
            if (s.Peek() == close)
            {
                s.Pos++;
                return items;
            }
            if (s.Peek() != ',')
            {
                if (s.AtEnd) throw s.Error(open, $"unterminated {what} (missing '{close}')");
                throw s.Error(s.Pos, $"expected ',' or '{close}' in {what}, found {s.Describe()}");
            }
            s.Pos++;
            s.SkipBlankLines();
        }
    }

    private static SyscallArg ReadExpression(Scanner s)
    {
        var start = s.Pos;
        var first = ReadPrimary(s);
        s.SkipBlankLines();
        if (s.Peek() != '|') return first;
        var operands = new List<SyscallArg> { first };
        while (s.Peek() == '|')
        {
            s.Pos++;
            s.SkipBlankLines();
            operands.Add(ReadPrimary(s));
            s.SkipBlankLines();
        }
        return new BitOrArg(s.PositionOf(start), operands);
    }

    private static SyscallArg ReadPrimary(Scanner s)
    {
        var start = s.Pos;
        var at = s.PositionOf(start);
        var c = s.Peek();
        if (s.TryConsume("...")) return new EllipsisArg(at);
        if (c == '[') return new ListArg(at, ReadArguments(s, ']', "list"));
        if (c == '{') return new StructArg(at, ReadStruct(s));
        if (c == '"') return new StringArg(at, ReadString(s));
        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(s.Peek(1)))) return new IntegerArg(at, ReadInteger(s));
        if (s.TryReadIdentifier() is { } name)
        {
            s.SkipBlankLines();
            return s.Peek() == '('
                ? new CallArg(at, name, ReadArguments(s, ')', $"argument list of '{name}'"))
                : new SymbolArg(at, name);
        }
        throw s.Error(start, $"expected a system call argument, found {s.Describe()}");
    }

    private static List<StructField> ReadStruct(Scanner s)
    {
        var open = s.Pos;
        s.Pos++;
        var fields = new List<StructField>();
        s.SkipBlankLines();
        if (s.TryConsume("}")) return fields;
        while (true)
        {
            var fieldIndex = s.Pos;
            var name = s.TryReadIdentifier();
            s.SkipBlankLines();
            if (name is null || s.Peek() is not ('=' or '('))
            {
                // a positional element, e.g. the iovec {..., 1000} of parser.y: its field name is empty
                s.Pos = fieldIndex;
                fields.Add(new StructField(s.PositionOf(fieldIndex), "", ReadExpression(s)));
                s.SkipBlankLines();
                if (s.TryConsume("}")) return fields;
                if (s.AtEnd) throw s.Error(open, "unterminated struct (missing '}')");
                if (!s.TryConsume(",")) throw s.Error(s.Pos, $"expected ',' or '}}' in struct, found {s.Describe()}");
                s.SkipBlankLines();
                continue;
            }
            SyscallArg? index = null;
            if (s.Peek() == '(') // parser.y msghdr: msg_name(...)=..., msg_iov(N)=[...]
            {
                var inner = ReadArguments(s, ')', $"index of struct field '{name}'");
                index = inner.Count == 1 ? inner[0] : new ListArg(s.PositionOf(fieldIndex), inner);
                s.SkipBlankLines();
            }
            if (s.Peek() != '=') throw s.Error(s.Pos, $"expected '=' after struct field name '{name}', found {s.Describe()}");
            s.Pos++;
            s.SkipBlankLines();
            fields.Add(new StructField(s.PositionOf(fieldIndex), name, ReadExpression(s)) { Index = index });
            s.SkipBlankLines();
            if (s.TryConsume("}")) return fields;
            if (s.AtEnd) throw s.Error(open, "unterminated struct (missing '}')");
            if (!s.TryConsume(",")) throw s.Error(s.Pos, $"expected ',' or '}}' in struct, found {s.Describe()}");
            s.SkipBlankLines();
        }
    }

    private static string ReadString(Scanner s)
    {
        var open = s.Pos;
        s.Pos++;
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (s.AtLineEnd) throw s.Error(open, "unterminated string (missing '\"')");
            var c = s.Peek();
            s.Pos++;
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (s.AtLineEnd) throw s.Error(open, "unterminated string (missing '\"')");
            var e = s.Peek();
            sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
            s.Pos++;
        }
    }

    /// <summary>Reads <c>-?</c> then decimal digits or <c>0x</c> hex digits, as a long.</summary>
    private static long ReadInteger(Scanner s)
    {
        var start = s.Pos;
        var negative = s.TryConsume("-");
        var hex = s.Peek() == '0' && s.Peek(1) is 'x' or 'X';
        if (hex) s.Pos += 2;
        var digitsStart = s.Pos;
        ulong value = 0;
        var radix = hex ? 16u : 10u;
        while (true)
        {
            var d = HexValue(s.Peek());
            if (d < 0 || d >= radix) break;
            if (value > ((ulong)long.MaxValue - (ulong)d) / radix) throw s.Error(start, "integer out of range");
            value = value * radix + (ulong)d;
            s.Pos++;
        }
        if (s.Pos == digitsStart || Scanner.IsIdentPart(s.Peek()))
            throw s.Error(start, $"malformed integer '{s.Slice(start, s.WordEnd())}'");
        return negative ? -(long)value : (long)value;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Reads a balanced <c>( … )</c> note on the current line and returns its inside, trimmed.</summary>
    private static string ReadNote(Scanner s)
    {
        var open = s.Pos;
        var depth = 0;
        var lineEnd = s.LineEnd;
        for (var i = open; i < lineEnd; i++)
        {
            var c = s[i];
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0)
            {
                s.Pos = i + 1;
                return s.Slice(open + 1, i).Trim();
            }
        }
        throw s.Error(open, "unterminated '(' in system call result (missing ')')");
    }
}
