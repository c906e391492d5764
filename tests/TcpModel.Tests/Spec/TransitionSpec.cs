using System.Text;
using TcpModel.Machine;

namespace TcpModel.Tests.Spec;

/// <summary>One row of spec/transitions.md: one guarded alternative of a state × trigger cell, every
/// column as the file prints it.</summary>
internal sealed record SpecRow(
    string State, string Trigger, string Guard, string Kind, string Next,
    string Effect, string Outcome, string Emits, string Rfc)
{
    /// <summary>The cell's identity: state, trigger and guard alternative.</summary>
    public (string State, string Trigger, string Guard) Key => (State, Trigger, Guard);

    /// <summary>How failure messages name the cell.</summary>
    public string CellName => Name(Key);

    public static string Name((string State, string Trigger, string Guard) key) =>
        key.Guard == "-" ? $"{key.State} × {key.Trigger}" : $"{key.State} × {key.Trigger} [{key.Guard}]";

    public static readonly string[] Columns = ["State", "Trigger", "Guard", "Kind", "Next", "Effect", "Outcome", "Emits", "RFC"];

    public string[] Cells => [State, Trigger, Guard, Kind, Next, Effect, Outcome, Emits, Rfc];
}

/// <summary>
/// spec/transitions.md in both directions: rows from the declared Stateless table (shape from
/// <c>GetInfo()</c>, facts from the dictionary kept beside it), rendered as Markdown, and parsed
/// back from the file.
/// </summary>
internal static class TransitionSpec
{
    public const string FileName = "transitions.md";
    public const string RegenVariable = "TCPMODEL_REGEN_SPEC";

    /// <summary>The rows of a declared table. Kind, next state and guards come from Stateless's
    /// reflection; effect, outcome, emitted segments and RFC from the facts. A Stateless cell without
    /// facts, or facts without a Stateless cell, is reported as an error.</summary>
    public static List<SpecRow> FromDeclared(TransitionTable table, List<string> errors)
    {
        var rows = new List<(CellKey Key, SpecRow Row)>();
        var seen = new HashSet<CellKey>();
        var declared = table.Facts.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i);
        foreach (var state in table.Machine.GetInfo().States)
        {
            var s = (TcpState)state.UnderlyingState;
            foreach (var t in state.FixedTransitions)
                Add(s, t, (TcpState)t.DestinationState.UnderlyingState, t.IsInternalTransition ? CellKind.Internal : CellKind.Transition);
            foreach (var t in state.IgnoredTriggers)
                Add(s, t, s, CellKind.Ignore);
        }
        foreach (var key in table.Facts.Keys.Where(k => !seen.Contains(k)))
            errors.Add($"{Name(key)}: facts declared beside the table but Stateless has no such cell");

        // state, then trigger, then the order the alternatives were declared in
        return rows.OrderBy(r => (int)r.Key.State).ThenBy(r => (int)r.Key.Trigger).ThenBy(r => declared[r.Key])
            .Select(r => r.Row).ToList();

