using System.Diagnostics;
using TcpModel.Machine;

namespace TcpModel.Checking;

/// <summary>One step of a counterexample: the move's label (what a replay names) and what happened.</summary>
public sealed record TraceStep(string Move, IReadOnlyList<TraceEvent> Events);

/// <summary>A violated check with its shortest trace (breadth-first) from the initial state.</summary>
public sealed record Violation(string Check, string Detail, IReadOnlyList<TraceStep> Trace)
{
    /// <summary>Number of moves.</summary>
    public int Depth => Trace.Count;
}

/// <summary>One node of the product graph (small configurations).</summary>
public sealed record ProductNode(int Id, string Label, bool Finished);

/// <summary>One edge of the product graph.</summary>
public sealed record ProductEdge(int From, int To, string Label);

/// <summary>What an exploration found and what it cost.</summary>
public sealed class ExplorerResult
{
    /// <summary>The bounds.</summary>
    public required ExplorerConfig Config { get; init; }
    /// <summary>Distinct states (bitstate: states counted as new).</summary>
    public long States { get; init; }
    /// <summary>Transitions taken.</summary>
    public long Transitions { get; init; }
    /// <summary>Depth of the deepest state (breadth-first: the diameter from the initial state).</summary>
    public int Depth { get; init; }
    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Distinct states per second.</summary>
    public double StatesPerSecond => States / Math.Max(1e-9, Elapsed.TotalSeconds);
    /// <summary>Stored bytes per state (encoding plus index), or bits per state in bitstate mode / 8.</summary>
    public double BytesPerState { get; init; }
    /// <summary>Mean encoded state length.</summary>
    public double EncodedBytesPerState { get; init; }
    /// <summary>Peak working set of the process.</summary>
    public long PeakMemoryBytes { get; init; }
    /// <summary>Every reachable state within the bounds was explored (no state cap, no early stop).</summary>
    public bool Complete { get; init; }
    /// <summary>The search stopped because the state store reached the largest array .NET allows (about 2 GiB of
    /// encoded states); <c>--bitstate</c> explores further in less memory.</summary>
    public bool StoreFull { get; init; }
    /// <summary>With <see cref="ExplorerConfig.ComputeStoreDigest"/>: a hash of the stored states, parents and moves in
    /// store order.</summary>
    internal ulong StoreDigest { get; init; }
    /// <summary>Worker threads the exhaustive search expanded states with (1 for bitstate, coverage and graph runs).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Bitstate mode: the estimated fraction of the reachable states visited.</summary>
    public double? CoverageEstimate { get; init; }
    /// <summary>Bitstate mode: bits per state (SPIN's hash factor).</summary>
    public double? HashFactor { get; init; }
    /// <summary>States without any move that are not finished.</summary>
    public long Deadlocks { get; init; }
    /// <summary>The violations (the first of each check), each with a shortest trace.</summary>
    public required IReadOnlyList<Violation> Violations { get; init; }
    /// <summary>Cells fired and how often (with <see cref="ExplorerConfig.Coverage"/>).</summary>
    public IReadOnlyDictionary<CellKey, long>? CellCoverage { get; init; }
    /// <summary>The product graph up to the node cap.</summary>
    public IReadOnlyList<ProductNode>? Nodes { get; init; }
    /// <summary>The product graph's edges.</summary>
    public IReadOnlyList<ProductEdge>? Edges { get; init; }
}

/// <summary>
/// The explicit-state explorer: breadth-first over the canonical system states of
/// <see cref="SystemModel"/>, so the first violation of a check is found with a shortest trace. Safety
/// checks run on every transition; "no deadlock" on every state; "can always finish" and "can always
/// establish" by backward reachability over the explored graph. A bitstate mode (SPIN's supertrace)
/// keeps only a bit array and searches depth-first.
/// </summary>
public static class Explorer
{
    private const byte StFinished = 1, StHandshake = 2, StBothEstablished = 4, StBlindOnly = 8;

