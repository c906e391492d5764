using System.Globalization;
using System.Text;
using TcpModel.Machine;

namespace TcpModel.Network;

/// <summary>
/// Replays a property's generated case from its schedule seed and size (what a failing property prints):
/// the schedule is drawn again by <see cref="ScheduleGenerator"/> and run on the same <see cref="Simulator"/>
/// the properties use, so <c>tcpmodel simulate --replay SEED --size N</c> shows the run the property saw.
/// </summary>
public static class ScheduleReplay
{
    /// <summary>Draws the schedule and runs it under <paramref name="profile"/>.</summary>
    public static Simulator Run(ulong seed, int size, GeneratorOptions options, Profile profile)
    {
        var scenario = ScheduleGenerator.Generate(seed, size, options);
        var sim = new Simulator(scenario, profile);
        sim.Run();
        return sim;
    }

    /// <summary>The command line that shows a generated scenario's run (null when it was not generated from a seed).</summary>
    public static string? CommandLine(Scenario s, Profile profile) =>
        s.Seed is not { } seed ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"tcpmodel simulate --replay {seed} --size {s.Size} --gen {(s.Options ?? GeneratorOptions.Adversarial).Code} --profile {BaseName(profile)}");

    private static string BaseName(Profile p) => Profile.BuiltIn.ContainsKey(p.Name) ? p.Name : "rfc9293";

    /// <summary>The run as text: the schedule, the ladder, the final states and what each user received.</summary>
    public static string Text(Simulator sim)
    {
        var s = sim.Scenario;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"tcpmodel simulate --replay {s.Seed} --size {s.Size} --gen {(s.Options ?? GeneratorOptions.Adversarial).Code}: profile {sim.Profile.Name}, {s.Events.Count} events");
        sb.AppendLine("schedule: " + s);
        sb.AppendLine();
        sb.Append(sim.Ladder);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"final: A {sim[Side.A].State.RfcName()}, B {sim[Side.B].State.RfcName()} at {sim.Now / 1e6:0.000000}s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"A received \"{Encoding.ASCII.GetString([.. sim.Read[0]])}\" (B sent \"{Encoding.ASCII.GetString([.. sim.Sent[1]])}\")");
        sb.AppendLine(CultureInfo.InvariantCulture, $"B received \"{Encoding.ASCII.GetString([.. sim.Read[1]])}\" (A sent \"{Encoding.ASCII.GetString([.. sim.Sent[0]])}\")");
        if (sim.Failure is not null) sb.AppendLine("failure: " + sim.Failure);
        return sb.ToString();
    }

    /// <summary>The run as JSON: the schedule, final states and what each user received.</summary>
    public static string Json(Simulator sim)
    {
        var s = sim.Scenario;
        var o = new
        {
            seed = s.Seed, size = s.Size, gen = (s.Options ?? GeneratorOptions.Adversarial).Code, profile = sim.Profile.Name,
            iss = new { a = s.IssA, b = s.IssB },
            events = s.Events.Select(e => e.ToString()),
            final = new { a = sim[Side.A].State.RfcName(), b = sim[Side.B].State.RfcName(), time_us = sim.Now },
            received = new { a = Encoding.ASCII.GetString([.. sim.Read[0]]), b = Encoding.ASCII.GetString([.. sim.Read[1]]) },
            sent = new { a = Encoding.ASCII.GetString([.. sim.Sent[0]]), b = Encoding.ASCII.GetString([.. sim.Sent[1]]) },
            failure = sim.Failure,
        };
        return System.Text.Json.JsonSerializer.Serialize(o, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
