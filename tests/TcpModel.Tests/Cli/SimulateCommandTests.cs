using System.Text;
using TcpModel.Cli;
using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Wire;

namespace TcpModel.Tests.Cli;

/// <summary><c>tcpmodel simulate</c>: every named scenario runs to its end state and shows what it names, runs are
/// deterministic per seed, and the seeded faults change the run. The runs are timed schedules on <see cref="Simulator"/>.</summary>
public sealed class SimulateCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliMain.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static Simulator Scenario(string name)
    {
        var s = NamedScenarios.Find(name)!;
        return TimedSchedule.Run(s.Calls, new Faults(Attacker: s.Attacker), 1, Profile.Rfc9293, s.Fate);
    }

    private static List<SimRow> Segments(Simulator sim, string what, Side side, Func<Segment, bool> which) =>
        [.. sim.Rows.Where(r => r.Event == what && r.Side == side && r.Segment is { } g && which(g))];

    private static string Text(List<byte> octets) => Encoding.ASCII.GetString([.. octets]);

    public static TheoryData<string> Names() => [.. NamedScenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryNamedScenarioRunsAndPrintsTheFinalStatesAndWhatEachUserReceived(string name)
    {
        var (code, output, err) = Run("simulate", "--scenario", name);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("final: A ", output, StringComparison.Ordinal);
        Assert.Contains("A received \"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("failure: ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lifecycle", "ABCDE", "abcde")]
    [InlineData("lost-syn", "ABCDE", "abcde")]
    [InlineData("lost-synack", "ABCDE", "abcde")]
    [InlineData("duplicate-syn", "ABCDE", "abcde")]
    [InlineData("lost-fin", "ABCDE", "abcde")]
    [InlineData("lost-last-ack", "ABCDE", "abcde")]
    [InlineData("simultaneous-close", "ABCDE", "abcde")]
    [InlineData("half-close", "ABCDEFGHIJKLMN", "abcdefg")]
    public void AFaultScenarioStillDeliversBothStreamsAndClosesBothSides(string name, string aGets, string bGets)
    {
        var sim = Scenario(name);
        Assert.Null(sim.Failure);
        Assert.Equal(aGets, Text(sim.Read[0]));
        Assert.Equal(bGets, Text(sim.Read[1]));
        Assert.Equal(sim.Sent[1], sim.Read[0]);
        Assert.Equal(sim.Sent[0], sim.Read[1]);
        Assert.Equal(TcpState.Closed, sim[Side.A].State);
        Assert.Equal(TcpState.Closed, sim[Side.B].State);
    }

    [Fact]
    public void TheLostFinScenarioShowsTheFinTwiceOnceLost()
    {
        var (_, output, _) = Run("simulate", "--scenario", "lost-fin");
        Assert.Contains("(lost)", output, StringComparison.Ordinal);
        Assert.Contains("enters TIME-WAIT", output, StringComparison.Ordinal);
        var sim = Scenario("lost-fin");
        var fins = Segments(sim, "sends", Side.A, g => g.Fin);
        Assert.Equal(2, fins.Count);
        Assert.Equal(fins[0].Segment, fins[1].Segment); // the same FIN again: a retransmission
        Assert.Equal(fins[0].Segment, Assert.Single(Segments(sim, "lost", Side.B, g => g.Fin)).Segment);
        Assert.Single(Segments(sim, "arrives", Side.B, g => g.Fin));
    }

    [Fact]
    public void TheLostLastAckScenarioShowsTimeWaitAcknowledgingTheRetransmittedFinAndRestartingTwoMsl()
    {
        var sim = Scenario("lost-last-ack");
        var fins = Segments(sim, "arrives", Side.A, g => g.Fin);
        Assert.Equal(2, fins.Count);
        Assert.Equal(fins[0].Segment, fins[1].Segment);
        Assert.Equal(TcpState.TimeWait, fins[1].A); // the retransmitted FIN finds A in TIME-WAIT ...
        var finSeq = fins[1].Segment!.Value.Seq;
        var acks = Segments(sim, "sends", Side.A, g => g.HasAck && !g.Fin && g.Ack == finSeq + new SeqLen(1));
        Assert.Equal(2, acks.Count);
        Assert.Equal(fins[1].Time, acks[1].Time);   // ... which acknowledges it again
        Assert.Equal(acks[0].Segment, Assert.Single(Segments(sim, "lost", Side.B, g => g.HasAck && !g.Fin)).Segment);
        var closed = sim.Rows.Single(r => r.Side == Side.A && r.Event == "enters CLOSED");
        Assert.Equal(fins[1].Time + 2 * Profile.Rfc9293.Msl, closed.Time); // and 2 MSL start again from it
    }

    [Fact]
    public void TheLostSynAndLostSynAckScenariosShowTheRetransmission()
    {
        var syn = Scenario("lost-syn");
        var syns = Segments(syn, "sends", Side.A, g => g.Syn && !g.HasAck);
        Assert.Equal(2, syns.Count);
        Assert.Equal(syns[0].Segment, syns[1].Segment);
        Assert.Equal(syns[0].Segment, Assert.Single(Segments(syn, "lost", Side.B, g => g.Syn)).Segment);
        var synack = Scenario("lost-synack");
        Assert.Single(Segments(synack, "lost", Side.A, g => g.Syn && g.HasAck));
        Assert.Equal(2, Segments(synack, "sends", Side.A, g => g.Syn && !g.HasAck).Count);
        Assert.Single(Segments(synack, "arrives", Side.A, g => g.Syn && g.HasAck));
    }

    [Fact]
    public void TheDuplicateSynScenarioAcknowledgesTheDuplicateInSynReceivedWithoutANewConnection()
    {
        var sim = Scenario("duplicate-syn");
        var syns = Segments(sim, "arrives", Side.B, g => g.Syn);
        Assert.Equal(2, syns.Count);
        Assert.Equal(syns[0].Segment, syns[1].Segment);
        Assert.Single(sim.Rows, r => r.Side == Side.B && r.Event == "enters SYN-RECEIVED");
        Assert.Single(sim.Rows, r => r.Side == Side.B && r.Event == "enters ESTABLISHED");
        var answer = Assert.Single(Segments(sim, "sends", Side.B, _ => true), r => r.Time == syns[1].Time).Segment!.Value;
        Assert.True(answer.HasAck && !answer.Syn && !answer.Rst, answer.ToShortString()); // the duplicate is acknowledged
        Assert.Equal(syns[1].Segment!.Value.Seq + new SeqLen(1), answer.Ack);
    }

    [Fact]
    public void TheReorderedAckScenarioDeliversADataSegmentBeforeTheHandshakeAck()
    {
        var sim = Scenario("reordered-ack");
        var arrivals = sim.Rows.Where(r => r.Event == "arrives" && r.Side == Side.B && r.Segment is { Syn: false }).ToList();
        Assert.False(arrivals[0].Segment!.Value.Payload.IsEmpty);          // the data arrives first ...
        Assert.Contains("overtakes", arrivals[0].Note, StringComparison.Ordinal);
        Assert.True(arrivals[1].Segment!.Value.Payload.IsEmpty);           // ... then the handshake's ACK
        Assert.Equal(arrivals[0].Segment!.Value.Seq, arrivals[1].Segment!.Value.Seq);
        Assert.Equal(Text(sim.Sent[0]), Text(sim.Read[1]));
    }

    [Fact]
    public void TheOldDuplicateArrivesAfterTwoMslAndIsNotDeliveredAgain()
    {
        var sim = Scenario("old-duplicate-after-time-wait");
        var old = Assert.Single(sim.Rows, r => r.Event == "arrives" && r.Note == "old duplicate");
        var first = sim.Rows.First(r => r.Event == "arrives" && r.Segment == old.Segment);
        Assert.True(old.Time - first.Time > 2 * Profile.Rfc9293.Msl);
        Assert.Equal(TcpState.Closed, old.B);
        Assert.Equal("abcde", Text(sim.Read[1]));
    }

    [Fact]
    public void SimultaneousOpenPassesThroughSynReceivedOnBothSides()
    {
        var (_, output, _) = Run("simulate", "--scenario", "simultaneous-open");
        Assert.Contains("A enters SYN-RECEIVED", output, StringComparison.Ordinal);
        Assert.Contains("B enters SYN-RECEIVED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SimultaneousCloseAndHalfCloseShowTheirStates()
    {
        var close = Scenario("simultaneous-close");
        Assert.Contains(close.Rows, r => r.Side == Side.A && r.Event == "enters CLOSING");
        Assert.Contains(close.Rows, r => r.Side == Side.B && r.Event == "enters CLOSING");
        var half = Scenario("half-close");
        Assert.Contains(half.Rows, r => r.Side == Side.A && r.Event.StartsWith("reads", StringComparison.Ordinal) && r.A == TcpState.FinWait2);
    }

    [Fact]
    public void TheBlindResetScenarioThrowsAttackerSegmentsAtTheConnection()
    {
        var sim = Scenario("blind-reset");
        var thrown = sim.Rows.Where(r => r.Event == "injected").ToList();
        Assert.NotEmpty(thrown);
        Assert.All(thrown, r => Assert.True(r.Segment!.Value.Rst || r.Segment!.Value.Syn));
        Assert.Contains("(injected: ", Run("simulate", "--scenario", "blind-reset").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRunAndReplayShowsIt()
    {
        var a = Run("simulate", "--seed", "7", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        var b = Run("simulate", "--replay", "7", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        var c = Run("simulate", "--seed", "8", "--loss", "0.2", "--dup", "0.1", "--reorder", "0.2", "--attacker");
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out.Replace("seed 8", "seed 7", StringComparison.Ordinal));
    }

    [Fact]
    public void ASeededFaultyRunIsTheSameRunForTheSameSeedAndItsScheduleReplaysIt()
    {
        var faults = new Faults(Loss: 0.2, Duplicate: 0.2, Reorder: 0.4, Attacker: true);
        var calls = NamedScenarios.Lifecycle();
        var a = TimedSchedule.Run(calls, faults, 7, Profile.Rfc9293);
        var b = TimedSchedule.Run(calls, faults, 7, Profile.Rfc9293);
        Assert.Equal(a.Scenario.Events, b.Scenario.Events);
        Assert.Equal(a.Ladder, b.Ladder);
        // the schedule is an ordinary scenario: run again, it gives the same ladder
        var again = new Simulator(a.Scenario, Profile.Rfc9293);
        again.Run();
        Assert.Equal(a.Ladder, again.Ladder);
        // and it has the faults in it: losses, duplicates, segments overtaking others, the attacker
        Assert.Contains(a.Rows, r => r.Event == "lost");
        Assert.Contains(a.Rows, r => r.Note.StartsWith("duplicated", StringComparison.Ordinal));
        Assert.Contains(a.Rows, r => r.Note.StartsWith("overtakes", StringComparison.Ordinal));
        Assert.Contains(a.Rows, r => r.Event == "injected");
    }

    [Fact]
    public void WithoutFaultsNothingIsLostDuplicatedOrReordered()
    {
        var sim = TimedSchedule.Run(NamedScenarios.Lifecycle(), new Faults(), 7, Profile.Rfc9293);
        Assert.DoesNotContain(sim.Rows, r => r.Event is "lost" or "injected" || r.Note.Length > 0);
        Assert.Equal(sim.Rows.Count(r => r.Event == "sends"), sim.Rows.Count(r => r.Event == "arrives"));
    }

    [Theory]
    [InlineData("--loss", "0.3")]
    [InlineData("--dup", "0.3")]
    [InlineData("--reorder", "0.3")]
    [InlineData("--delay", "50")]
    [InlineData("--attacker", null)]
    [InlineData("--seed", "2")]
    public void EachFaultSettingChangesTheRun(string option, string? value)
    {
        var baseline = new List<string> { "simulate", "--seed", "5", "--loss", "0.1" };
        var clean = Run([.. baseline]);
        int at = baseline.IndexOf(option);
        if (at >= 0) baseline[at + 1] = value!;
        else baseline.AddRange(value is null ? [option] : [option, value]);
        var changed = Run([.. baseline]);
        Assert.Equal(0, changed.Code);
        Assert.Contains("final: A ", changed.Out, StringComparison.Ordinal);
        Assert.NotEqual(Body(clean.Out), Body(changed.Out));
    }

    private static string Body(string output) => output[output.IndexOf("\n       time", StringComparison.Ordinal)..];

    [Fact]
    public void MermaidAndJsonFormats()
    {
        var mermaid = Run("simulate", "--format", "mermaid", "--scenario", "lost-fin").Out;
        Assert.StartsWith("sequenceDiagram\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over B: lost <SEQ=4294966006><ACK=2000000006><CTL=FIN,ACK>", mermaid, StringComparison.Ordinal);
        var json = Run("simulate", "--format", "json").Out;
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("CLOSED", doc.RootElement.GetProperty("final").GetProperty("a").GetString());
        Assert.Equal("abcde", doc.RootElement.GetProperty("received").GetProperty("b").GetString());
    }

    [Fact]
    public void ListShowsEveryScenarioOnOneLine()
    {
        var lines = Run("simulate", "--list").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(NamedScenarios.All.Count, lines.Length);
    }

    [Theory]
    [InlineData("--loss", "2")]
    [InlineData("--dup", "-0.1")]
    [InlineData("--reorder", "x")]
    [InlineData("--delay", "soon")]
    [InlineData("--scenario", "nope")]
    [InlineData("--format", "xml")]
    [InlineData("--seed", "-1")]
    public void BadInputGivesOneLineAndExitTwo(string option, string value)
    {
        var (code, output, err) = Run("simulate", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Scenarios whose faults a sender-side capture can show: not the network's duplicates (the capture holds
    /// one copy, the receiver gets two, and the checker infers loss and delay after the capture point, not
    /// duplication) nor an off-path attacker's segments.</summary>
    public static TheoryData<string> CapturableNames() =>
        [.. NamedScenarios.All.Select(s => s.Name).Where(n => n is not ("duplicate-syn" or "old-duplicate-after-time-wait" or "blind-reset"))];

    [Theory]
    [MemberData(nameof(CapturableNames))]
    public void WithPcap_TheRunIsWrittenAsACaptureThatTheCheckerExplains(string scenario)
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-sim-pcap-").FullName;
        try
        {
            var file = Path.Combine(dir, "run.pcap");
            var (code, _, err) = Run("simulate", "--scenario", scenario, "--pcap", file);
            Assert.True(code == 0, err);
            Assert.True(new FileInfo(file).Length > 24, "the capture holds packets");
            var (check, output, _) = Run("check-pcap", file);
            Assert.True(check == 0, output);
            Assert.Contains("ACCEPTED", output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ATimedScheduleIsWrittenAsCodeThatNamesItsClockAndItsOvertakingDelivery()
    {
        var code = Scenario("reordered-ack").Scenario.ToCode();
        Assert.Contains("Ev.DeliverAt(Side.B, 1)", code, StringComparison.Ordinal);
        Assert.Contains("Ev.Elapse(10000)", code, StringComparison.Ordinal);
        Assert.EndsWith("]) { Timed = true }", code, StringComparison.Ordinal);
    }

    [Fact]
    public void WithReplayAndSize_PcapWritesThePropertyCase()
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-sim-pcap-").FullName;
        try
        {
            var file = Path.Combine(dir, "case.pcap");
            Assert.Equal(0, Run("simulate", "--replay", "17", "--size", "30", "--pcap", file).Code);
            var run = ScheduleReplay.Run(17, 30, GeneratorOptions.Adversarial, Profile.Rfc9293);
            Assert.Equal(run.Rows.Count(r => r.Event is "sends" or "injected"), Packets(file));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static int Packets(string pcap)
    {
        var bytes = File.ReadAllBytes(pcap);
        int packets = 0;
        for (int at = 24; at + 16 <= bytes.Length; packets++)
            at += 16 + BitConverter.ToInt32(bytes, at + 8);
        return packets;
    }

    [Fact]
    public void WithPcap_EverySegmentSentAndEveryAttackerSegmentIsAPacket()
    {
        var dir = Directory.CreateTempSubdirectory("tcpmodel-sim-pcap-").FullName;
        try
        {
            var file = Path.Combine(dir, "run.pcap");
            Assert.Equal(0, Run("simulate", "--scenario", "blind-reset", "--pcap", file).Code);
            var sim = Scenario("blind-reset");
            Assert.Equal(sim.Rows.Count(r => r.Event is "sends" or "injected"), Packets(file));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