    /// <summary>Explores the configuration.</summary>
    public static ExplorerResult Run(ExplorerConfig cfg)
    {
        if (cfg.BitstateBits is int bits) return RunBitstate(cfg, bits);
        // can-establish (P-05) presumes retransmission: with no retries a SYN consumed by an old duplicate's
        // handshake (§3.10.7.4 fourth: SYN-RECEIVED from a passive OPEN returns to LISTEN) is never resent
        if (!cfg.Liveness || cfg.OnlyChecks is { } only && !only.Contains("can-establish")) return RunExhaustive(cfg, handshakeOnly: false);
        if (cfg.Retries == 0) return RunExhaustive(cfg with { OnlyChecks = cfg.OnlyChecks ?? Checks.Names.Where(n => n != "can-establish").ToHashSet() }, handshakeOnly: false);
        // "can always establish" needs only the states before both sides are ESTABLISHED: every run to that goal
        // passes through such states alone, so a search that does not expand goal states decides it exactly
        var handshake = RunExhaustive(cfg with { OnlyChecks = new HashSet<string>(["can-establish"]), MaxStates = Math.Min(cfg.MaxStates, 5_000_000) }, handshakeOnly: true);
        if (handshake.Violations.Count > 0 && cfg.StopAtFirstViolation)
            return new ExplorerResult
            {
                Config = cfg, States = handshake.States, Transitions = handshake.Transitions, Depth = handshake.Depth, Elapsed = handshake.Elapsed,
                BytesPerState = handshake.BytesPerState, EncodedBytesPerState = handshake.EncodedBytesPerState, PeakMemoryBytes = handshake.PeakMemoryBytes,
                Complete = false, Violations = handshake.Violations,
            };
        var main = RunExhaustive(cfg with { OnlyChecks = cfg.OnlyChecks ?? Checks.Names.Where(n => n != "can-establish").ToHashSet() }, handshakeOnly: false);
        if (handshake.Violations.Count == 0) return main;
        return new ExplorerResult
        {
            Config = cfg, States = main.States, Transitions = main.Transitions, Depth = main.Depth, Elapsed = main.Elapsed + handshake.Elapsed,
            BytesPerState = main.BytesPerState, EncodedBytesPerState = main.EncodedBytesPerState, PeakMemoryBytes = main.PeakMemoryBytes,
            Complete = main.Complete, Deadlocks = main.Deadlocks, Violations = [.. handshake.Violations, .. main.Violations],
            CellCoverage = main.CellCoverage, Nodes = main.Nodes, Edges = main.Edges,
        };
    }

    // One worker's share of a batch: the successors of a contiguous range of frontier states, in (state, move)
    // order, with what the merge needs to do exactly what a one-thread search does at each state.
    private sealed class Chunk
    {
        public byte[] Buf = new byte[1 << 16];
        public int BufLen;
        public readonly List<(int Off, int Len, ViolationReport? V, string? Label)> Succ = [];
        public readonly List<(byte Flags, int First, int Count, string? Node, string? Dead)> States = [];

        public void Clear() { BufLen = 0; Succ.Clear(); States.Clear(); }

        public void Add(ReadOnlySpan<byte> s, ViolationReport? v, string? label)
        {
            if (BufLen + s.Length > Buf.Length) Array.Resize(ref Buf, Math.Max(Buf.Length * 2, BufLen + s.Length));
            s.CopyTo(Buf.AsSpan(BufLen));
            Succ.Add((BufLen, s.Length, v, label));
            BufLen += s.Length;
        }
    }

    // A batch of frontier states [First, First + Count), copied out of the store (so that workers never read the
    // store while the merge appends to it), and the chunks its workers fill.
    private sealed class Batch(int threads)
    {
        public int First, Count;
        public byte[] Input = new byte[1 << 16];
        public int[] InOff = new int[1];
        public readonly Chunk[] Chunks = Enumerable.Range(0, threads).Select(_ => new Chunk()).ToArray();

