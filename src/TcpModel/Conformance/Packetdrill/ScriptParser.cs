namespace TcpModel.Conformance.Packetdrill;

/// <summary>Parses the line structure of a script: comments, header options, conditionals and events.</summary>
internal sealed class ScriptParser
{
    private readonly Scanner s;
    private readonly string fileName;
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private readonly List<ScriptItem> root = [];
    private readonly Stack<Conditional> open = new();
    private bool failureAnnounced;
    private int? expectedFailureLine;

    public ScriptParser(string text, string fileName)
    {
        s = new Scanner(text, fileName);
        this.fileName = fileName;
    }

    private List<ScriptItem> Current => open.Count == 0 ? root : open.Peek().Current;

    public PacketdrillScript Parse()
    {
        while (!s.AtEnd)
        {
            if (s.AtStatementEnd())
            {
                // packetdrill's own tests announce an expected failure with a "// Failure: ..." comment line
                // before the event that fails
                if (s.StartsWith("// Failure:") && expectedFailureLine is null) failureAnnounced = true;
                s.NextLine();
            }
            else if (s.Peek() == '#') Directive();
            else if (s.StartsWith("--")) Option();
            else if (s.Peek() == '`') Current.Add(EventSyntax.UntimedShell(s)); // packetdrill's init_command / cleanup_command
            else
            {
                var ev = EventSyntax.Parse(s);
                if (failureAnnounced && expectedFailureLine is null) expectedFailureLine = ev.Position.Line;
                failureAnnounced = false;
                Current.Add(ev);
            }
        }
        if (open.Count > 0)
        {
            var c = open.Peek();
            throw s.Error(c.Index, $"#{c.Directive} {c.Name} has no matching #endif");
        }
        return new PacketdrillScript(fileName, options, root) { ExpectedFailureLine = expectedFailureLine };
    }

    private void Option()
    {
        var start = s.Pos;
        s.Pos += 2;
        var name = ReadOptionName();
        if (name.Length == 0) throw s.Error(start, "expected an option name after '--'");
        var value = "";
        if (s.TryConsume("="))
        {
            var from = s.Pos;
            s.Pos = s.WordEnd();
            value = s.Slice(from, s.Pos);
        }
        s.EndStatement($"option '--{name}'");
        options[name] = value;
    }

    private string ReadOptionName()
    {
        var from = s.Pos;
        while (Scanner.IsIdentPart(s.Peek()) || s.Peek() == '-') s.Pos++;
        return s.Slice(from, s.Pos);
    }

    private void Directive()
    {
        var index = s.Pos;
        s.Pos++;
        var directive = s.TryReadIdentifier() ?? "";
        switch (directive)
        {
            case "ifdef" or "ifndef":
                s.SkipSpaces();
                var name = s.TryReadIdentifier() ?? throw s.Error(s.Pos, $"expected a name after '#{directive}', found {s.Describe()}");
                s.EndStatement($"'#{directive} {name}'");
                open.Push(new Conditional(index, directive, name));
                break;
            case "else":
                if (open.Count == 0) throw s.Error(index, "#else without #ifdef");
                if (open.Peek().InElse) throw s.Error(index, $"second #else for #{open.Peek().Directive} {open.Peek().Name}");
                s.EndStatement("'#else'");
                open.Peek().InElse = true;
                break;
            case "endif":
                if (open.Count == 0) throw s.Error(index, "#endif without #ifdef");
                s.EndStatement("'#endif'");
                var c = open.Pop();
                Current.Add(new ConditionalBlock(s.PositionOf(c.Index), c.Name, c.Directive == "ifndef", c.Then, c.Else));
                break;
            default:
                throw s.Error(index, $"unknown directive '#{directive}' (expected #ifdef, #ifndef, #else or #endif)");
        }
    }

    private sealed class Conditional(int index, string directive, string name)
    {
        public int Index { get; } = index;
        public string Directive { get; } = directive;
        public string Name { get; } = name;
        public bool InElse { get; set; }
        public List<ScriptItem> Then { get; } = [];
        public List<ScriptItem> Else { get; } = [];
        public List<ScriptItem> Current => InElse ? Else : Then;
    }
}
