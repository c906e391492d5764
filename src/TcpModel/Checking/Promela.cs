using System.Globalization;
using System.Reflection;
using System.Text;
using TcpModel.Machine;

namespace TcpModel.Checking;

/// <summary>The bounds asked for cannot be written as Promela (one line saying why).</summary>
public sealed class PromelaExportException(string message) : Exception(message);

/// <summary>
/// Writes the explorer's bounded system as a Promela model for SPIN (issue 9, "SPIN cross-check"): two endpoint
/// processes and a network process over a set of in-flight segments. The cells — which effect, which next state,
/// whether processing continues — are generated FROM THE COMPILED TABLE of the profile (with its mutant: a table
/// mutant changes the exported model by itself), one Promela <c>inline</c> per trigger; the classifier of
/// SEGMENT ARRIVES (§3.10.7), the effect routines, the output routine and the timers are written once, below, in
/// Promela, mirroring <see cref="Endpoint"/> for payload 0. Bounds, profile values and the few code-level seeded
/// bugs are <c>#define</c>s. See docs/readme/spin.md.
/// </summary>
public static class PromelaExport
{
    /// <summary>The explorer checks the exported model asserts (each assertion names its check, hyphens written
    /// as underscores). <c>deadlock</c> is SPIN's invalid-end-state search: the only valid end state is a finished
    /// one (<see cref="SystemModel.IsFinished"/>).</summary>
    public static IReadOnlyList<string> Checks { get; } =
        ["state-agrees-with-fin-flags", "retransmitted-fin-reset", "time-wait-2msl", "retransmission-timer-armed", "deadlock"];

    /// <summary>The seeded bugs that live in code rather than in the table, and that the export writes as a
    /// <c>#define</c> of the Promela runtime (table mutants need nothing: the table carries them).</summary>
    public static IReadOnlyList<Mutant> CodeMutants { get; } =
        [Mutant.TimeWaitZero, Mutant.TimeWaitNoRestartOnFin, Mutant.AckOfFinNotRecognised, Mutant.RetransmitTimerNotRearmed];

    /// <summary>The seeded bugs applied to the compiled table (ProfileTable's <c>// MUTANT</c> sites).</summary>
    public static IReadOnlyList<Mutant> TableMutants { get; } = [Mutant.SynIgnoredInSynSent, Mutant.FinInFinWait1ToCloseWait];

    /// <summary>Segment slots of the network (a set: an equal segment merges, as in the explorer).</summary>
    public const int Slots = 8;

    // Profile properties the Promela runtime reads (as #defines), or that cannot matter at payload 0 with no
    // SEND, no RECEIVE, no ABORT (buffers, MSS, options, data-path policies, user notices). Every other property
    // must equal rfc9293's, or the export refuses the profile: a property added to Profile later is refused until
    // it is looked at here.
    private static readonly HashSet<string> Modelled = new(StringComparer.Ordinal)
    {
        "Name", "Mutant", "EqualityContract",
        // timers
        "Msl", "RtoInitial", "RtoMin", "RtoMax", "R2", "R2Syn", "UserTimeout", "R1",
        // policies decided by table guards (folded from the profile when the table is read)
        "ChallengeAckOnRst", "ChallengeAckOnSyn", "AckRangeCheck", "IgnoreRstInTimeWait", "ReopenFromTimeWait", "RestoreTimeWaitOnReset",
        "ResendSynAckOnRetransmittedSyn", "AckAheadSilentDrop", "ResetOnCloseWithUnreadData",
        // code-level policies the runtime implements
        "ChallengeAckLimitPerSecond", "ChallengeSynIrrespectiveOfSequence", "SimultaneousCloseAckOfRepeatedFin",
        "ProcessAckOfOldSegment", "TimeWaitFinChecksAck", "SynAckRuleOnlyAfterSynSent", "TimeWaitAckRule", "ReceiveBuffer",
        // irrelevant at payload 0 without SEND/RECEIVE/ABORT: data path, options, notices
        "MssIPv4", "MssIPv6", "Mtu", "SendBuffer", "SackPermitted", "Timestamps", "ReceiverSwsOnEveryAck",
        "NoticeQueuedSendsInSynSent", "ReportResetAfterPeerFin", "DelayedAck", "QuickAcks", "AbortResetWithAck",
        "UserTimeoutEndsClosedWindow", "KeepAliveInterval", "WindowUpdateOnlyWhenDoubled", "DropHeldFinAtEstablishment",
        "ResetSynReceivedOnListenerClose", "WindowScale", "ZeroWindowProbeForm",
    };

