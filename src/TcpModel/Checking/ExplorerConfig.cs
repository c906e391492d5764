using TcpModel.Machine;

namespace TcpModel.Checking;

/// <summary>A user call the explorer may issue (RFC 9293 §3.10.1–3.10.5).</summary>
public enum UserCall : byte
{
    /// <summary>Active OPEN.</summary>
    OpenActive,
    /// <summary>Passive OPEN (LISTEN).</summary>
    OpenPassive,
    /// <summary>SEND of <see cref="ExplorerConfig.Payload"/> octets.</summary>
    Send,
    /// <summary>CLOSE.</summary>
    Close,
    /// <summary>ABORT.</summary>
    Abort,
}

/// <summary>
/// The bounds of one exploration: the profile, each side's script of user calls (each step a set of
/// alternatives), the fault budgets, and the ISNs (real 32-bit values, near 2^32 so that every run wraps).
/// </summary>
public sealed record ExplorerConfig
{
    /// <summary>The profile of both endpoints.</summary>
    public Profile Profile { get; init; } = Profile.Rfc9293;

    /// <summary>A seeded bug (applied to the profile of both endpoints).</summary>
    public Mutant Mutant { get; init; }

    /// <summary>User calls per side: the first N steps of each side's script (default 3: open, send, close).</summary>
    public int Calls { get; init; } = 3;

    /// <summary>Segments the network may lose.</summary>
    public int Loss { get; init; } = 1;

    /// <summary>Segments the network may duplicate.</summary>
    public int Dup { get; init; }

    /// <summary>Segments an off-path attacker may inject (0: no attacker).</summary>
    public int Attacks { get; init; }

    /// <summary>A second incarnation of the connection follows the first (A opens again, B listens again), so
    /// segments of the first still in flight are old duplicates to the second.</summary>
    public bool OldDuplicates { get; init; }

    /// <summary>B may open actively too (a simultaneous open), not only listen.</summary>
    public bool SimultaneousOpen { get; init; } = true;

    /// <summary>Allow ABORT as an alternative to CLOSE.</summary>
    public bool Aborts { get; init; }

    /// <summary>Retransmissions before a side gives up: R2 (and R2 for SYNs) is shortened to the time of the
    /// (N+1)-th expiry of the retransmission timer, RTO doubling from its initial value (the bound that keeps
    /// the number of retransmitted copies finite and small; the order R2 &lt; MSL &lt; 2 MSL is kept).
    /// Null: the profile's R2 (100 s) and R2 for SYNs (180 s).</summary>
    public int? Retries { get; init; } = 1;

    /// <summary>Octets per SEND (0: no SEND in the scripts).</summary>
    public int Payload { get; init; } = 2;

    /// <summary>ISN of A's first incarnation.</summary>
    public uint IsnA { get; init; } = 0xFFFF_FFFE;

    /// <summary>ISN of B's first incarnation.</summary>
    public uint IsnB { get; init; } = 0xFFFF_FFF0;

    /// <summary>How far each new incarnation's ISN moves (a clock that ticked once: the worst case TIME-WAIT guards against).</summary>
    public uint IsnStep { get; init; } = 1;

    /// <summary>Stop after this many distinct states (the result says the bound was hit).</summary>
    public long MaxStates { get; init; } = 20_000_000;

    /// <summary>Worker threads for the exhaustive search (default 1). Any count explores the same states in the same
    /// order and reports the same violations with the same shortest traces: workers expand batches of frontier
    /// states, and one merge adds their successors in the order a one-thread search would.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Hash the store in order at the end (tests: every thread count stores the same states in the same order).</summary>
    internal bool ComputeStoreDigest { get; init; }

    /// <summary>The exhaustive store's arena limit in bytes (encoded states); null: the largest array .NET allows
    /// (about 2 GiB). Beyond 2 GiB the arena is chunked.</summary>
    public long? MaxStoreBytes { get; init; }

    /// <summary>Stop at the first safety violation (breadth-first: it is a shortest one).</summary>
    public bool StopAtFirstViolation { get; init; } = true;

    /// <summary>Only these checks (check names as in the reports); null: all.</summary>
    public IReadOnlySet<string>? OnlyChecks { get; init; }

    /// <summary>Run the backward-reachability checks (needs the transition list: 8 bytes per transition).</summary>
    public bool Liveness { get; init; } = true;

    /// <summary>Bitstate (supertrace) mode: a bit array of 2^BITS bits instead of the state store.</summary>
    public int? BitstateBits { get; init; }

    /// <summary>Keep the product graph (for pictures) up to this many nodes.</summary>
    public int GraphNodeCap { get; init; }

    /// <summary>Count how often each table cell fired (coverage heat map).</summary>
    public bool Coverage { get; init; }

    /// <summary>Called about once a second on long runs.</summary>
    public Action<ExplorerProgress>? Progress { get; init; }