        void Add(TcpState s, Stateless.Reflection.TransitionInfo t, TcpState next, CellKind kind)
        {
            var trig = (Trigger)t.Trigger.UnderlyingTrigger;
            var g = CompiledTable.GuardsOf(t);
            var key = new CellKey(s, trig, g.Length > 0 ? g[0] : Guard.None, g.Length > 1 ? g[1] : Guard.None);
            if (!seen.Add(key)) { errors.Add($"{Name(key)}: Stateless declares the cell twice"); return; }
            if (!table.Facts.TryGetValue(key, out var f)) { errors.Add($"{Name(key)}: Stateless cell without facts"); return; }
            if (f.Kind != kind || f.Next != next)
                errors.Add($"{Name(key)}: facts say {f.Kind} → {f.Next.RfcName()}, Stateless says {kind} → {next.RfcName()}");
            rows.Add((key, new SpecRow(
                s.RfcName(), trig.ToString(), key.GuardText, KindText(kind), next.RfcName(), f.Effect.ToString(),
                trig.IsSegment() ? f.Outcome.ToString().ToLowerInvariant() : "-",
                f.Emits.Length == 0 ? "-" : f.Emits, f.Rfc)));
        }
    }

    public static string Name(CellKey k) => SpecRow.Name((k.State.RfcName(), k.Trigger.ToString(), k.GuardText));

    public static string KindText(CellKind k) => k.ToString().ToLowerInvariant();

    /// <summary>Renders the whole file: an explanation, then one table per state.</summary>
    public static string Render(IReadOnlyList<SpecRow> rows)
    {
        var sb = new StringBuilder();
        sb.Append("""
            # Transition table

            Every cell of the TCP connection state machine (RFC 9293 §3.10): one row per state × trigger ×
            guard alternative of `TransitionTable.Declared`. This file is the specification: the tests in
            `tests/TcpModel.Tests/Spec/` parse it and prove it equal to the declared Stateless table in both
            directions (every row is a declared cell with these facts; every declared cell has a row), that
            every state × trigger pair is declared with guards that are exhaustive and mutually exclusive,
            and that the compiled table agrees with Stateless on every cell.

            Columns:

            - **State**: the RFC name of the state the cell is in.
            - **Trigger**: the input (spec/triggers.md): a user call, a timeout, or a segment class from the classifier.
            - **Guard**: `-` when unguarded, else the named guard predicates (`Guard` enum) that must all hold, joined by ` & `.
              Guards come in complementary pairs (e.g. `ChallengeRst`/`ClassicRst`); policy guards read the profile
              (spec/policies.md).
            - **Kind**: `transition` (Stateless `Permit`), `internal` (reply and stay, `InternalTransition`) or `ignore`.
            - **Next**: the state after the cell.
            - **Effect**: the effect routine of `Endpoint` (`Effect` enum).
            - **Outcome**: for segment triggers, whether SEGMENT ARRIVES drops the segment or continues with the next check; `-` otherwise.
            - **Emits**: the segment(s) sent, in RFC notation (spec/notation.md) over TCB variables; `-` when nothing is sent directly.
            - **RFC**: where the cell's behaviour is specified. "(not produced in this state)" marks triggers the
              classifier never yields in that state (a test generates segments to check it).

            Regenerate after changing the declaration with
            `TCPMODEL_REGEN_SPEC=1 dotnet test --filter 'FullyQualifiedName~TransitionsSpecFile'`, then review the diff:
            a change here is a change of the specification.

            """);
        foreach (var group in rows.GroupBy(r => r.State))
        {
            sb.Append("\n## ").Append(group.Key).Append("\n\n");
            sb.Append(Line(SpecRow.Columns)).Append('\n');
            sb.Append(Line(SpecRow.Columns.Select(_ => "---").ToArray())).Append('\n');
            foreach (var r in group) sb.Append(Line(r.Cells.Select((c, i) => Quote(c, i)).ToArray())).Append('\n');
        }
        return sb.ToString();

        static string Line(string[] cells) => "| " + string.Join(" | ", cells) + " |";
        static string Quote(string cell, int column)
        {
            var escaped = cell.Replace("|", "\\|", StringComparison.Ordinal);
            bool code = column is 2 or 7 && cell != "-" && (column == 2 || cell.StartsWith('<'));
            return code ? "`" + escaped + "`" : escaped;
        }
    }

    /// <summary>Parses the rows of the file: every table line except headers and separators. Lines
    /// that are not well-formed rows are reported with their line number.</summary>
    public static List<(int Line, SpecRow Row)> Parse(string text, List<string> errors)
    {
        var rows = new List<(int, SpecRow)>();
        var lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r').Trim();
            if (!line.StartsWith('|')) continue;
            var cells = SplitRow(line);
            if (cells.Count == SpecRow.Columns.Length && cells[0] == "State") continue;
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue;
            if (cells.Count != SpecRow.Columns.Length)
            {
                errors.Add($"spec/{FileName} line {n + 1}: {cells.Count} columns, expected {SpecRow.Columns.Length}");
                continue;
            }
            rows.Add((n + 1, new SpecRow(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8])));
        }
        return rows;
    }

    private static List<string> SplitRow(string line)
    {
        var cells = new List<string>();
        var cur = new StringBuilder();
        for (int i = 1; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '|') { cur.Append('|'); i++; }
            else if (c == '|') { cells.Add(Unquote(cur.ToString().Trim())); cur.Clear(); }
            else cur.Append(c);
        }
        if (cur.ToString().Trim().Length > 0) cells.Add(Unquote(cur.ToString().Trim()));
        return cells;

        static string Unquote(string s) => s.Length >= 2 && s[0] == '`' && s[^1] == '`' ? s[1..^1] : s;
    }
}
