using TcpModel.Network;
using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>
/// P-07 (every-state-reachable): a breadth-first search from CLOSED over a small alphabet of inputs —
/// the user calls, time passing to the next timer, and the segments a well-behaved peer sends, with
/// numbers taken from the endpoint's TCB — visits all eleven states of RFC 9293 §3.3.2 Figure 5,
/// under every built-in profile. The shortest input sequence to each state is printed on failure.
/// </summary>
public sealed class Reachability
{
    private const uint PeerIss = 4_294_967_000; // near 2^32: the peer's numbers wrap

    /// <summary>The inputs: a name and how to make the input from the endpoint as it is.</summary>
    private static readonly (string Name, Func<Endpoint, Input> Make)[] Alphabet =
    [
        ("OPEN (passive)", _ => Input.OpenPassive(remoteSpecified: true)),
        ("OPEN (active)", _ => Input.OpenActive),
        ("SEND 1 octet", _ => Input.Send(new byte[] { (byte)'x' })),
        ("CLOSE", _ => Input.Close),
        ("ABORT", _ => Input.Abort),
        ("time passes to the next timer", _ => Input.Tick),
        ("<SEQ=PEER.ISS><CTL=SYN>", _ => Peer(new SeqNum(PeerIss), default, Control.SYN)),
        ("<SEQ=PEER.ISS><ACK=SND.NXT><CTL=SYN,ACK>", e => Peer(new SeqNum(PeerIss), e.Tcb.SndNxt, Control.SYN | Control.ACK)),
        ("<SEQ=RCV.NXT><ACK=SND.NXT><CTL=ACK>", e => Peer(e.Tcb.RcvNxt, e.Tcb.SndNxt, Control.ACK)),
        ("<SEQ=RCV.NXT><ACK=SND.NXT><CTL=FIN,ACK>", e => Peer(e.Tcb.RcvNxt, e.Tcb.SndNxt, Control.FIN | Control.ACK)),
        ("<SEQ=RCV.NXT><ACK=SND.UNA><CTL=FIN,ACK>", e => Peer(e.Tcb.RcvNxt, e.Tcb.SndUna, Control.FIN | Control.ACK)),
        ("<SEQ=RCV.NXT><CTL=RST>", e => Peer(e.Tcb.RcvNxt, default, Control.RST)),
    ];

    private static Input Peer(SeqNum seq, SeqNum ack, Control ctl) =>
        Input.Arrive(new Segment(seq, ack, ctl, 65535, default, ctl.Has(Control.SYN) ? new TcpOptions(mss: 1460) : TcpOptions.None));

    public static TheoryData<string> Profiles() => new(Claims.BuiltInProfiles.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Profiles))]
    [Trait("Property", "P-07")]
    public void P07_EveryStateIsReachableFromClosed(string profileName)
    {
        var profile = Profile.BuiltIn[profileName];
        var paths = new Dictionary<TcpState, int[]> { [TcpState.Closed] = [] };
        var frontier = new Queue<int[]>();
        frontier.Enqueue([]);
        while (frontier.Count > 0 && paths.Count < TcpStates.All.Length)
        {
            var path = frontier.Dequeue();
            if (path.Length == 8) continue;
            for (int k = 0; k < Alphabet.Length; k++)
            {
                int[] next = [.. path, k];
                var state = Replay(profile, next);
                if (paths.ContainsKey(state)) continue;
                paths[state] = next;
                frontier.Enqueue(next);
            }
        }
        var missing = TcpStates.All.Where(s => !paths.ContainsKey(s)).ToList();
        Assert.True(missing.Count == 0,
            $"{profile.Name}: not reached from CLOSED: {string.Join(", ", missing.Select(s => s.RfcName()))}\nReached:\n" +
            string.Join("\n", paths.Select(p => $"  {p.Key.RfcName(),-12} by {Describe(p.Value)}")));
    }

    /// <summary>A fresh endpoint stepped through the inputs, 1 ms apart (a Tick goes to the next deadline).</summary>
    private static TcpState Replay(Profile profile, int[] path)
    {
        var ep = new Endpoint(MutantScope.Apply(profile), new EndpointOptions { Isn = new FixedIsnSource(4_294_966_000) });
        var outbox = new Outbox();
        long now = 0;
        foreach (int k in path)
        {
            now = Alphabet[k].Name.StartsWith("time", StringComparison.Ordinal)
                ? Math.Max(now, ep.NextDeadline == TimerSet.Off ? now : ep.NextDeadline)
                : now + 1_000;
            ep.Step(Alphabet[k].Make(ep), now, outbox);
        }
        return ep.State;
    }

    private static string Describe(int[] path) => path.Length == 0 ? "(nothing)" : string.Join("; ", path.Select(k => Alphabet[k].Name));
}