        public void Load(StateStore store, int first, int count)
        {
            First = first;
            Count = count;
            if (InOff.Length < count + 1) InOff = new int[Math.Max(count + 1, InOff.Length * 2)];
            long bytes = 0;
            for (int i = 0; i < count; i++) bytes += store.Length(first + i);
            if (Input.Length < bytes) Input = new byte[Math.Max(bytes, Input.Length * 2L)];
            int o = 0;
            for (int i = 0; i < count; i++)
            {
                InOff[i] = o;
                var s = store.Get(first + i);
                s.CopyTo(Input.AsSpan(o));
                o += s.Length;
            }
            InOff[count] = o;
        }
    }

    // Expands states [lo, hi) of the batch with one worker's model into one chunk.
    private static void ExpandRange(SystemModel model, List<Move> moves, Batch b, Chunk ch, int lo, int hi, bool handshakeOnly, int graphCap)
    {
        ch.Clear();
        for (int j = lo; j < hi; j++)
        {
            int global = b.First + j;
            model.Parse(b.Input, b.InOff[j], b.InOff[j + 1] - b.InOff[j]);
            model.Moves(moves);
            if (handshakeOnly && model.BothEstablished) moves.Clear();
            byte f = 0;
            if (model.IsFinished()) f |= StFinished;
            if (model.InHandshake()) f |= StHandshake;
            if (model.BothEstablished) f |= StBothEstablished;
            if (!model.Sighted) f |= StBlindOnly;
            bool graph = global < graphCap;
            string? node = graph ? NodeLabel(model) : null;
            string? dead = moves.Count == 0 && (f & StFinished) == 0 && !handshakeOnly ? NodeLabel(model) : null;
            int first = ch.Succ.Count;
            for (int k = 0; k < moves.Count; k++)
            {
                string? label = graph ? model.Label(moves[k]) : null;
                var v = model.Apply(moves[k]);
                ch.Add(model.Successor, v, label);
            }
            ch.States.Add((f, first, moves.Count, node, dead));
        }
    }

    // Worker threads of their own (not pool tasks, which a waiting thread may run inline: on a busy machine the
    // whole search then ran on one thread): each expands its contiguous range of a batch when started.
    private sealed class Workers : IDisposable
    {
        private readonly SystemModel[] _models;
        private readonly List<Move>[] _moves;
        private readonly Thread[] _threads;
        private readonly SemaphoreSlim[] _go;
        private readonly CountdownEvent _done;
        private readonly bool _handshakeOnly;
        private readonly int _graphCap;
        private Batch? _batch;
        private volatile bool _stop;
        private Exception? _failure;

        public Workers(SystemModel[] models, List<Move>[] moves, bool handshakeOnly, int graphCap)
        {
            _models = models;
            _moves = moves;
            _handshakeOnly = handshakeOnly;
            _graphCap = graphCap;
            int w = models.Length;
            _go = Enumerable.Range(0, w).Select(_ => new SemaphoreSlim(0)).ToArray();
            _done = new CountdownEvent(w);
            _threads = new Thread[w];
            for (int i = 0; i < w; i++)
            {
                int c = i;
                _threads[c] = new Thread(() => Loop(c)) { IsBackground = true, Name = $"explorer worker {c}" };
                _threads[c].Start();
            }
        }

        private void Loop(int c)
        {
            while (true)
            {
                _go[c].Wait();
                if (_stop) return;
                var b = _batch!;
                int w = _models.Length;
                try
                {
                    ExpandRange(_models[c], _moves[c], b, b.Chunks[c], (int)((long)b.Count * c / w), (int)((long)b.Count * (c + 1) / w), _handshakeOnly, _graphCap);
                }
                catch (Exception e) { _failure = e; }
                _done.Signal();
            }
        }

        /// <summary>Starts expanding the batch on every worker.</summary>
        public void Start(Batch b)
        {
            _batch = b;
            _done.Reset();
            foreach (var g in _go) g.Release();
        }

        /// <summary>Waits until the batch started last is expanded.</summary>
        public void Wait()
        {
            _done.Wait();
            if (_failure is { } e) throw new InvalidOperationException("an explorer worker failed", e);
        }

        public void Dispose()
        {
            _stop = true;
            foreach (var g in _go) g.Release();
            foreach (var t in _threads) t.Join();
            foreach (var g in _go) g.Dispose();
            _done.Dispose();
        }
    }