    /// <summary>The default bounds.</summary>
    public static ExplorerConfig Default { get; } = new();

    /// <summary>The effective profile (with the mutant).</summary>
    public Profile EffectiveProfile
    {
        get
        {
            var p = Mutant == Mutant.None ? Profile : Profile with { Mutant = Mutant };
            if (Retries is int n)
            {
                long r2 = p.RtoInitial * ((1L << (n + 1)) - 1);
                p = p with { R2 = r2, R2Syn = r2 };
            }
            return p;
        }
    }

    /// <summary>Side A's script given explicitly (each step a set of alternatives), instead of the one
    /// <see cref="Calls"/>, <see cref="OldDuplicates"/>, <see cref="Aborts"/> and <see cref="Payload"/> build.</summary>
    public UserCall[][]? CustomScriptA { get; init; }

    /// <summary>Side B's script given explicitly (see <see cref="CustomScriptA"/>).</summary>
    public UserCall[][]? CustomScriptB { get; init; }

    // the words of a script, one per user call (ParseScript and FormatScript both read this table)
    private static readonly (string Word, UserCall Call)[] CallWords =
        [("open", UserCall.OpenActive), ("listen", UserCall.OpenPassive), ("send", UserCall.Send), ("close", UserCall.Close), ("abort", UserCall.Abort)];

    /// <summary>Parses a script: steps separated by commas, alternatives by '|', each one of open (active OPEN),
    /// listen (passive OPEN), send, close, abort — e.g. "listen|open,send,close". Returns null and the reason when
    /// the text is not a script.</summary>
    public static UserCall[][]? ParseScript(string text, out string? error)
    {
        error = null;
        var steps = new List<UserCall[]>();
        foreach (var step in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var alts = new List<UserCall>();
            foreach (var word in step.Split('|', StringSplitOptions.TrimEntries))
            {
                int i = Array.FindIndex(CallWords, w => w.Word == word);
                if (i < 0) { error = $"'{word}' is not a user call ({string.Join(", ", CallWords.Select(w => w.Word))})"; return null; }
                if (!alts.Contains(CallWords[i].Call)) alts.Add(CallWords[i].Call);
            }
            steps.Add([.. alts]);
        }
        if (steps.Count > 8) { error = "at most 8 steps"; return null; }
        return [.. steps];
    }

    /// <summary>A script as <see cref="ParseScript"/> reads it.</summary>
    public static string FormatScript(UserCall[][] script) =>
        string.Join(",", script.Select(step => string.Join("|", step.Select(c => Array.Find(CallWords, w => w.Call == c).Word))));

    /// <summary>Side A's script: open actively, send, close (and with <see cref="OldDuplicates"/>, open and send again).</summary>
    public UserCall[][] ScriptA => CustomScriptA ?? Script(
        [[UserCall.OpenActive], [UserCall.Send], Aborts ? [UserCall.Close, UserCall.Abort] : [UserCall.Close]],
        [[UserCall.OpenActive], [UserCall.Send]]);

    /// <summary>Side B's script: listen or open actively (simultaneous open), send, close (and with
    /// <see cref="OldDuplicates"/>, listen again).</summary>
    public UserCall[][] ScriptB => CustomScriptB ?? Script(
        [SimultaneousOpen ? [UserCall.OpenPassive, UserCall.OpenActive] : [UserCall.OpenPassive], [UserCall.Send], Aborts ? [UserCall.Close, UserCall.Abort] : [UserCall.Close]],
        [[UserCall.OpenPassive]]);

    private UserCall[][] Script(UserCall[][] first, UserCall[][] second)
    {
        var s = first.Take(Math.Clamp(Calls, 0, first.Length)).ToList();
        if (OldDuplicates && Calls >= first.Length) s.AddRange(second);
        if (Payload == 0) s.RemoveAll(step => step is [UserCall.Send]); // no data: open and close only
        return [.. s];
    }

    /// <summary>One line naming the bounds.</summary>
    public string Describe() =>
        $"profile {Profile.Name}{(Mutant == Mutant.None ? "" : ", mutant " + Mutants.Name(Mutant))}, calls {Calls}, loss {Loss}, dup {Dup}, reorder free, retries {(Retries is int r ? r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "R2")}"
        + (Attacks > 0 ? $", attacker {Attacks}" : "") + (OldDuplicates ? ", old duplicates (second incarnation)" : "")
        + (Aborts ? ", aborts" : "") + (SimultaneousOpen ? "" : ", B only listens") + $", payload {Payload}, ISN A {IsnA}, ISN B {IsnB}"
        + (CustomScriptA is { } a ? $", script A {FormatScript(a)}" : "") + (CustomScriptB is { } b ? $", script B {FormatScript(b)}" : "");
}

/// <summary>Progress of a long run.</summary>
public readonly record struct ExplorerProgress(long States, long Transitions, int Depth, long Frontier, double StatesPerSecond);