    /// <summary>Why the export cannot write these bounds, or null when it can.</summary>
    public static string? Unsupported(ExplorerConfig cfg)
    {
        if (cfg.Payload != 0) return "payload must be 0 (the Promela model has no SEND: open and close only)";
        if (cfg.Dup != 0) return "dup must be 0 (the network of the Promela model loses but does not duplicate)";
        if (cfg.Attacks != 0) return "the Promela model has no attacker";
        if (cfg.OldDuplicates) return "the Promela model has no second incarnation (--old-duplicates)";
        if (cfg.Aborts) return "the Promela model has no ABORT";
        if (cfg.Loss is < 0 or > 8) return "loss must be 0..8";
        if (cfg.Mutant != Mutant.None && !CodeMutants.Contains(cfg.Mutant) && !TableMutants.Contains(cfg.Mutant))
            return $"mutant {Mutants.Name(cfg.Mutant)} is not modelled by the Promela export (supported: {string.Join(", ", TableMutants.Concat(CodeMutants).Select(Mutants.Name))})";
        var p = cfg.Profile;
        foreach (var prop in typeof(Profile).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.NonPublic))
        {
            if (Modelled.Contains(prop.Name) || prop.GetIndexParameters().Length > 0) continue;
            if (!Equals(prop.GetValue(p), prop.GetValue(Profile.Rfc9293)))
                return $"profile {p.Name}: {prop.Name} = {prop.GetValue(p)} is not modelled by the Promela export (only rfc9293's value {prop.GetValue(Profile.Rfc9293)})";
        }
        if (p.TimeWaitAckRule != TimeWaitAckRule.FinOnly && p.TimeWaitAckRule != TimeWaitAckRule.EveryAck)
            return $"profile {p.Name}: time-wait-ack-rule {p.TimeWaitAckRule} is not modelled by the Promela export";
        var e = cfg.EffectiveProfile;
        long biggest = Math.Max(Math.Max(e.R2, e.R2Syn), 2 * e.Msl) * 3 + e.UserTimeout;
        if (biggest > int.MaxValue) return $"profile {p.Name}: its durations do not fit Promela's 32-bit int clock in microseconds";
        return null;
    }

    /// <summary>The Promela model of <paramref name="cfg"/> (deterministic: the same bounds give the same text).</summary>
    public static string Write(ExplorerConfig cfg)
    {
        if (Unsupported(cfg) is { } why) throw new PromelaExportException(why);
        var p = cfg.EffectiveProfile; // the mutant and the R2 shortened by Retries, as the explorer uses it
        var sb = new StringBuilder();
        Header(sb, cfg, p);
        Defines(sb, cfg, p);
        sb.Append(Runtime);
        Cells(sb, p);
        Processes(sb, cfg);
        // SPIN's parser of inline bodies does not take a condition continued on the next line: join them
        var text = sb.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(text, @"\n[ ]+(&&|\|\|)", " $1");
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static void Header(StringBuilder sb, ExplorerConfig cfg, Profile p)
    {
        sb.Append($$"""
            /*
             * TcpModel: the explorer's bounded system as Promela, written by `tcpmodel export promela`.
             * Bounds: {{cfg.Describe()}}.
             * Effective timers (µs): RTO {{I(p.RtoInitial)}} (min {{I(p.RtoMin)}}, max {{I(p.RtoMax)}}), R2 {{I(p.R2)}}, R2 for SYNs {{I(p.R2Syn)}}{{(cfg.Retries is int r ? $" (shortened by --retries {r} as ExplorerConfig.EffectiveProfile does)" : "")}},
             *   MSL {{I(p.Msl)}}, TIME-WAIT on entry {{I(cfg.Mutant == Mutant.TimeWaitZero ? 0 : 2 * p.Msl)}}, user timeout {{I(p.UserTimeout)}}.
             *
             * Generated from the compiled transition table of profile {{p.Name}}{{(cfg.Mutant == Mutant.None ? "" : " with mutant " + Mutants.Name(cfg.Mutant))}}: `load_cells`
             * below holds every cell (effect, next state, kind, outcome) the profile decides, `fire` the alternatives
             * whose guards depend on the TCB. The classifier, effects, output routine and timers are TcpModel's Endpoint
             * written once in Promela for payload 0. Run: spin -a; gcc -O0 -DSAFETY -o pan pan.c; ./pan (depth-first:
             * pan's BFS refuses the hidden scratch variables of a step).
             *
             * ABSTRACTION (what differs from the explorer's state, and why the verdicts still compare):
             *  - Sequence numbers are offsets (short ints) from each side's first ISN (A {{cfg.IsnA}}, B {{cfg.IsnB}}):
             *    a SEQ field is an offset in its sender's space, an ACK field in its receiver's. With payload 0 a side's
             *    sequence space holds only SYN and FIN, and a new ISN is the previous plus {{cfg.IsnStep}} (the explorer's
             *    scripted ISN source), so offsets stay small and every comparison of SeqNums (mod 2^32) equals the
             *    comparison of offsets: exact for these bounds, the wrap itself is not exercised. SEQ=0 of a
             *    <SEQ=0><ACK=..><CTL=RST,ACK> reply is the offset of 0 in the sender's space (ZERO_OFF).
             *  - No text: no SEND, no RECEIVE; RCV.WND stays the receive buffer ({{p.ReceiveBuffer}}), SND.WND plays no part
             *    (windows never close), MAX.SND.WND is the peer's SYN window. Effects that only move text are asserted
             *    unreachable ("unmodelled_effect").
             *  - Time: a global clock in µs that advances only to the earliest armed deadline (as the explorer does);
             *    after every step it is set back to 0 with every deadline, epoch and segment age relative to it (the
             *    explorer's canonical states). A segment older than MSL leaves the network.
             *  - The network is a set of {{Slots}} slots, not a FIFO channel: every segment in flight may be delivered
             *    next ("reorder free"), or lost within the loss budget; a segment equal to one in flight merges with
             *    it, keeping the younger age (the explorer's set); no duplication. The slots are kept sorted.
             *  - One incarnation: no SYN above RCV.NXT reaches TIME-WAIT, so no reopening (RFC 1122 §4.2.2.13) and no
             *    TIME-WAIT kept to restore (POLICY reopen-reset-restores-time-wait's guard is exported as false).
             *  - Checks: the assertions name the explorer's checks; `deadlock` is SPIN's invalid end state (the only
             *    valid end state is a finished one). can-finish and can-establish are backward-reachability (CTL EF)
             *    properties that a SPIN safety run does not decide: not checked here.
             */


            """);
    }

    private static void Defines(StringBuilder sb, ExplorerConfig cfg, Profile p)
    {
        foreach (var s in TcpStates.All) sb.Append($"#define S_{s} {(int)s}\n");
        foreach (var t in Triggers.All) sb.Append($"#define T_{t} {(int)t}\n");
        foreach (var e in Enum.GetValues<Effect>()) sb.Append($"#define E_{e} {(int)e}\n");
        int zeroA = unchecked((int)(0u - cfg.IsnA)), zeroB = unchecked((int)(0u - cfg.IsnB));
        if (zeroA is < -30000 or > 30000 || zeroB is < -30000 or > 30000)
            throw new PromelaExportException($"ISNs {cfg.IsnA} and {cfg.IsnB}: the offset of sequence number 0 does not fit a short; choose ISNs near 2^32 or 0");
        var lines = new (string Name, long Value)[]
        {
            ("NSEG", Slots), ("LOSS", cfg.Loss), ("ISNSTEP", cfg.IsnStep), ("ZERO_A", zeroA), ("ZERO_B", zeroB),
            ("RTO_INIT", p.RtoInitial), ("RTO_MIN", p.RtoMin), ("RTO_MAX", p.RtoMax), ("R2", p.R2), ("R2SYN", p.R2Syn),
            ("MSL", p.Msl), ("TW_ENTRY", cfg.Mutant == Mutant.TimeWaitZero ? 0 : 2 * p.Msl), ("USER_TIMEOUT", p.UserTimeout),
            ("RCVWND", Math.Min(p.ReceiveBuffer, 65535)), ("MAXSNDWND", Math.Min(p.ReceiveBuffer, 65535)),
            ("CHALLENGE_LIMIT", p.ChallengeAckLimitPerSecond),
            ("CHALLENGE_SYN", p.ChallengeAckOnSyn ? 1 : 0),
            ("CHALLENGE_SYN_ANY_SEQ", p.ChallengeSynIrrespectiveOfSequence ? 1 : 0),
            ("SIMCLOSE_ACK_OF_REPEATED_FIN", p.SimultaneousCloseAckOfRepeatedFin ? 1 : 0),
            ("PROCESS_OLD_ACK", p.ProcessAckOfOldSegment ? 1 : 0),
            ("TW_FIN_CHECKS_ACK", p.TimeWaitFinChecksAck ? 1 : 0),
            ("SYNACK_RULE_AFTER_SYNSENT_ONLY", p.SynAckRuleOnlyAfterSynSent ? 1 : 0),
            ("TW_EVERY_ACK", p.TimeWaitAckRule == TimeWaitAckRule.EveryAck ? 1 : 0),
            ("MUT_TW_NO_RESTART", cfg.Mutant == Mutant.TimeWaitNoRestartOnFin ? 1 : 0),
            ("MUT_ACK_OF_FIN_NOT_RECOGNISED", cfg.Mutant == Mutant.AckOfFinNotRecognised ? 1 : 0),
            ("MUT_RTX_NOT_REARMED", cfg.Mutant == Mutant.RetransmitTimerNotRearmed ? 1 : 0),
        };
        foreach (var (name, value) in lines) sb.Append($"#define {name} {I(value)}\n");
        sb.Append('\n');
    }

    // The guards the profile does not decide, as Promela over the runtime's TCB variables (payload 0: no SEND is
    // ever queued and nothing is ever unread).
    private static string GuardExpr(Guard g) => g switch
    {
        Guard.PassiveOpen => "(passive[me] && !reopened[me])",
        Guard.ActiveOpen => "!(passive[me] && !reopened[me])",
        Guard.RemoteSpecified => "remote[me]",
        Guard.RemoteUnspecified => "!remote[me]",
        Guard.NothingQueued => "1",
        Guard.SendsQueued => "0",
        Guard.UnreadDataResets => "0",
        Guard.NormalClose => "1",
        Guard.CloseQueued => "closeq[me]",
        Guard.NoCloseQueued => "!closeq[me]",
        // POLICY reopen-reset-restores-time-wait: with one incarnation (no --old-duplicates) no SYN above RCV.NXT ever
        // reaches TIME-WAIT, so there is never a TIME-WAIT to restore (the header's ABSTRACTION says so)
        Guard.TimeWaitToRestore => "0",
        Guard.NoTimeWaitToRestore => "1",
        _ => throw new PromelaExportException($"guard {g} is not decided by the profile and has no Promela form"),
    };

    /// <summary><c>inline fire(me)</c>: the cell of (state, trigger) from the compiled table specialised to the
    /// profile, as data (effect, next state, kind, outcome); then the one <c>apply</c> of the effect.</summary>
    private static void Cells(StringBuilder sb, Profile p)
    {
        var table = CompiledTable.Instance;
        var specialised = table.For(p);
        var anyTcb = new Tcb();
        sb.Append("\n/* ---- the cells, from the compiled table (profile ").Append(p.Name).Append(") ----\n");
        sb.Append("   cell[state * NTRIG + trigger] = effect | next << 8 | transition << 12 | continue << 13, or -1: the cell's\n");
        sb.Append("   alternatives depend on the TCB and are the options of `fire` below */\n");
        sb.Append($"#define NTRIG {Triggers.Count}\nhidden int cell[{TcpStates.Count * Triggers.Count}];\n\n");
        var load = new StringBuilder("inline load_cells() {\n    d_step {\n");
        int loaded = 0;
        var guarded = new StringBuilder();
        foreach (var s in TcpStates.All)
        {
            foreach (var t in Triggers.All)
            {
                var alts = new List<(CellFacts Facts, string Guard)>();
                bool dependsOnTcb = false;
                foreach (ref readonly var c in table.Alternatives(s, t))
                {
                    var g1 = Guards.EvaluateForProfile(c.Guard1, p);
                    var g2 = Guards.EvaluateForProfile(c.Guard2, p);
                    if (g1 == false || g2 == false) continue;
                    var parts = new List<string>();
                    if (g1 is null) { parts.Add(GuardExpr(c.Guard1)); dependsOnTcb = true; }
                    if (g2 is null) { parts.Add(GuardExpr(c.Guard2)); dependsOnTcb = true; }
                    alts.Add((c.Facts, parts.Count == 0 ? "1" : string.Join(" && ", parts)));
                }
                int index = (int)s * Triggers.Count + (int)t;
                if (++loaded % 64 == 0) load.Append("    };\n    d_step {\n");   // SPIN merges at most 256 statements in a row
                string Comment(CellFacts f) => $"/* {f.Key.State} x {f.Key.Trigger} [{f.Key.GuardText}]: {f.Kind} -> {f.Next}, {f.Effect}, {f.Outcome}; {f.Rfc.Replace("*/", "* /", StringComparison.Ordinal)} */";
                if (alts.Count == 0) { load.Append($"    cell[{index}] = -1;  /* {s} x {t}: no cell */\n"); continue; }
                if (alts.Count == 1 && !dependsOnTcb)
                {
                    // a cell the profile alone decides is read through the profile's table, which carries the table mutants
                    var f = specialised.Lookup(s, t, anyTcb) ?? alts[0].Facts;
                    int packed = (int)f.Effect | (int)f.Next << 8 | (f.Kind == CellKind.Transition ? 1 << 12 : 0) | (f.Outcome == Outcome.Continue ? 1 << 13 : 0);
                    load.Append($"    cell[{index}] = {packed};  {Comment(f)}\n");
                    continue;
                }
                load.Append($"    cell[{index}] = -1;  /* {s} x {t}: guarded, see fire */\n");
                foreach (var (f, guard) in alts)
                    guarded.Append($"    :: trig == T_{t} && st[me] == S_{s} && {guard} -> ceff = E_{f.Effect}; cnext = S_{f.Next}; ckind = {(f.Kind == CellKind.Transition ? 1 : 0)}; oc = {(f.Outcome == Outcome.Continue ? 1 : 0)}  {Comment(f)}\n");
            }
        }
        sb.Append(load).Append("    }\n}\n\n");
        sb.Append("inline fire(me) {\n    ceff = 255;\n    if\n").Append(guarded);
        sb.Append("""
                :: else ->
                    r_ = cell[st[me] * NTRIG + trig];
                    if :: r_ >= 0 -> ceff = r_ & 255; cnext = (r_ >> 8) & 15; ckind = (r_ >> 12) & 1; oc = (r_ >> 13) & 1 :: else -> skip fi
                fi;
                if
                :: ceff == 255 -> oc = 0   /* no cell: drop */
                :: else -> apply(me); if :: ckind == 1 -> enter(me, cnext) :: else -> skip fi
                fi
            }


            """);
        sb.Append(Arrive);
    }

    private static void Processes(StringBuilder sb, ExplorerConfig cfg)
    {
        sb.Append("#define NOTHING_IN_FLIGHT (").Append(string.Join(" && ", Enumerable.Range(0, Slots).Select(i => $"!net[{i}].used"))).Append(")\n");
        sb.Append(Finish);
        // each move is chosen (k, a visible local) and then run in one d_step: no intermediate states
        var calls = new StringBuilder();
        var choose = new StringBuilder();
        int id = 0;
        // the scripts: each side's user calls in order, each step a set of alternatives (ExplorerConfig.ScriptA/B)
        foreach (var (side, script) in new[] { (0, cfg.ScriptA), (1, cfg.ScriptB) })
        {
            for (int pc = 0; pc < script.Length; pc++)
                foreach (var call in script[pc])
                {
                    var trig = call switch
                    {
                        UserCall.OpenActive => "OpenActive",
                        UserCall.OpenPassive => "OpenPassive",
                        UserCall.Close => "Close",
                        _ => throw new PromelaExportException($"user call {call} is not modelled"),
                    };
                    id++;
                    choose.Append($"        :: !done && me == {side} && upc[me] == {pc} -> k = {id}   /* {(side == 0 ? "A" : "B")}: {call} */\n");
                    calls.Append($"    :: k == {id} -> upc[me] = {pc + 1}; trig = T_{trig}; mode = M_CALL; printf(\"MOVE %d calls {call}\\n\", me)\n");
                }
        }
        for (int i = 0; i < Slots; i++)
            choose.Append($"        :: !done && net[{i}].used && net[{i}].dst == me -> k = {100 + i}   /* delivery of any segment in flight */\n");
        choose.Append("        :: !done && DEADLINE(me) != OFF && DEADLINE(me) <= DEADLINE(1 - me) -> k = 200   /* the earliest deadline */\n");
        sb.Append("inline setup(me) {\n    if\n").Append(calls);
        sb.Append("    :: k >= 100 && k < 200 -> take(k - 100); mode = M_SEG; printf(\"MOVE %d receives flags %d seq %d ack %d\\n\", me, gf, gs, ga)\n");
        sb.Append("    :: k == 200 -> clk = DEADLINE(me); expire(); mode = M_TICK; printf(\"MOVE %d timeout after %d us\\n\", me, clk)\n    fi\n}\n\n");
        sb.Append("proctype Endpoint(bit me) {\n    byte k;\n    do\n    :: done -> break\n    :: atomic {\n        if\n").Append(choose);
        sb.Append("""
                    fi;
                    d_step { setup(me); step(me); k = 0 }
                }
                od
            }


            """);
        sb.Append("""
            proctype Network() {
                do
                :: done -> break
                :: d_step { !done && FINISHED -> done = 1 }

            """);
        for (int i = 0; i < Slots; i++)
            sb.Append($"    :: d_step {{ !done && lost < LOSS && net[{i}].used -> lost++; printf(\"MOVE the network loses flags %d seq %d ack %d\\n\", net[{i}].fl, net[{i}].sq, net[{i}].ak); free({i}); canon() }}\n");
        sb.Append("""
                od
            }

            init {
                atomic {
                    load_cells(); clear_tcb(0); clear_tcb(1);
                    run Endpoint(0); run Endpoint(1); run Network()
                }
            }

            """);
    }

    private const string Finish = """
        /* the explorer's finished states (SystemModel.IsFinished): nothing in flight, each side CLOSED or LISTEN, or
           ESTABLISHED / CLOSE-WAIT / FIN-WAIT-2 with nothing unacknowledged */
        #define QUIESCENT(x) (st[x] == S_Closed || st[x] == S_Listen || ((st[x] == S_Established || st[x] == S_CloseWait || st[x] == S_FinWait2) && una[x] == nxt[x]))
        #define FINISHED (NOTHING_IN_FLIGHT && QUIESCENT(0) && QUIESCENT(1))


        """;

    private const string Runtime = """
        #define OFF 2147483647
        #define NONE (-2147483647)
        #define F_SYN 1
        #define F_ACK 2
        #define F_FIN 4
        #define F_RST 8
        #define HAS(f, b) (((f) & (b)) != 0)
        #define MIN(a, b) ((a) < (b) -> (a) : (b))
        #define DEADLINE(x) MIN(MIN(rt[x], ut[x]), tw[x])
        #define ZERO_OFF(x) ((x) == 0 -> ZERO_A : ZERO_B)
        #define M_IDLE 0
        #define M_CALL 1
        #define M_SEG 2
        #define M_TICK 3
        #define END 99

        /* the network: a set of segments in flight */
        typedef Seg { bit used; bit dst; byte fl; short sq; short ak; int birth };
        Seg net[NSEG];
        byte lost;            /* segments lost so far */
        int clk;              /* the global clock, µs */
        bool done;            /* a finished state was chosen as the end of the run */
        bit aborted;          /* a side gave up (R2 or user timeout): the explorer's FAborted */
        bit rstbefore;        /* an RST was sent before this move: the explorer's FReset */

        /* each side's TCB; sequence numbers are offsets from the side's first ISN (see the header) */
        byte st[2];
        byte upc[2];          /* place in the script of user calls */
        byte inc[2];          /* ISNs drawn so far */
        short iss[2], irs[2], una[2], nxt[2], rnxt[2], finseq[2], rttseq[2];
        bit finq[2], fins[2], finr[2], passive[2], reopened[2], remote[2], synto[2], acknow[2], ackplain[2], closeq[2], timing[2];
        int rt[2], ut[2], tw[2];              /* retransmission, user, TIME-WAIT deadlines (OFF: not armed) */
        int epoch[2], rto[2], srtt[2], rttvar[2], sentat[2], cws[2];
        byte retx[2], cacks[2];

        /* scratch of one step (hidden: not part of the state; every step is one d_step that zeroes them at its end) */
        hidden byte trig, oc, i_, j_, pst, nout, glen, gf, mode, stg, fired, ceff, cnext, ckind, nob;
        hidden short gs, ga, x_;
        hidden int r_;
        hidden byte synacked_;
        hidden byte found_, sentrst, ackok;
        hidden byte obf[3]; hidden short obs[3], oba[3];    /* the outbox of one step */

        inline scratch_reset() {
            trig = 0; oc = 0; i_ = 0; j_ = 0; pst = 0; nout = 0; glen = 0; gf = 0; mode = 0; stg = 0; fired = 0;
            ceff = 0; cnext = 0; ckind = 0; nob = 0; gs = 0; ga = 0; x_ = 0; r_ = 0; found_ = 0; sentrst = 0; ackok = 0;
            obf[0] = 0; obf[1] = 0; obf[2] = 0; obs[0] = 0; obs[1] = 0; obs[2] = 0; oba[0] = 0; oba[1] = 0; oba[2] = 0
        }

        /* assertion names: the explorer's checks (hyphens as underscores), constant 1 */
        hidden byte state_agrees_with_fin_flags = 1, retransmitted_fin_reset = 1, time_wait_2msl = 1, retransmission_timer_armed = 1;
        hidden byte unmodelled_effect = 1, unmodelled_trigger = 1, network_capacity = 1;

        inline clear_tcb(me) {
            iss[me] = 0; irs[me] = 0; una[me] = 0; nxt[me] = 0; rnxt[me] = 0; finseq[me] = 0; rttseq[me] = 0;
            finq[me] = 0; fins[me] = 0; finr[me] = 0; passive[me] = 0; reopened[me] = 0; remote[me] = 0; synto[me] = 0;
            acknow[me] = 0; ackplain[me] = 0; closeq[me] = 0; timing[me] = 0;
            rt[me] = OFF; ut[me] = OFF; tw[me] = OFF;
            epoch[me] = 0; rto[me] = 0; srtt[me] = -1; rttvar[me] = 0; sentat[me] = 0; cws[me] = NONE;
            retx[me] = 0; cacks[me] = 0
        }

        inline free(i) {
            net[i].used = 0; net[i].dst = 0; net[i].fl = 0; net[i].sq = 0; net[i].ak = 0; net[i].birth = 0
        }

        /* the segment to deliver, out of the network */
        inline take(i) {
            gf = net[i].fl; gs = net[i].sq; ga = net[i].ak; free(i);
            glen = (HAS(gf, F_SYN) -> 1 : 0) + (HAS(gf, F_FIN) -> 1 : 0)
        }

        /* RFC 9293 §3.4.1: no segment lives longer than MSL */
        inline expire() {
            i_ = 0;
            do
            :: i_ < NSEG -> if :: net[i_].used && clk - net[i_].birth > MSL -> free(i_) :: else -> skip fi; i_++
            :: else -> break
            od
        }

        /* a segment from me to the peer, into the step's outbox (Endpoint.Emit: one with ACK carries any owed ACK) */
        inline emit(me, F, S, A) {
            obf[nob] = (F); obs[nob] = (S); oba[nob] = (A); nob++;
            printf("     %d sends flags %d seq %d ack %d\n", me, obf[nob - 1], obs[nob - 1], oba[nob - 1]);
            nout++;
            if :: HAS(F, F_RST) -> sentrst = 1 :: else -> skip fi;
            if :: HAS(F, F_ACK) && !HAS(F, F_RST) -> acknow[me] = 0; ackplain[me] = 0 :: else -> skip fi
        }

        /* the outbox into the network: an equal segment in flight merges (the younger age is kept) */
        inline flush(me) {
            j_ = 0;
            do
            :: j_ < nob ->
                found_ = 0; i_ = 0;
                do
                :: i_ < NSEG && net[i_].used && net[i_].dst == 1 - me && net[i_].fl == obf[j_] && net[i_].sq == obs[j_] && net[i_].ak == oba[j_] ->
                    net[i_].birth = clk; found_ = 1; break
                :: i_ < NSEG && !(net[i_].used && net[i_].dst == 1 - me && net[i_].fl == obf[j_] && net[i_].sq == obs[j_] && net[i_].ak == oba[j_]) -> i_++
                :: else -> break
                od;
                if
                :: !found_ ->
                    i_ = 0;
                    do
                    :: i_ < NSEG && net[i_].used -> i_++
                    :: else -> break
                    od;
                    assert(network_capacity && i_ < NSEG);
                    net[i_].used = 1; net[i_].dst = 1 - me; net[i_].fl = obf[j_]; net[i_].sq = obs[j_]; net[i_].ak = oba[j_]; net[i_].birth = clk
                :: else -> skip
                fi;
                j_++
            :: else -> break
            od
        }

        /* canonical states, as the explorer stores them: the set of segments in a sorted order (used slots first,
           then by destination, flags, SEQ, ACK, birth), and after a tick the clock back at 0 with every instant
           relative to it; the R2 epoch clamped at max(R2, R2SYN) in the past, a challenge-ACK window older than
           1 s forgotten, the RTT send time kept only while timing (the explorer's Endpoint.Save) */
        #define SEG_GT(a, b) ((!net[a].used && net[b].used) || (net[a].used && net[b].used && (net[a].dst > net[b].dst || (net[a].dst == net[b].dst && (net[a].fl > net[b].fl || (net[a].fl == net[b].fl && (net[a].sq > net[b].sq || (net[a].sq == net[b].sq && (net[a].ak > net[b].ak || (net[a].ak == net[b].ak && net[a].birth > net[b].birth))))))))))
        hidden byte ca, cb, tu, td, tf; hidden short ts, tk; hidden int tb;
        inline swap_seg(a, b) {
            tu = net[a].used; td = net[a].dst; tf = net[a].fl; ts = net[a].sq; tk = net[a].ak; tb = net[a].birth;
            net[a].used = net[b].used; net[a].dst = net[b].dst; net[a].fl = net[b].fl; net[a].sq = net[b].sq; net[a].ak = net[b].ak; net[a].birth = net[b].birth;
            net[b].used = tu; net[b].dst = td; net[b].fl = tf; net[b].sq = ts; net[b].ak = tk; net[b].birth = tb
        }
        inline canon() {
            ca = 0;
            do
            :: ca < NSEG - 1 ->
                cb = 0;
                do
                :: cb < NSEG - 1 - ca -> if :: SEG_GT(cb, cb + 1) -> swap_seg(cb, cb + 1) :: else -> skip fi; cb++
                :: else -> break
                od;
                ca++
            :: else -> break
            od;
            ca = 0; cb = 0; tu = 0; td = 0; tf = 0; ts = 0; tk = 0; tb = 0
        }
        #define EPOCH_FLOOR (-(R2 > R2SYN -> R2 : R2SYN))
        inline rebase_side(x) {
            if :: rt[x] != OFF -> rt[x] = rt[x] - clk :: else -> skip fi;
            if :: ut[x] != OFF -> ut[x] = ut[x] - clk :: else -> skip fi;
            if :: tw[x] != OFF -> tw[x] = tw[x] - clk :: else -> skip fi;
            epoch[x] = epoch[x] - clk;
            if :: epoch[x] < EPOCH_FLOOR || rt[x] == OFF -> epoch[x] = (rt[x] == OFF -> 0 : EPOCH_FLOOR) :: else -> skip fi;
            sentat[x] = (timing[x] -> sentat[x] - clk : 0);
            if :: cws[x] != NONE && clk - cws[x] >= 1000000 -> cws[x] = NONE; cacks[x] = 0 :: cws[x] != NONE && clk - cws[x] < 1000000 -> cws[x] = cws[x] - clk :: else -> skip fi
        }
        inline rebase() {
            rebase_side(0); rebase_side(1);
            ca = 0;
            do
            :: ca < NSEG -> if :: net[ca].used -> net[ca].birth = net[ca].birth - clk :: else -> skip fi; ca++
            :: else -> break
            od;
            ca = 0; clk = 0
        }

        inline draw_isn(me, v) { v = inc[me] * ISNSTEP; if :: inc[me] < 255 -> inc[me]++ :: else -> skip fi }

        /* RFC 6298 §5.1: the timers of a segment that occupies new sequence space up to E */
        inline sent_new(me, E) {
            if :: !timing[me] -> timing[me] = 1; rttseq[me] = E; sentat[me] = clk :: else -> skip fi;
            if :: rt[me] == OFF -> rt[me] = clk + rto[me]; epoch[me] = clk :: else -> skip fi;
            if :: USER_TIMEOUT > 0 && ut[me] == OFF -> ut[me] = clk + USER_TIMEOUT :: else -> skip fi
        }

        /* our SYN (ACK: SYN,ACK) at ISS */
        inline send_syn(me, ACK) {
            if
            :: ACK -> emit(me, F_SYN | F_ACK, iss[me], rnxt[me])
            :: else -> emit(me, F_SYN, iss[me], 0)
            fi;
            if :: nxt[me] == iss[me] -> sent_new(me, iss[me] + 1); nxt[me] = iss[me] + 1 :: else -> skip fi
        }

        /* RFC 6298 §2.2-2.5, K = 4, granularity 1 µs */
        inline sample_rtt(me, R) {
            r_ = R;
            if
            :: srtt[me] < 0 -> srtt[me] = r_; rttvar[me] = r_ / 2
            :: else ->
                rttvar[me] = (3 * rttvar[me] + (srtt[me] > r_ -> srtt[me] - r_ : r_ - srtt[me])) / 4;
                srtt[me] = (7 * srtt[me] + r_) / 8
            fi;
            r_ = srtt[me] + (4 * rttvar[me] > 1 -> 4 * rttvar[me] : 1);
            rto[me] = (r_ < RTO_MIN -> RTO_MIN : (r_ > RTO_MAX -> RTO_MAX : r_))
        }

        /* §3.10.7.4 fifth: SND.UNA advances to SEG.ACK (RTT sample, Karn, the retransmission and user timers) */
        inline advance_una(me) {
            if
            :: ga > una[me] ->
                synacked_ = (una[me] == iss[me] && nxt[me] != iss[me]);
                una[me] = ga;
                if :: timing[me] && ga >= rttseq[me] -> sample_rtt(me, clk - sentat[me]); timing[me] = 0 :: else -> skip fi;
                /* RFC 6298 §5.7, where the ACK of our SYN arrives (also in FIN-WAIT-1), before the timer is re-armed */
                if :: synacked_ && synto[me] && rto[me] < 3000000 -> rto[me] = 3000000 :: else -> skip fi;
                retx[me] = 0; epoch[me] = clk;
                if
                :: una[me] == nxt[me] -> rt[me] = OFF; ut[me] = OFF
                :: else -> rt[me] = clk + rto[me]; if :: USER_TIMEOUT > 0 -> ut[me] = clk + USER_TIMEOUT :: else -> skip fi
                fi
            :: else -> skip
            fi
        }

        inline accept_peer_syn(me) { irs[me] = gs; rnxt[me] = gs + 1 }

        /* §3.10.7.2: take the peer's SYN with ISS = x_, send SYN,ACK */
        inline answer_syn_passively(me) {
            passive[me] = 1; iss[me] = x_; accept_peer_syn(me); una[me] = iss[me]; nxt[me] = iss[me]; rto[me] = RTO_INIT;
            send_syn(me, 1)
        }

        /* entering a state (Endpoint.Enter) */
        inline enter(me, S) {
            st[me] = S;
            if
            :: st[me] == S_Closed -> clear_tcb(me)
            :: st[me] == S_TimeWait -> rt[me] = OFF; ut[me] = OFF; tw[me] = clk + TW_ENTRY
            :: st[me] == S_Established ->
                assert(unmodelled_effect && !closeq[me])
            :: else -> skip
            fi
        }

        /* ---- the effect routines (Endpoint.Effects), for payload 0; each cell names one ---- */
        inline apply(me) {
            if
            :: ceff == E_None || ceff == E_ErrorDoesNotExist || ceff == E_ErrorAlreadyExists || ceff == E_ErrorClosing
                || ceff == E_ErrorRemoteUnspecified || ceff == E_DeleteTcb || ceff == E_DeleteTcbClosingSends
                || ceff == E_DeleteTcbResettingSends || ceff == E_TimeWaitExpire || ceff == E_ConnectionReset
                || ceff == E_ConnectionRefused || ceff == E_CloseSilently || ceff == E_UpdateWindow -> skip  /* notices only */
            :: ceff == E_Listen -> clear_tcb(me); remote[me] = 1   /* the explorer's passive OPEN names the remote socket */
            :: ceff == E_SendSyn ->
                if :: st[me] == S_Closed -> clear_tcb(me) :: else -> skip fi;
                passive[me] = 0; draw_isn(me, x_); iss[me] = x_; una[me] = x_; nxt[me] = x_; rto[me] = RTO_INIT;
                send_syn(me, 0)
            :: ceff == E_ResendSynAck -> emit(me, F_SYN | F_ACK, iss[me], rnxt[me])
            :: ceff == E_QueueFin -> finq[me] = 1   /* nothing is ever queued, so never CloseAfterEstablished */
            :: ceff == E_Retransmit ->
                if
                :: una[me] != nxt[me] ->
                    if :: retx[me] < 255 -> retx[me]++ :: else -> skip fi;
                    timing[me] = 0;
                    rto[me] = MIN(rto[me] * 2, RTO_MAX);
                    if :: !MUT_RTX_NOT_REARMED -> rt[me] = clk + rto[me] :: else -> skip fi;   /* MUTANT retransmit-timer-not-rearmed */
                    if
                    :: una[me] == iss[me] && nxt[me] != iss[me] ->   /* our SYN is unacknowledged */
                        synto[me] = 1;
                        if
                        :: st[me] == S_SynSent -> emit(me, F_SYN, iss[me], 0)
                        :: else -> emit(me, F_SYN | F_ACK, iss[me], rnxt[me])
                        fi
                    :: else ->
                        if
                        :: fins[me] && una[me] != finseq[me] + 1 -> emit(me, F_ACK | F_FIN, una[me], rnxt[me])
                        :: else -> emit(me, F_ACK, una[me], rnxt[me])
                        fi
                    fi
                :: else -> skip
                fi
            :: ceff == E_GiveUp || ceff == E_UserTimeoutAbort -> aborted = 1
            :: ceff == E_SendDelayedAck -> acknow[me] = 1
            :: ceff == E_ReplyReset || ceff == E_SynReset ->   /* SynResetForm.FromSegment: the reset formed from the segment */
                if
                :: HAS(gf, F_ACK) -> emit(me, F_RST, ga, 0)
                :: else -> emit(me, F_RST | F_ACK, ZERO_OFF(me), gs + glen)
                fi
            :: ceff == E_AcceptSyn -> draw_isn(me, x_); answer_syn_passively(me)
            :: ceff == E_CompleteHandshake -> accept_peer_syn(me); advance_una(me); acknow[me] = 1
            :: ceff == E_SimultaneousOpen -> accept_peer_syn(me); passive[me] = 0; nxt[me] = iss[me]; send_syn(me, 1); timing[me] = 0 /* POLICY simultaneous-open-rtt: Karn */
            :: ceff == E_ReturnToListen -> x_ = remote[me]; clear_tcb(me); remote[me] = x_
            :: ceff == E_AckAndDrop -> acknow[me] = 1
            :: ceff == E_ChallengeAck ->
                if
                :: CHALLENGE_LIMIT > 0 ->
                    if :: cws[me] == NONE || clk - cws[me] >= 1000000 -> cws[me] = clk; cacks[me] = 0 :: else -> skip fi;
                    if :: cacks[me] < CHALLENGE_LIMIT -> cacks[me]++; acknow[me] = 1; ackplain[me] = 1 :: else -> skip fi
                :: else -> acknow[me] = 1; ackplain[me] = 1
                fi
            :: ceff == E_Reopen ->   /* a new ISS above the old SND.NXT */
                r_ = nxt[me]; clear_tcb(me);
                draw_isn(me, x_);
                if :: x_ <= r_ -> x_ = r_ + 1 :: else -> skip fi;
                answer_syn_passively(me);
                reopened[me] = 1
            :: ceff == E_Establish || ceff == E_ProcessAck -> advance_una(me)
            :: ceff == E_AcceptFin -> rnxt[me] = rnxt[me] + 1; finr[me] = 1; acknow[me] = 1
            :: ceff == E_RestartTimeWait ->
                acknow[me] = 1;
                if :: !MUT_TW_NO_RESTART -> tw[me] = clk + 2 * MSL :: else -> skip fi   /* MUTANT time-wait-no-restart-on-fin */
            :: ceff == E_TimeWaitAck ->
                if :: TW_EVERY_ACK -> acknow[me] = 1; tw[me] = clk + 2 * MSL :: else -> skip fi   /* else fin-only: the FIN check answers */
            :: else -> assert(unmodelled_effect == 0)   /* text, ABORT, probes, keep-alives: not reachable at payload 0 */
            fi
        }

        /* the output routine (Endpoint.Output), payload 0: a queued FIN, then an owed ACK */
        inline output(me) {
            if
            :: st[me] == S_Closed || st[me] == S_Listen || st[me] == S_SynSent || st[me] == S_TimeWait ->
                if :: acknow[me] && st[me] == S_TimeWait -> emit(me, F_ACK, nxt[me], rnxt[me]) :: else -> skip fi;
                acknow[me] = 0; ackplain[me] = 0
            :: st[me] == S_SynReceived ->
                if :: acknow[me] -> emit(me, F_ACK, nxt[me], rnxt[me]) :: else -> skip fi
            :: else ->
                if
                :: finq[me] && !fins[me] && (st[me] == S_FinWait1 || st[me] == S_LastAck || st[me] == S_Closing) ->
                    emit(me, F_FIN | F_ACK, nxt[me], rnxt[me]); sent_new(me, nxt[me] + 1);
                    fins[me] = 1; finseq[me] = nxt[me]; nxt[me] = nxt[me] + 1
                :: else -> skip
                fi;
                if :: acknow[me] -> emit(me, F_ACK, nxt[me], rnxt[me]) :: else -> skip fi
            fi
        }


        """;

    private const string Arrive = """
        /* the fifth check's classification of the ACK field (Classifier.Ack) */
        inline classify_ack(me) {
            if
            :: !HAS(gf, F_ACK) -> trig = T_NoAck
            :: HAS(gf, F_ACK) && st[me] == S_SynReceived -> trig = ((una[me] < ga && ga <= nxt[me]) -> T_AckNew : T_AckUnacceptable)
            :: HAS(gf, F_ACK) && st[me] != S_SynReceived && ga > nxt[me] -> trig = T_AckAhead
            :: HAS(gf, F_ACK) && st[me] != S_SynReceived && ga <= nxt[me] && ga <= una[me] -> trig = (ga < una[me] - MAXSNDWND -> T_AckTooOld : T_AckDuplicate)
            :: HAS(gf, F_ACK) && st[me] != S_SynReceived && ga <= nxt[me] && ga > una[me] ->
                trig = ((fins[me] && ga == finseq[me] + 1 && !MUT_ACK_OF_FIN_NOT_RECOGNISED) -> T_AckOfFin : T_AckNew)  /* MUTANT ack-of-fin-not-recognised */
            fi
        }

        #define IN_WINDOW(s) (rnxt[me] <= (s) && (s) < rnxt[me] + RCVWND)

        /* SEGMENT ARRIVES (§3.10.7, Endpoint.SegmentArrives, payload 0) as stages: each stage either names the
           trigger to fire (fired = 1) or moves on; after the cell fired, its outcome picks the next stage. Stages:
           0 entry, 10 TIME-WAIT new incarnation, 11-12 TIME-WAIT retransmitted FIN, 13 SYN-RECEIVED SYN,ACK of a
           simultaneous open, 14 the peer's SYN again, 15 the first to fifth checks, 20-21 text (none) and FIN. */
        inline segment_stage(me) {
            if
            :: stg == 0 && (st[me] == S_Closed || st[me] == S_Listen) ->
                trig = (HAS(gf, F_RST) -> T_RstInvalid : (HAS(gf, F_ACK) -> T_AckUnacceptable : (HAS(gf, F_SYN) -> T_Syn : T_NoAck)));
                fired = 1
            :: stg == 0 && st[me] == S_SynSent ->
                if
                :: HAS(gf, F_ACK) && (ga <= iss[me] || ga > nxt[me]) -> trig = (HAS(gf, F_RST) -> T_RstInvalid : T_AckUnacceptable)
                :: else ->
                    ackok = (HAS(gf, F_ACK) && una[me] < ga && ga <= nxt[me]);
                    if
                    :: HAS(gf, F_RST) -> trig = (ackok -> T_RstValid : T_RstInvalid)
                    :: !HAS(gf, F_RST) && HAS(gf, F_SYN) -> trig = (HAS(gf, F_ACK) -> (ackok -> T_SynAck : T_AckUnacceptable) : T_Syn)
                    :: !HAS(gf, F_RST) && !HAS(gf, F_SYN) -> trig = (HAS(gf, F_ACK) -> T_AckNew : T_NoAck)
                    fi
                fi;
                fired = 1
            :: stg == 0 && st[me] >= S_SynReceived -> stg = 10
            :: stg == 10 ->
                if
                :: st[me] == S_TimeWait && HAS(gf, F_SYN) && !HAS(gf, F_ACK) && !HAS(gf, F_RST) && gs > rnxt[me] -> trig = T_SynNewIncarnation; fired = 1
                :: else -> stg = 11
                fi
            :: stg == 11 ->
                if
                :: st[me] == S_TimeWait && HAS(gf, F_FIN) && !HAS(gf, F_RST) && !HAS(gf, F_SYN) && gs + glen == rnxt[me] ->
                    if :: TW_FIN_CHECKS_ACK -> classify_ack(me) :: else -> trig = T_AckNew fi;
                    if :: trig == T_NoAck || trig == T_AckAhead || trig == T_AckTooOld -> fired = 1 :: else -> stg = 12 fi
                :: else -> stg = 13
                fi
            :: stg == 12 -> trig = T_Fin; fired = 1
            :: stg == 13 ->
                if
                :: st[me] == S_SynReceived && HAS(gf, F_SYN) && HAS(gf, F_ACK) && !HAS(gf, F_RST) && gs == irs[me] && una[me] < ga && ga <= nxt[me]
                    && !(passive[me] && SYNACK_RULE_AFTER_SYNSENT_ONLY) -> trig = T_SynAck; fired = 1
                :: else -> stg = 14
                fi
            :: stg == 14 ->
                if
                :: st[me] == S_SynReceived && passive[me] && HAS(gf, F_SYN) && !HAS(gf, F_ACK) && !HAS(gf, F_RST) && gs == irs[me] -> trig = T_SynRepeated; fired = 1
                :: else -> stg = 15
                fi
            :: stg == 15 ->
                /* first, check sequence number: an RST by SEG.SEQ alone, anything else by Table 6 with SEG.LEN */
                ackok = (IN_WINDOW(gs) || (!HAS(gf, F_RST) && glen > 0 && IN_WINDOW(gs + glen - 1)));
                fired = 1;
                if
                :: HAS(gf, F_SYN) && !HAS(gf, F_RST) && CHALLENGE_SYN && CHALLENGE_SYN_ANY_SEQ && (!ackok || gs < rnxt[me])
                    && !(st[me] == S_SynReceived && passive[me]) -> trig = T_Syn; stg = 30              /* RFC 5961 §4.2, any sequence */
                :: else ->
                    if
                    :: !ackok && ((PROCESS_OLD_ACK && st[me] != S_TimeWait)
                            || (SIMCLOSE_ACK_OF_REPEATED_FIN && st[me] == S_Closing && HAS(gf, F_FIN) && gs + glen == rnxt[me]))
                        && HAS(gf, F_ACK) && !HAS(gf, F_RST) && !HAS(gf, F_SYN) && gs < rnxt[me] -> classify_ack(me); stg = 31   /* old segment, its ACK counts */
                    :: else ->
                        if
                        :: !ackok -> trig = (HAS(gf, F_RST) -> T_RstInvalid : T_Unacceptable); stg = 32
                        :: ackok && HAS(gf, F_RST) -> trig = (gs == rnxt[me] -> T_RstValid : T_RstInWindow); stg = 30    /* second, RST */
                        :: ackok && !HAS(gf, F_RST) && HAS(gf, F_SYN) && gs >= rnxt[me] -> trig = T_Syn; stg = 30         /* fourth, SYN */
                        :: ackok && !HAS(gf, F_RST) && HAS(gf, F_SYN) && gs < rnxt[me] && st[me] == S_TimeWait ->
                            trig = (CHALLENGE_SYN -> T_Syn : T_Unacceptable); stg = 33
                        :: ackok && !HAS(gf, F_RST) && !(HAS(gf, F_SYN) && (gs >= rnxt[me] || st[me] == S_TimeWait)) -> classify_ack(me); stg = 34  /* fifth, ACK */
                        fi
                    fi
                fi
            :: stg == 20 ->
                if
                :: HAS(gf, F_FIN) || HAS(gf, F_SYN) ->
                    x_ = gs + (HAS(gf, F_SYN) -> 1 : 0);     /* where a FIN would be */
                    if :: HAS(gf, F_FIN) && x_ > rnxt[me] -> trig = T_Text; fired = 1 :: else -> stg = 21 fi
                :: else -> stg = END
                fi
            :: stg == 21 ->
                if
                :: HAS(gf, F_FIN) && x_ == rnxt[me] -> trig = T_Fin; fired = 1
                :: else -> if :: HAS(gf, F_FIN) && st[me] != S_Closed -> acknow[me] = 1 :: else -> skip fi; stg = END
                fi
            :: else -> stg = END
            fi
        }

        /* after the cell of a stage fired: the next stage from its outcome (oc: 1 continue, 0 drop) */
        inline segment_after(me) {
            if
            :: stg == 0 && pst == S_SynSent && oc == 1 -> stg = 20   /* SYN-SENT: "continue at the sixth step" */
            :: stg == 10 -> stg = (oc == 1 -> 11 : END)
            :: stg == 11 -> stg = (oc == 1 -> 12 : END)
            :: stg == 13 -> stg = (oc == 1 -> 20 : END)
            :: stg == 20 -> stg = (oc == 1 -> 21 : END)
            :: stg == 31 -> if :: st[me] != S_Closed -> acknow[me] = 1 :: else -> skip fi; stg = END
            :: stg == 32 || stg == 33 -> if :: HAS(gf, F_SYN) -> ackplain[me] = 1 :: else -> skip fi; stg = END
            :: stg == 34 -> stg = (oc == 1 -> 20 : END)
            :: else -> stg = END
            fi
        }

        /* the timers due now (Endpoint.FireDueTimers), as stages */
        inline tick_stage(me) {
            if
            :: stg == 0 -> if :: tw[me] <= clk -> tw[me] = OFF; trig = T_TimeWaitTimeout; fired = 1 :: else -> skip fi; stg = 1
            :: stg == 1 -> if :: ut[me] <= clk -> ut[me] = OFF; trig = T_UserTimeout; fired = 1 :: else -> skip fi; stg = 2
            :: stg == 2 ->
                if
                :: rt[me] <= clk ->
                    rt[me] = OFF; fired = 1;
                    trig = (clk - epoch[me] >= ((st[me] == S_SynSent || st[me] == S_SynReceived) -> R2SYN : R2) -> T_RetransmitGiveUp : T_RetransmitTimeout)
                :: else -> skip
                fi;
                stg = END
            :: else -> stg = END
            fi
        }

        /* one step of side me: the user call, segment or timers set up by the move, through the one `fire` */
        inline step(me) {
            pst = st[me]; nout = 0; sentrst = 0; stg = 0;
            do
            :: stg == END -> break
            :: else ->
                fired = 0;
                if
                :: mode == M_CALL -> fired = 1
                :: mode == M_SEG -> segment_stage(me)
                :: mode == M_TICK -> tick_stage(me)
                fi;
                if :: fired -> fire(me) :: else -> skip fi;
                if
                :: mode == M_CALL -> stg = END
                :: mode == M_SEG && fired -> segment_after(me)
                :: else -> skip
                fi
            od;
            output(me);
            flush(me);
            check_step(me);
            if :: mode == M_SEG -> check_delivery(me) :: else -> skip fi;
            if :: sentrst -> rstbefore = 1 :: else -> skip fi;
            printf("     now A %d, B %d\n", st[0], st[1]);
            rebase();
            canon();
            scratch_reset()
        }

        /* the explorer's CheckStep, for the side that stepped */
        inline check_step(me) {
            if
            :: st[me] != S_Closed ->
                assert(state_agrees_with_fin_flags && !(fins[me] && !(st[me] == S_FinWait1 || st[me] == S_FinWait2 || st[me] == S_Closing || st[me] == S_LastAck || st[me] == S_TimeWait)));
                assert(state_agrees_with_fin_flags && !(fins[me] && una[me] == finseq[me] + 1 && (st[me] == S_FinWait1 || st[me] == S_Closing || st[me] == S_LastAck)));
                assert(state_agrees_with_fin_flags && !(st[me] >= S_SynReceived && finr[me] != (st[me] == S_CloseWait || st[me] == S_Closing || st[me] == S_LastAck || st[me] == S_TimeWait)))
            :: else -> skip
            fi;
            assert(retransmission_timer_armed && !(st[me] != S_Closed && st[me] != S_Listen && st[me] != S_TimeWait && una[me] != nxt[me] && rt[me] == OFF));
            if
            :: st[me] == S_TimeWait && pst != S_TimeWait -> assert(time_wait_2msl && tw[me] == clk + 2 * MSL)
            :: else -> skip
            fi
        }

        /* the explorer's checks of a delivery to me: retransmitted-fin-reset, and time-wait-2msl after the peer's
           FIN again in TIME-WAIT */
        inline check_delivery(me) {
            if
            :: HAS(gf, F_FIN) && !aborted && !rstbefore && (st[1 - me] == S_LastAck || st[1 - me] == S_Closing) && fins[1 - me]
                && gs + glen - 1 == finseq[1 - me] ->
                assert(retransmitted_fin_reset && !sentrst)
            :: else -> skip
            fi;
            if
            :: st[me] == S_TimeWait && pst == S_TimeWait && HAS(gf, F_FIN) && gs + glen == rnxt[me] && nout > 0 ->
                assert(time_wait_2msl && tw[me] == clk + 2 * MSL)
            :: else -> skip
            fi
        }


        """;
}
