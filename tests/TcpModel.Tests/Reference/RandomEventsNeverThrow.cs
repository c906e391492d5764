using TcpModel.Machine;
using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Tests.Reference;

/// <summary>
/// Seeded random user calls, segments (near the endpoint's own sequence variables, with random
/// flags, options and windows) and clock steps under every built-in profile: the reference never
/// throws, and its timers never lie in the past.
/// </summary>
public sealed class RandomEventsNeverThrow
{
    [Theory]
    [Trait("RFC", "9293 §3.10")]
    [MemberData(nameof(Seeds))]
    public void NoEventInAnyStateUnderAnyProfileMakesTheReferenceThrow(int seed)
    {
        var rng = new Random(seed);
        var profiles = Profile.BuiltIn.Values.ToArray();
        var profile = profiles[seed % profiles.Length];
        var t = new ReferenceTcp(profile, new SeqNum(unchecked((uint)(uint.MaxValue - rng.Next(0, 100)))),
            new RefPath(Mtu: rng.Next(68, 9001), IPv6: rng.Next(2) == 0));
        var seen = new HashSet<RefState>();
        for (int step = 0; step < 400; step++)
        {
            switch (rng.Next(12))
            {
                case 0: t.OpenPassive(); break;
                case 1: t.OpenActive(); break;
                case 2: t.Send(new byte[rng.Next(0, 4000)]); break;
                case 3: t.Receive(rng.Next(0, 3000), out _); break;
                case 4: t.Close(); break;
                case 5 when rng.Next(8) == 0: t.Abort(); break;
                case 6: t.AdvanceTo(t.Now + rng.Next(0, 3) switch { 0 => rng.Next(0, 1000), 1 => rng.Next(0, 5_000_000), _ => 200_000_000 }); break;
                case 7 when t.NextDeadline is { } d: t.AdvanceTo(d); break;
                case 8 when rng.Next(4) == 0: t.WindowUpdateOnReceive = !t.WindowUpdateOnReceive; break;
                default: t.SegmentArrives(RandomSegment(rng, t)); break;
            }
            seen.Add(t.State);
            if (t.NextDeadline is { } next) Assert.True(next >= t.Now, $"deadline {next} before now {t.Now}");
            if (t.State == RefState.Closed) Assert.Null(t.NextDeadline);
        }
        Assert.True(seen.Count >= 3, string.Join(",", seen));
    }

    private static Segment RandomSegment(Random rng, ReferenceTcp t)
    {
        uint Near(SeqNum s) => unchecked(s.Value + (uint)rng.Next(-3, 4) + (rng.Next(6) == 0 ? (uint)rng.Next() : 0u));
        var ctl = Control.None;
        if (rng.Next(3) > 0) ctl |= Control.ACK;
        if (rng.Next(5) == 0) ctl |= Control.SYN;
        if (rng.Next(6) == 0) ctl |= Control.FIN;
        if (rng.Next(8) == 0) ctl |= Control.RST;
        var options = rng.Next(3) == 0
            ? new TcpOptions(mss: (ushort)rng.Next(0, 65536), windowScale: rng.Next(2) == 0 ? (byte)rng.Next(0, 20) : null)
            : TcpOptions.None;
        var payload = rng.Next(3) == 0 ? new byte[rng.Next(1, 2000)] : [];
        ushort wnd = (ushort)(rng.Next(4) == 0 ? 0 : rng.Next(0, 65536));
        return new Segment(new SeqNum(Near(t.RcvNxt)), new SeqNum(Near(t.SndNxt)), ctl, wnd, payload, options);
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 1; seed <= 40; seed++) data.Add(seed);
        return data;
    }
}
