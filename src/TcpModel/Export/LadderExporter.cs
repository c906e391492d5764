using System.Globalization;
using System.Text;
using TcpModel.Machine;
using TcpModel.Network;

namespace TcpModel.Export;

/// <summary>
/// Writes <see cref="LadderRow"/>s (<see cref="LadderRow.Of"/> a <see cref="Simulator"/> run) as a text ladder in the style of the RFC 9293 figures
/// (§3.5, Figures 6–13): numbered lines, virtual time, TCP A's state, the segment in RFC notation
/// with an arrow showing its direction (<c>--X</c> / <c>X--</c> when the network lost it), TCP B's
/// state, and an optional note. Deterministic: column widths come from the rows themselves.
/// </summary>
public static class LadderExporter
{
    /// <summary>The ladder text (LF line ends, trailing newline). <paramref name="notes"/> maps a
    /// 0-based row index to a short note printed at the end of that line.</summary>
    public static string Write(IReadOnlyList<LadderRow> rows, IReadOnlyDictionary<int, string>? notes = null)
    {
        int middle = 10;
        foreach (var r in rows) middle = Math.Max(middle, Middle(r).Length);
        int number = rows.Count.ToString(CultureInfo.InvariantCulture).Length + 1;

        var sb = new StringBuilder();
        Line(sb, new string(' ', number), "time (s)", "TCP A", "   ", "", "   ", "TCP B", null, middle);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string no = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(number - 1) + ".";
            string time = (r.Time / 1e6).ToString("0.000", CultureInfo.InvariantCulture);
            string? note = notes is not null && notes.TryGetValue(i, out var n) ? n : null;
            var (left, right) = Arrows(r);
            Line(sb, no, time, r.StateA.RfcName(), left, Middle(r), right, r.StateB.RfcName(), note, middle);
        }
        return sb.ToString();
    }

    private static string Middle(LadderRow r) => r.Segment is { } s ? s.ToShortString() : r.Event ?? "";

    private static (string Left, string Right) Arrows(LadderRow r)
    {
        if (r.Segment is null) return ("   ", "   ");
        bool lost = r.Lost;
        return r.From == Side.A ? ("-->", lost ? "--X" : "-->") : (lost ? "X--" : "<--", "<--");
    }

    private static void Line(StringBuilder sb, string no, string time, string a, string left, string middle, string right, string b, string? note, int width)
    {
        sb.Append(no).Append(' ').Append(time.PadLeft(9)).Append("  ").Append(a.PadRight(12)).Append(' ')
          .Append(left).Append(' ').Append(middle.PadRight(width)).Append(' ').Append(right).Append(' ').Append(b.PadRight(12));
        if (note is not null) sb.Append("  ; ").Append(note);
        int end = sb.Length;
        while (end > 0 && sb[end - 1] == ' ') end--;
        sb.Length = end;
        sb.Append('\n');
    }
}