    private static ExplorerResult RunExhaustive(ExplorerConfig cfg, bool handshakeOnly)
    {
        var sw = Stopwatch.StartNew();
        var model = new SystemModel(cfg);
        var store = new StateStore(cfg.MaxStoreBytes);
        store.Add(model.Initial(), -1, 0, out _);
        // the search is breadth-first in batches of frontier states: workers expand a batch (each state's moves and
        // successors, in parallel), and the merge adds the successors to the store in (state, move) order — exactly
        // the order of a one-thread search, so the states, their numbering, the depth and the first violation of each
        // check (a shortest one) are the same for every thread count. While the merge runs, the next batch (states
        // already in the store) is being expanded. Coverage counts and the product graph need every expansion to be
        // merged: they run on one thread.
        int threads = cfg.Coverage || cfg.GraphNodeCap > 0 ? 1 : Math.Max(1, cfg.Threads);
        var models = new SystemModel[threads];
        models[0] = threads == 1 ? model : new SystemModel(cfg);
        for (int c = 1; c < threads; c++) models[c] = new SystemModel(cfg);
        var moveLists = Enumerable.Range(0, threads).Select(_ => new List<Move>()).ToArray();
        int batchSize = threads == 1 ? 256 : 1024 * threads;
        var batches = new[] { new Batch(threads), new Batch(threads) };
        var violations = new List<Violation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var flags = new List<byte>();
        List<int>? from = cfg.Liveness ? [] : null, to = cfg.Liveness ? [] : null;
        var nodes = cfg.GraphNodeCap > 0 ? new List<ProductNode>() : null;
        var edges = cfg.GraphNodeCap > 0 ? new List<ProductEdge>() : null;
        long transitions = 0, deadlocks = 0;
        int depth = 0, levelEnd = 1, head = 0;
        bool stopped = false;
        long nextProgress = 1000;
        int cur = 0;
        using var workers = threads > 1 ? new Workers(models, moveLists, handshakeOnly, cfg.GraphNodeCap) : null;
        bool ahead = false; // batches[cur] was started on the workers while the one before was merged
        while (!stopped && head < store.Count)
        {
            var b = batches[cur];
            if (!ahead)
            {
                b.Load(store, head, Math.Min(batchSize, store.Count - head));
                if (workers is null || b.Count < 4 * threads)
                {
                    ExpandRange(models[0], moveLists[0], b, b.Chunks[0], 0, b.Count, handshakeOnly, cfg.GraphNodeCap);
                    for (int c = 1; c < threads; c++) b.Chunks[c].Clear();
                }
                else { workers.Start(b); workers.Wait(); }
            }
            else { workers!.Wait(); ahead = false; }
            // the next batch (states already in the store) is expanded while this one is merged
            int nextFirst = b.First + b.Count, nextCount = Math.Min(batchSize, store.Count - nextFirst);
            if (workers is not null && nextCount >= 4 * threads)
            {
                var nb = batches[cur ^ 1];
                nb.Load(store, nextFirst, nextCount);
                workers.Start(nb);
                ahead = true;
            }
            // merge, in order
            foreach (var ch in b.Chunks)
            {
                foreach (var st in ch.States)
                {
                    if (head == levelEnd) { depth++; levelEnd = store.Count; }
                    flags.Add(st.Flags);
                    if (st.Node is not null) nodes!.Add(new ProductNode(head, st.Node, (st.Flags & StFinished) != 0));
                    if (st.Dead is not null)
                    {
                        deadlocks++;
                        if (model.Enabled("deadlock") && seen.Add("deadlock"))
                        {
                            violations.Add(new Violation("deadlock", $"no move is possible, and the system is not finished: {st.Dead}", TraceTo(cfg, store, head, -1)));
                            if (cfg.StopAtFirstViolation) { stopped = true; break; }
                        }
                    }
                    for (int k = 0; k < st.Count; k++)
                    {
                        var (off, len, v, label) = ch.Succ[st.First + k];
                        transitions++;
                        int idx = store.Add(ch.Buf.AsSpan(off, len), head, k, out _);
                        if (idx < 0) { stopped = true; break; } // the store is full: stop as at the state cap
                        from?.Add(head);
                        to?.Add(idx);
                        if (label is not null && idx < cfg.GraphNodeCap) edges!.Add(new ProductEdge(head, idx, label));
                        if (v is not null && seen.Add(v.Check))
                        {
                            violations.Add(new Violation(v.Check, v.Detail, TraceTo(cfg, store, head, k)));
                            if (cfg.StopAtFirstViolation) { stopped = true; break; }
                        }
                    }
                    head++;
                    if (store.Count >= cfg.MaxStates) stopped = true;
                    if (stopped) break;
                    if (cfg.Progress is not null && head >= nextProgress)
                    {
                        nextProgress = head + 1000;
                        if (sw.ElapsedMilliseconds >= _lastProgress + 1000)
                        {
                            _lastProgress = sw.ElapsedMilliseconds;
                            cfg.Progress(new ExplorerProgress(store.Count, transitions, depth, store.Count - head, store.Count / sw.Elapsed.TotalSeconds));
                        }
                    }
                }
                if (stopped) break;
            }
            cur ^= 1;
        }
        if (ahead) workers!.Wait();
        bool complete = !stopped && head >= store.Count;
        if (complete && cfg.Liveness)
        {
            if (!handshakeOnly) Backward(cfg, model, store, flags, from!, to!, StFinished, StBlindOnly, "can-finish",
                "from here no run reaches a finished state (both sides CLOSED, LISTEN, or quiescent with nothing unacknowledged, and nothing in flight)", violations, seen);
            Backward(cfg, model, store, flags, from!, to!, StBothEstablished, StHandshake, "can-establish",
                "both sides opened and the handshake is under way (no attacker, no abort), but from here no run gets both sides ESTABLISHED (§3.5 Figures 6, 7)", violations, seen);
        }
        sw.Stop();
        long index = store.IndexBytes + (from is null ? 0 : 8L * from.Count);
        return new ExplorerResult
        {
            Config = cfg,
            States = store.Count,
            Transitions = transitions,
            Depth = depth,
            Elapsed = sw.Elapsed,
            BytesPerState = (store.ArenaBytes + store.IndexBytes) / (double)store.Count,
            EncodedBytesPerState = store.ArenaBytes / (double)store.Count,
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Complete = complete,
            StoreFull = store.Full,
            Deadlocks = deadlocks,
            Violations = violations,
            CellCoverage = model.Coverage,
            Nodes = nodes,
            Edges = edges,
            Threads = threads,
            StoreDigest = cfg.ComputeStoreDigest ? Digest(store) : 0,
        };
    }

