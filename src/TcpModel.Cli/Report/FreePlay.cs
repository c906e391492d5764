using System.Text;
using System.Text.Json;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Cli.Report;

/// <summary>One input a learner can pick, what the model did with it, and the node it leads to.</summary>
internal sealed record PlayChoice(string What, double Time, string? Segment, IReadOnlyList<string> Sent,
    IReadOnlyList<string> Cells, IReadOnlyList<string> Notices, int Next);

/// <summary>One endpoint configuration reachable from a canonical state, with the inputs that leave it.</summary>
internal sealed record PlayNode(int Id, EndpointView View, IReadOnlyList<PlayChoice> Choices);

/// <summary>A canonical state to start from, and its node.</summary>
internal sealed record PlayStart(string State, string Path, int Node);

/// <summary>
/// "Start from any state's canonical TCB and pick inputs": the configurations one endpoint reaches
/// from each canonical state (tcpmodel step's fixtures) by up to <see cref="Depth"/> inputs of a fixed
/// menu (a scripted peer's segments, user calls, the earliest timer), computed breadth-first with the
/// model and capped at <see cref="NodeCap"/> configurations in all. The page follows these links only.
/// </summary>
internal static class FreePlay
{
    public const int Depth = 4;
    public const int NodeCap = 1000;
    private const long Spacing = 10_000;

    private delegate (string Label, Input Input)? Menu(Endpoint ep);

    private static SeqNum RcvNxt(Endpoint ep) => ep.State is TcpState.Closed or TcpState.Listen or TcpState.SynSent ? new SeqNum(CanonicalTcb.Irs + 1) : ep.Tcb.RcvNxt;
    private static Segment Seg(SeqNum seq, SeqNum ack, Control c, string? data = null) =>
        new(seq, ack, c, CanonicalTcb.PeerWindow, data is null ? default : Encoding.ASCII.GetBytes(data));

    private static readonly Menu[] Inputs =
    [
        ep => ep.State == TcpState.Listen || ep.State == TcpState.Closed
            ? ("peer sends SYN", Input.Arrive(new Segment(new SeqNum(CanonicalTcb.Irs), default, Control.SYN, CanonicalTcb.PeerWindow, options: new TcpOptions(mss: CanonicalTcb.PeerMss)))) : null,
        ep => ep.State == TcpState.SynSent
            ? ("peer sends SYN,ACK", Input.Arrive(new Segment(new SeqNum(CanonicalTcb.Irs), ep.Tcb.SndNxt, Control.SYN | Control.ACK, CanonicalTcb.PeerWindow, options: new TcpOptions(mss: CanonicalTcb.PeerMss)))) : null,
        ep => ep.State is TcpState.Closed ? null : ("peer ACKs all we sent", Input.Arrive(Seg(RcvNxt(ep), ep.Tcb.SndNxt, Control.ACK))),
        ep => IsSync(ep) ? ("peer sends data \"abc\"", Input.Arrive(Seg(RcvNxt(ep), ep.Tcb.SndNxt, Control.PSH | Control.ACK, "abc"))) : null,
        ep => IsSync(ep) ? ("peer sends FIN", Input.Arrive(Seg(RcvNxt(ep), ep.Tcb.SndNxt, Control.FIN | Control.ACK))) : null,
        ep => IsSync(ep) ? ("peer retransmits its last FIN", Input.Arrive(Seg(RcvNxt(ep) - new SeqLen(1), ep.Tcb.SndNxt, Control.FIN | Control.ACK))) : null,
        ep => ep.State is TcpState.Closed or TcpState.Listen ? null : ("peer sends RST at RCV.NXT", Input.Arrive(new Segment(RcvNxt(ep), ep.State == TcpState.SynSent ? ep.Tcb.SndNxt : default, ep.State == TcpState.SynSent ? Control.RST | Control.ACK : Control.RST))),
        ep => IsSync(ep) ? ("peer sends RST inside the window", Input.Arrive(new Segment(RcvNxt(ep) + new SeqLen(100), default, Control.RST))) : null,
        ep => IsSync(ep) ? ("peer sends a new SYN", Input.Arrive(new Segment(RcvNxt(ep) + new SeqLen(100_000), default, Control.SYN, CanonicalTcb.PeerWindow))) : null,
        ep => ep.State == TcpState.Closed ? ("OPEN (passive)", Input.OpenPassive()) : null,
        ep => ep.State is TcpState.Closed or TcpState.Listen ? ("OPEN (active)", Input.OpenActive) : null,
        ep => ep.State is TcpState.Closed ? null : ("SEND \"hi\"", Input.Send(Encoding.ASCII.GetBytes("hi"))),
        ep => ep.State is TcpState.Closed ? null : ("RECEIVE", Input.Receive(new byte[64])),
        ep => ep.State is TcpState.Closed ? null : ("CLOSE", Input.Close),
        ep => ep.State is TcpState.Closed ? null : ("ABORT", Input.Abort),
    ];

