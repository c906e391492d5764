using BenchmarkDotNet.Attributes;
using TcpModel.Machine;

namespace TcpModel.Benchmarks;

/// <summary>
/// Cost of one transition of the <see cref="Lifecycle"/> path (18 transitions, all 11 states) by four
/// means: Stateless <c>Fire</c> on the declared machine, the compiled table's guarded lookup, a
/// hand-written switch, and a raw precomputed next-state array. Each operation runs the whole path
/// with every lookup depending on the previous state; results are per transition
/// (OperationsPerInvoke). Not sealed: BenchmarkDotNet derives from benchmark classes.
/// </summary>
[MemoryDiagnoser]
public class TransitionBenchmarks
{
    private readonly TransitionTable _declared;
    private readonly Trigger[] _path = Lifecycle.Triggers;
    private CompiledTable _compiled = null!;
    private Tcb _tcb = null!;
    private Profile _profile = null!;
    private byte[] _next = null!;
    private ProfileTable _profileTable = null!; // the table an endpoint takes once, at construction

    /// <summary>Benchmarks the shared declaration, <see cref="TransitionTable.Declared"/>.</summary>
    public TransitionBenchmarks() : this(TransitionTable.Declared) { }

    /// <summary>Benchmarks a given declaration (the smoke test uses its own, so it never touches the
    /// shared machine's state or guard oracle while other tests run).</summary>
    public TransitionBenchmarks(TransitionTable declared) => _declared = declared;

    [GlobalSetup]
    public void Setup()
    {
        _compiled = CompiledTable.Instance;
        _tcb = Lifecycle.GuardTcb();
        _profile = Lifecycle.GuardProfile;
        var tcb = _tcb;
        var profile = _profile;
        // Stateless asks the oracle by guard name; answer with the same named predicates on the same TCB.
        _declared.GuardOracle = g => Guards.Evaluate(g, tcb, profile);
        _declared.Current = TcpState.Closed;

        _profileTable = _compiled.For(profile);
        _next = new byte[TcpStates.Count * Triggers.Count];
        foreach (var s in TcpStates.All)
            foreach (var t in Triggers.All)
                _next[(int)s * Triggers.Count + (int)t] = (byte)(_compiled.Lookup(s, t, tcb, profile)?.Next ?? s);
    }

    /// <summary>Stateless <c>Fire</c> on the declared machine (accessor/mutator over <c>Current</c>).</summary>
    [Benchmark(OperationsPerInvoke = Lifecycle.Length)]
    public TcpState StatelessFire()
    {
        var m = _declared.Machine;
        foreach (var t in _path) m.Fire(t);
        return _declared.Current;
    }

    /// <summary><c>CompiledTable.For(profile).Next(state, trigger, tcb)</c>: the compiled table specialized to the
    /// profile, guards the profile decides folded, the others evaluated on the TCB.</summary>
    [Benchmark(OperationsPerInvoke = Lifecycle.Length)]
    public TcpState CompiledLookup()
    {
        var s = TcpState.Closed;
        foreach (var t in _path) s = _profileTable.Next(s, t, _tcb);
        return s;
    }

    /// <summary>The hand-written switch (<see cref="HandWrittenSwitch"/>).</summary>
    [Benchmark(OperationsPerInvoke = Lifecycle.Length)]
    public TcpState HandWritten()
    {
        var s = TcpState.Closed;
        foreach (var t in _path) s = HandWrittenSwitch.Next(s, t);
        return s;
    }

    /// <summary><c>next[state * N + trigger]</c>, precomputed from the compiled table for this TCB and profile.</summary>
    [Benchmark(OperationsPerInvoke = Lifecycle.Length)]
    public TcpState RawArray()
    {
        var s = TcpState.Closed;
        var next = _next;
        foreach (var t in _path) s = (TcpState)next[(int)s * Triggers.Count + (int)t];
        return s;
    }

    /// <summary>The states each means goes through on one pass (for the smoke test).</summary>
    public IReadOnlyList<TcpState>[] Trace()
    {
        var stateless = new List<TcpState>();
        var m = _declared.Machine;
        foreach (var t in _path) { m.Fire(t); stateless.Add(_declared.Current); }
        return [stateless, Walk((s, t) => _compiled.Lookup(s, t, _tcb, _profile)!.Next), Walk(HandWrittenSwitch.Next), Walk((s, t) => (TcpState)_next[(int)s * Triggers.Count + (int)t])];

        List<TcpState> Walk(Func<TcpState, Trigger, TcpState> step)
        {
            var list = new List<TcpState>();
            var s = TcpState.Closed;
            foreach (var t in _path) list.Add(s = step(s, t));
            return list;
        }
    }
}
