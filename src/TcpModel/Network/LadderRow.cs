using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Network;

/// <summary>
/// One row of a ladder in the style of the RFC 9293 figures (§3.5, §3.6, Figures 6–13), read off a
/// <see cref="Simulator"/> run: a user call (<see cref="Event"/> <c>A: CLOSE</c>; the states are those before it), a
/// segment sent (<see cref="From"/> is the sender; the states are those after its step), or a state entered by a
/// step that sent nothing (<c>B: segment -> ESTABLISHED</c>, <c>A: TimeWaitTimeout -> CLOSED</c>). Arrivals are not
/// rows of their own: with a fixed latency a segment arrives where its arrow ends.
/// </summary>
public sealed record LadderRow(long Time, Side From, Segment? Segment, string? Event, bool Lost, TcpState StateA, TcpState StateB)
{
    /// <summary>The row in the RFC figures' style.</summary>
    public override string ToString()
    {
        string what = Segment is { } s ? s.ToShortString() : Event ?? "";
        string arrow = Segment is null ? "  " : From == Side.A ? "-->" : "<--";
        string lost = Lost ? "  (lost)" : "";
        return FormattableString.Invariant($"{Time / 1e6,9:0.000}s  {StateA.RfcName(),-12} {arrow} {what,-46} {StateB.RfcName(),-12}{lost}");
    }

    /// <summary>The ladder of a simulator run's records (<see cref="Simulator.Rows"/>).</summary>
    public static List<LadderRow> Of(IReadOnlyList<SimRow> rows)
    {
        var ladder = new List<LadderRow>();
        var input = InputKind.User; // what started the step whose records follow
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            switch (r.Event)
            {
                case "sends":
                    ladder.Add(new LadderRow(r.Time, r.Side, r.Segment, null, r.SentAndLost, r.A, r.B));
                    break;
                case "arrives" or "injected":
                    input = InputKind.Segment;
                    break;
                case "timer fires":
                    input = InputKind.Tick;
                    break;
                case "lost":
                    break;
                default:
                    if (r.Event.StartsWith("enters ", StringComparison.Ordinal))
                    {
                        // every step's records begin with its input's, so a "sends" right after is the same step
                        bool sent = i + 1 < rows.Count && rows[i + 1].Event == "sends";
                        if (input != InputKind.User && !sent)
                        {
                            string why = input == InputKind.Tick && r.Trigger is { } t ? t.ToString() : "segment";
                            ladder.Add(new LadderRow(r.Time, r.Side, null, $"{r.Side}: {why} -> {r.Event["enters ".Length..]}", false, r.A, r.B));
                        }
                    }
                    else if (r.Segment is null && r.Event.StartsWith($"{r.Side}: ", StringComparison.Ordinal))
                    {
                        ladder.Add(new LadderRow(r.Time, r.Side, null, r.Event, false, r.A, r.B));
                        input = InputKind.User;
                    }
                    break;
            }
        }
        return ladder;
    }
}