    private static bool IsSync(Endpoint ep) => ep.State is not (TcpState.Closed or TcpState.Listen or TcpState.SynSent);

    public static (IReadOnlyList<PlayStart> Starts, IReadOnlyList<PlayNode> Nodes) Build(Profile profile)
    {
        var nodes = new List<(EndpointView View, List<PlayChoice> Choices, List<int> Path, long Now)>();
        var byKey = new Dictionary<string, int>();
        var starts = new List<PlayStart>();
        var queue = new Queue<(int Node, TcpState Start, int Depth)>();
        foreach (var state in Enum.GetValues<TcpState>())
        {
            var (ep, path) = CanonicalTcb.Build(state, profile);
            var view = StepRecorder.View(ep);
            int id = Intern(state.ToString() + "|" + Key(view), view, [], path.Count * Spacing, nodes, byKey, out _);
            starts.Add(new PlayStart(state.RfcName(), string.Join(", ", path.Select(p => p.Label)), id));
            queue.Enqueue((id, state, 0));
        }
        var outbox = new Outbox();
        while (queue.Count > 0)
        {
            var (id, start, depth) = queue.Dequeue();
            if (depth >= Depth) continue;
            for (int i = -1; i < Inputs.Length; i++)
            {
                var ep = Replay(start, profile, nodes[id].Path, out var t);
                (string Label, Input Input)? choice;
                long at;
                if (i < 0)
                {
                    if (ep.NextDeadline == TimerSet.Off) continue;
                    var kind = Enum.GetValues<TimerKind>().MinBy(k => ep.Tcb.Timers.Get(k));
                    choice = ($"the {StepRecorder.TimerName(kind)} timer expires", Input.Tick);
                    at = ep.NextDeadline;
                }
                else { choice = Inputs[i](ep); at = t + Spacing; }
                if (choice is not { } c) continue;
                outbox.Clear();
                ep.Step(c.Input, at, outbox);
                var view = StepRecorder.View(ep);
                if (nodes.Count >= NodeCap && !byKey.ContainsKey(start + "|" + Key(view))) continue;
                int next = Intern(start + "|" + Key(view), view, [.. nodes[id].Path, i], at, nodes, byKey, out bool added);
                nodes[id].Choices.Add(Choice(at, c.Label, c.Input, outbox, next));
                if (added) queue.Enqueue((next, start, depth + 1));
            }
        }
        return (starts, nodes.Select((n, i) => new PlayNode(i, n.View, n.Choices)).ToList());
    }

    private static PlayChoice Choice(long at, string label, Input input, Outbox outbox, int next)
    {
        var sent = new List<string>();
        foreach (var s in outbox.Segments) sent.Add(s.ToString());
        var cells = new List<string>();
        foreach (var f in outbox.Fired) cells.Add(Site.Anchor(f.Cell.Key));
        var notices = new List<string>();
        foreach (var n in outbox.Notices) notices.Add(n.Text());
        return new PlayChoice(label, at / 1e6, input.Kind == InputKind.Segment ? input.Segment.ToString() : null, sent, cells, notices, next);
    }

    private static Endpoint Replay(TcpState start, Profile profile, List<int> path, out long now)
    {
        var (ep, fixture) = CanonicalTcb.Build(start, profile);
        now = fixture.Count * Spacing;
        var outbox = new Outbox();
        foreach (int i in path)
        {
            if (i < 0) { now = ep.NextDeadline; ep.Step(Input.Tick, now, outbox); }
            else { now += Spacing; var c = Inputs[i](ep)!.Value; ep.Step(c.Input, now, outbox); }
            outbox.Clear();
        }
        return ep;
    }

    private static string Key(EndpointView v) => JsonSerializer.Serialize(v);

    private static int Intern(string key, EndpointView view, List<int> path, long now,
        List<(EndpointView, List<PlayChoice>, List<int>, long)> nodes, Dictionary<string, int> byKey, out bool added)
    {
        if (byKey.TryGetValue(key, out var id)) { added = false; return id; }
        nodes.Add((view, [], path, now));
        added = true;
        return byKey[key] = nodes.Count - 1;
    }
}