    [ThreadStatic] private static long _lastProgress;

    // a hash of every stored state and its parent and move, in store order (what tests compare across thread counts)
    private static ulong Digest(StateStore store)
    {
        ulong h = 0;
        for (int i = 0; i < store.Count; i++)
            h = (h ^ StateStore.Hash64(store.Get(i), (ulong)i) ^ ((ulong)(uint)store.Parent(i) << 16 | (uint)store.MoveOf(i))) * 0x100000001B3UL;
        return h;
    }

    private static void Backward(ExplorerConfig cfg, SystemModel model, StateStore store, List<byte> flags, List<int> from, List<int> to,
        byte goal, byte scope, string check, string detail, List<Violation> violations, HashSet<string> seen)
    {
        if (!model.Enabled(check) || seen.Contains(check)) return;
        int n = store.Count;
        if (scope != 0)
        {
            bool any = false;
            for (int i = 0; i < n && !any; i++) any = (flags[i] & scope) != 0;
            if (!any) return;
        }
        // reverse adjacency (CSR)
        var start = new int[n + 1];
        foreach (int t in to) start[t + 1]++;
        for (int i = 0; i < n; i++) start[i + 1] += start[i];
        var pos = (int[])start.Clone();
        var pred = new int[to.Count];
        for (int e = 0; e < to.Count; e++) pred[pos[to[e]]++] = from[e];
        var can = new bool[n];
        var queue = new Queue<int>();
        for (int i = 0; i < n; i++) if ((flags[i] & goal) != 0) { can[i] = true; queue.Enqueue(i); }
        while (queue.Count > 0)
        {
            int x = queue.Dequeue();
            for (int e = start[x]; e < start[x + 1]; e++)
            {
                int p = pred[e];
                if (!can[p]) { can[p] = true; queue.Enqueue(p); }
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (can[i] || (scope != 0 && (flags[i] & scope) == 0)) continue;
            var bytes = store.Get(i).ToArray();
            model.Parse(bytes, 0, bytes.Length);
            seen.Add(check);
            violations.Add(new Violation(check, detail + ": " + NodeLabel(model), TraceTo(cfg, store, i, -1)));
            return;
        }
    }

    private static string NodeLabel(SystemModel m)
    {
        var a = m[Network.Side.A];
        var b = m[Network.Side.B];
        return $"A {a.State.RfcName()}, B {b.State.RfcName()}, {m.FlightCount} in flight";
    }

    /// <summary>The trace from the initial state to state <paramref name="target"/>, then move <paramref name="lastMove"/> (if ≥ 0).</summary>
    private static List<TraceStep> TraceTo(ExplorerConfig cfg, StateStore store, int target, int lastMove)
    {
        var path = new List<(int State, int Move)>();
        if (lastMove >= 0) path.Add((target, lastMove));
        for (int s = target; store.Parent(s) >= 0; s = store.Parent(s)) path.Add((store.Parent(s), store.MoveOf(s)));
        path.Reverse();
        return TraceAlong(cfg, path.ConvertAll(p => (store.Get(p.State).ToArray(), p.Move)));
    }

    // the trace along a path of (state, index of the move taken there), as TraceTo builds it from the store
    private static List<TraceStep> TraceAlong(ExplorerConfig cfg, List<(byte[] State, int Move)> path)
    {
        var replay = new SystemModel(cfg);
        var moves = new List<Move>();
        var steps = new List<TraceStep>();
        foreach (var (state, move) in path)
        {
            replay.Parse(state, 0, state.Length);
            replay.Moves(moves);
            var m = moves[move];
            string label = replay.Label(m);
            var events = new List<TraceEvent>();
            replay.Recording = events;
            replay.Apply(m);
            replay.Recording = null;
            steps.Add(new TraceStep(label, events));
        }
        return steps;
    }

    /// <summary>Replays moves by label from the initial state and returns the first violation met (null if none),
    /// with the trace — what the generated xunit tests call.</summary>
    public static Violation? Replay(ExplorerConfig cfg, IReadOnlyList<string> labels)
    {
        var model = new SystemModel(cfg);
        var state = model.Initial();
        var moves = new List<Move>();
        var steps = new List<TraceStep>();
        foreach (var label in labels)
        {
            model.Parse(state, 0, state.Length);
            model.Moves(moves);
            int k = -1;
            for (int i = 0; i < moves.Count && k < 0; i++) if (model.Label(moves[i]) == label) k = i;
            if (k < 0)
                throw new ArgumentException($"move '{label}' is not enabled here; enabled: {string.Join(" | ", moves.Select(x => model.Label(x)))}", nameof(labels));
            var events = new List<TraceEvent>();
            model.Recording = events;
            var v = model.Apply(moves[k]);
            model.Recording = null;
            steps.Add(new TraceStep(label, events));
            state = model.Successor.ToArray();
            if (v is not null) return new Violation(v.Check, v.Detail, steps);
        }
        model.Parse(state, 0, state.Length);
        model.Moves(moves);
        if (moves.Count == 0 && !model.IsFinished())
            return new Violation("deadlock", "no move is possible, and the system is not finished: " + NodeLabel(model), steps);
        return null;
    }

    // ---------------------------------------------------------------- bitstate

    private static ExplorerResult RunBitstate(ExplorerConfig cfg, int bits)
    {
        if (bits is < 10 or > 36) throw new ArgumentOutOfRangeException(nameof(cfg), "bitstate bits must be 10..36");
        const int k = 3;
        var sw = Stopwatch.StartNew();
        long m = 1L << bits;
        var bitset = new ulong[m >> 6];
        ulong mask = (ulong)m - 1;
        var model = new SystemModel(cfg);
        var violations = new List<Violation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // the DFS path: one frame per depth (the state, its moves, the next move to try), so a violation comes with
        // the run that led to it (depth-first: a run, not necessarily a shortest one)
        var frames = new List<(byte[] State, List<Move> Moves, int Next)>();
        long states = 0, transitions = 0, deadlocks = 0;
        int maxDepth = 0;
        long nextProgress = 100_000;

        bool TestAndSet(ReadOnlySpan<byte> s)
        {
            ulong h1 = StateStore.Hash64(s, 0), h2 = StateStore.Hash64(s, 0x5bd1e995) | 1;
            bool all = true;
            for (int i = 0; i < k; i++)
            {
                ulong b = (h1 + (ulong)i * h2) & mask;
                ref ulong word = ref bitset[b >> 6];
                ulong bit = 1UL << (int)(b & 63);
                if ((word & bit) == 0) { all = false; word |= bit; }
            }
            return !all;
        }

        var spare = new Stack<List<Move>>();
        int parsed = -1; // the frame the model has parsed (Apply leaves it parsed)
        void Enter(byte[] s)
        {
            model.Parse(s, 0, s.Length);
            var ms = spare.Count > 0 ? spare.Pop() : new List<Move>();
            model.Moves(ms);
            if (ms.Count == 0 && !model.IsFinished()) deadlocks++;
            frames.Add((s, ms, 0));
            parsed = frames.Count - 1;
            maxDepth = Math.Max(maxDepth, frames.Count - 1);
        }

        var init = model.Initial();
        TestAndSet(init);
        states = 1;
        Enter(init);
        bool stopped = false;
        while (frames.Count > 0 && states < cfg.MaxStates && !stopped)
        {
            var (state, ms, next) = frames[^1];
            if (next >= ms.Count)
            {
                frames.RemoveAt(frames.Count - 1);
                spare.Push(ms);
                continue;
            }
            frames[^1] = (state, ms, next + 1);
            if (parsed != frames.Count - 1) { model.Parse(state, 0, state.Length); parsed = frames.Count - 1; }
            var v = model.Apply(ms[next]);
            transitions++;
            if (v is not null && seen.Add(v.Check))
            {
                var path = new List<(byte[] State, int Move)>(frames.Count);
                foreach (var f in frames) path.Add((f.State, f.Next - 1));
                violations.Add(new Violation(v.Check, v.Detail, TraceAlong(cfg, path)));
                if (cfg.StopAtFirstViolation) { stopped = true; break; }
            }
            if (TestAndSet(model.Successor)) { states++; Enter(model.Successor.ToArray()); }
            if (cfg.Progress is not null && states >= nextProgress)
            {
                nextProgress = states + 1_000_000;
                cfg.Progress(new ExplorerProgress(states, transitions, maxDepth, frames.Count, states / sw.Elapsed.TotalSeconds));
            }
        }
        sw.Stop();
        // expected omissions (Holzmann): a new state is lost when all k of its bits are already set;
        // after i states that happens with probability (1 - e^(-k i / m))^k; summed over the run
        double omitted = 0;
        const int steps = 1000;
        for (int j = 0; j < steps; j++)
        {
            double i = (j + 0.5) * states / steps;
            omitted += Math.Pow(1 - Math.Exp(-k * i / m), k) * states / steps;
        }
        return new ExplorerResult
        {
            Config = cfg,
            States = states,
            Transitions = transitions,
            Depth = maxDepth,
            Elapsed = sw.Elapsed,
            BytesPerState = m / 8.0 / Math.Max(1, states),
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Complete = frames.Count == 0,
            CoverageEstimate = states / (states + omitted),
            HashFactor = m / (double)Math.Max(1, states),
            Deadlocks = deadlocks,
            Violations = violations,
            CellCoverage = model.Coverage,
        };
    }
}
