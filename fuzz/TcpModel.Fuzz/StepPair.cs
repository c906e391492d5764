using TcpModel.Machine;
using TcpModel.Wire;

namespace TcpModel.Fuzz;

/// <summary>
/// The <see cref="Endpoint.Step"/> harness: bytes are decoded into a schedule for two endpoints A and B
/// joined by two channels (a small driver of its own, independent of the property suite's simulator):
/// user calls, deliveries, losses, duplications, forged segments with fields taken from the input, and
/// time passing. After every step: P-01 (no exception) and the TCB invariants below.
/// </summary>
public static class StepPair
{
    private static readonly Profile[] Profiles =
    [
        Profile.Rfc9293,
        Profile.Rfc793,
        Profile.BuiltIn["freebsd"],
        Profile.Rfc9293 with { Name = "all-options", WindowScale = 7, Timestamps = true, SackPermitted = true, DelayedAck = 200_000, FinOnAckWhileFinUnacked = true, RoundReceiveBufferToMss = true, ResetOnCloseWithUnreadData = true },
        Profile.Rfc9293 with { Name = "tiny-buffers", ReceiveBuffer = 3, SendBuffer = 4, ChallengeAckLimitPerSecond = 1 },
    ];

    private sealed class Reader(byte[] data)
    {
        private int _at;
        public bool More => _at < data.Length;
        public byte U8() => _at < data.Length ? data[_at++] : (byte)0;
        public ushort U16() => (ushort)(U8() << 8 | U8());
        public uint U32() => (uint)U16() << 16 | U16();
    }

    /// <summary>Runs the schedule the bytes describe; throws on a finding.</summary>
    public static void Run(byte[] data)
    {
        var r = new Reader(data);
        var profile = Profiles[r.U8() % Profiles.Length];
        var ends = new[]
        {
            new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(r.U32(), r.U32()) }),
            new Endpoint(profile, new EndpointOptions { Isn = new FixedIsnSource(r.U32(), r.U32()) }),
        };
        var channels = new[] { new List<Segment>(), new List<Segment>() }; // channels[i]: segments to endpoint i
        var outbox = new Outbox();
        long now = 0;
        int steps = 0;
        var buffer = new byte[70_000];

        void Step(int side, in Input input)
        {
            var e = ends[side];
            var before = e.State;
            try
            {
                e.Step(input, now, outbox);
            }
            catch (Exception ex)
            {
                throw new FuzzFinding($"P-01: step {steps} of {(side == 0 ? 'A' : 'B')} in {before.RfcName()} threw {ex.GetType().Name}: {ex.Message}");
            }
            foreach (var s in outbox.Segments) if (channels[1 - side].Count < 64) channels[1 - side].Add(s.WithPayload(s.Payload.ToArray()));
            Check(e, side, now, steps);
            steps++;
        }

        while (r.More && steps < 400)
        {
            byte op = r.U8();
            int side = op & 1;
            var e = ends[side];
            switch ((op >> 1) % 12)
            {
                case 0: Step(side, Input.OpenActive); break;
                case 1: Step(side, Input.OpenPassive(remoteSpecified: (op & 0x80) != 0)); break;
                case 2: Step(side, Input.Send(new byte[r.U8() * 8 + 1])); break;
                case 3: Step(side, Input.Receive(buffer.AsMemory(0, r.U8() * 16 + 1))); break;
                case 4: Step(side, Input.Close); break;
                case 5: Step(side, Input.Abort); break;
                case 6 or 7: // deliver the oldest (or a later one: reordering)
                {
                    var ch = channels[side];
                    if (ch.Count == 0) break;
                    int k = (op & 0x80) != 0 ? r.U8() % ch.Count : 0;
                    var seg = ch[k];
                    ch.RemoveAt(k);
                    Step(side, Input.Arrive(seg));
                    break;
                }
                case 8: // lose or duplicate one
                {
                    var ch = channels[side];
                    if (ch.Count == 0) break;
                    int k = r.U8() % ch.Count;
                    if ((op & 0x80) != 0 && ch.Count < 64) ch.Add(ch[k]); else ch.RemoveAt(k);
                    break;
                }
                case 9: // a forged segment near the target's variables
                    Step(side, Input.Arrive(Forge(r, e.Tcb)));
                    break;
                case 10: // time passes to the earlier deadline (or by an amount)
                {
                    long next = Math.Min(ends[0].NextDeadline, ends[1].NextDeadline);
                    now = (op & 0x80) != 0 || next == TimerSet.Off ? now + r.U16() * 1000L : Math.Max(now, next);
                    Step(0, Input.Tick);
                    Step(1, Input.Tick);
                    break;
                }
                default: Step(side, Input.Status); break;
            }
        }
    }

    private static Segment Forge(Reader r, Tcb t)
    {
        byte how = r.U8();
        SeqNum Near(SeqNum basis) => basis + new SeqLen(unchecked((uint)(sbyte)r.U8()));
        var seq = (how & 3) switch { 0 => Near(t.RcvNxt), 1 => Near(t.RcvNxt + new SeqLen(t.RcvWnd)), 2 => Near(t.Irs), _ => new SeqNum(r.U32()) };
        var ack = ((how >> 2) & 3) switch { 0 => Near(t.SndNxt), 1 => Near(t.SndUna), 2 => Near(t.Iss), _ => new SeqNum(r.U32()) };
        var control = (Control)(r.U8() & 0x3F);
        ushort window = r.U16();
        int len = (how >> 4) switch { 0 => 0, 1 => 1, 2 => r.U8(), 3 => r.U16(), _ => (how >> 4) & 7 };
        var options = (how >> 6) switch
        {
            1 => new TcpOptions(mss: r.U16()),
            2 => new TcpOptions(windowScale: r.U8(), sackPermitted: true),
            3 => new TcpOptions(timestamp: new TcpTimestamp(r.U32(), r.U32())),
            _ => TcpOptions.None,
        };
        return new Segment(seq, ack, control, window, new byte[len], options, r.U16());
    }

    /// <summary>The invariants after a step (spec/properties.md P-02, P-15, P-16 and the buffer bounds).</summary>
    private static void Check(Endpoint e, int side, long now, int step)
    {
        var t = e.Tcb;
        string? why = null;
        if (e.State.IsSynchronized() && !(t.SndUna <= t.SndNxt)) why = $"P-02: SND.UNA={t.SndUna} > SND.NXT={t.SndNxt}";
        else if (t.ReceiveQueue.Count > Math.Max(t.ReceiveBufferSize, 0)) why = $"receive queue {t.ReceiveQueue.Count} > buffer {t.ReceiveBufferSize}";
        else if (t.Reassembly.HeldOctets < 0) why = $"negative held octets {t.Reassembly.HeldOctets}";
        else if (e.State == TcpState.Closed && (e.NextDeadline != TimerSet.Off || t.SendQueue.Count != 0 || t.ReceiveQueue.Count != 0 || !t.Reassembly.IsEmpty))
            why = "P-15: CLOSED holds octets or a timer";
        else if (e.NextDeadline != TimerSet.Off && e.NextDeadline <= now && e.NextDeadline != long.MinValue)
            why = $"P-16: deadline {e.NextDeadline} not after now {now}";
        if (why is not null) throw new FuzzFinding($"step {step} of {(side == 0 ? 'A' : 'B')} ({e.State.RfcName()}): {why}");
    }
}
