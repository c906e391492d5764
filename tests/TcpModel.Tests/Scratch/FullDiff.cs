using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Tests.Properties;
using Xunit.Abstractions;

namespace TcpModel.Tests.Scratch;

public sealed class FullDiff(ITestOutputHelper output)
{
    [Fact]
    public void Collect()
    {
        var mode = Environment.GetEnvironmentVariable("FD_MODE") ?? "all";
        int n = int.Parse(Environment.GetEnvironmentVariable("FD_N") ?? "400");
        var opts = new GeneratorOptions(Timers: mode.Contains("timers") || mode == "all", Crafted: mode.Contains("crafted") || mode == "all", Attacks: mode.Contains("attack") || mode == "all", UnspecifiedOpens: false);
        var kinds = new Dictionary<string, (int Count, string Example)>();
        var rng = new Random(1);
        foreach (bool rfc5961 in new[] { true, false })
        for (int i = 0; i < n; i++)
        {
            ulong seed = (ulong)rng.NextInt64();
            var profile = Differential.ProfileFor(rfc5961) with { ChallengeAckLimitPerSecond = mode.Contains("throttle") || mode == "all" ? (rfc5961 ? Profile.Rfc9293.ChallengeAckLimitPerSecond : Profile.Rfc793.ChallengeAckLimitPerSecond) : 0 };
            var s = ScheduleGenerator.Generate(seed, 8 + (int)(seed % 30), opts, profile);
            var shadow = new Differential.ReferenceShadow(s, profile, Differential.ConfigFor(rfc5961).ToPath(), clock: opts.Timers);
            var sim = new Simulator(s, profile, shadow);
            var f = sim.Run();
            if (f is null) continue;
            var key = System.Text.RegularExpressions.Regex.Replace(f.Split('\n')[0], @"\d+", "N");
            key = key.Length > 160 ? key[..160] : key;
            if (kinds.TryGetValue(key, out var k)) kinds[key] = (k.Count + 1, k.Example);
            else kinds[key] = (1, $"rfc5961={rfc5961} seed={seed} size={s.Size}\n{f}\n{sim.Ladder}");
        }
        foreach (var (key, v) in kinds.OrderByDescending(x => x.Value.Count))
            output.WriteLine($"### {v.Count}× {key}\n{v.Example}\n");
        File.WriteAllText("/tmp/fulldiff.txt", string.Join("\n", kinds.OrderByDescending(x => x.Value.Count).Select(x => $"### {x.Value.Count}× {x.Key}\n{x.Value.Example}\n")));
    }
}

public sealed class FullDiffReplay(ITestOutputHelper output)
{
    private sealed class Logging(Differential.ReferenceShadow inner, ITestOutputHelper o) : IShadow
    {
        public string? Skip(Side side, TcpState before, in Input input) => inner.Skip(side, before, input);
        public string? Step(ShadowStep step)
        {
            var r = inner.Step(step);
            foreach (var s in new[] { Side.A, Side.B })
            {
                var rf = inner[s];
                o.WriteLine($"  after '{step.Label}' @{step.Now}: {s} ref {rf.State} rto={rf.RetransmissionDeadline} rtoval={rf.Rto} next={rf.NextDeadline} una={rf.SndUna} nxt={rf.SndNxt}");
            }
            var e = step.Endpoint;
            o.WriteLine($"  model {step.Side} {e.State} timers={e.Tcb.Timers} una={e.Tcb.SndUna} nxt={e.Tcb.SndNxt} rto={e.Tcb.Rto}");
            return r;
        }
    }

    [Fact]
    public void Replay()
    {
        bool rfc5961 = Environment.GetEnvironmentVariable("FD_RFC5961") != "false";
        ulong seed = ulong.Parse(Environment.GetEnvironmentVariable("FD_SEED") ?? "0");
        int size = int.Parse(Environment.GetEnvironmentVariable("FD_SIZE") ?? "10");
        var mode = Environment.GetEnvironmentVariable("FD_MODE") ?? "all";
        var opts = new GeneratorOptions(Timers: mode.Contains("timers") || mode == "all", Crafted: mode.Contains("crafted") || mode == "all", Attacks: mode.Contains("attack") || mode == "all", UnspecifiedOpens: false);
        var profile = Differential.ProfileFor(rfc5961) with { ChallengeAckLimitPerSecond = mode.Contains("throttle") || mode == "all" ? (rfc5961 ? Profile.Rfc9293.ChallengeAckLimitPerSecond : Profile.Rfc793.ChallengeAckLimitPerSecond) : 0 };
        var s = ScheduleGenerator.Generate(seed, size, opts, profile);
        var shadow = new Differential.ReferenceShadow(s, profile, Differential.ConfigFor(rfc5961).ToPath(), clock: opts.Timers);
        var sim = new Simulator(s, profile, new Logging(shadow, output));
        output.WriteLine(sim.Run() ?? "agree");
        output.WriteLine(sim.Ladder);
    }
}
