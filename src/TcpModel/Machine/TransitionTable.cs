using Stateless;
using S = TcpModel.Machine.TcpState;
using T = TcpModel.Machine.Trigger;
using G = TcpModel.Machine.Guard;
using E = TcpModel.Machine.Effect;

namespace TcpModel.Machine;

/// <summary>
/// The transition table of RFC 9293 §3.10, declared once with Stateless (accessor/mutator
/// constructor; <c>Permit</c>, <c>PermitIf</c>, <c>InternalTransition(If)</c>, <c>Ignore(If)</c>; no
/// dynamic transitions). Per-cell facts live beside it in <see cref="Facts"/>, keyed by cell. The
/// hot path never calls <c>Fire</c>: <see cref="CompiledTable"/> is built from <c>GetInfo()</c>.
/// spec/transitions.md lists every cell and a test proves it equal to this declaration.
/// </summary>
public sealed partial class TransitionTable
{
    private readonly Dictionary<CellKey, CellFacts> _facts = new();

    /// <summary>The state the declared machine reads and writes (accessor/mutator).</summary>
    public S Current { get; set; }

    /// <summary>Decides guard outcomes when the declared machine is fired (tests and benchmarks
    /// set it; guards are named, so the code behind a name is looked up here).</summary>
    public Func<G, bool> GuardOracle { get; set; } = _ => false;

    /// <summary>The declared Stateless machine.</summary>
    public StateMachine<S, T> Machine { get; }

    /// <summary>The facts of every declared cell.</summary>
    public IReadOnlyDictionary<CellKey, CellFacts> Facts => _facts;

    /// <summary>The shared declaration.</summary>
    public static TransitionTable Declared { get; } = new();

    /// <summary>Declares the table.</summary>
    public TransitionTable()
    {
        Machine = new StateMachine<S, T>(() => Current, s => Current = s);
        DeclareUserCalls();
        DeclareTimeouts();
        DeclareUnsynchronizedSegments();
        DeclareSynchronizedSegments();
    }

    private Cfg In(S s) => new(this, s);

    /// <summary>Records a cell in Stateless and its facts beside it.</summary>
    private sealed class Cfg(TransitionTable t, S state)
    {
        private readonly StateMachine<S, T>.StateConfiguration _c = t.Machine.Configure(state);

        private Tuple<Func<bool>, string>[] Guards(G g1, G g2)
        {
            var list = new List<Tuple<Func<bool>, string>>();
            if (g1 != G.None) list.Add(Tuple.Create<Func<bool>, string>(() => t.GuardOracle(g1), g1.Name()));
            if (g2 != G.None) list.Add(Tuple.Create<Func<bool>, string>(() => t.GuardOracle(g2), g2.Name()));
            return list.ToArray();
        }

        private void Fact(T trig, CellKind kind, S next, E effect, Outcome o, string emits, string rfc, G g1, G g2)
        {
            var key = new CellKey(state, trig, g1, g2);
            t._facts.Add(key, new CellFacts(key, kind, next, effect, o, emits, rfc));
        }

        /// <summary>A change of state.</summary>
        public Cfg Go(T trig, S next, E effect, string rfc, string emits = "", G g1 = G.None, G g2 = G.None, Outcome o = Outcome.Drop)
        {
            if (g1 == G.None) _c.Permit(trig, next);
            else _c.PermitIf(trig, next, Guards(g1, g2));
            Fact(trig, CellKind.Transition, next, effect, o, emits, rfc, g1, g2);
            return this;
        }

        /// <summary>Reply and stay.</summary>
        public Cfg Stay(T trig, E effect, string rfc, string emits = "", G g1 = G.None, G g2 = G.None, Outcome o = Outcome.Drop)
        {
            if (g1 == G.None) _c.InternalTransition(trig, _ => { });
            else
            {
                var gs = Guards(g1, g2);
                Func<bool> all = gs.Length == 1 ? gs[0].Item1 : () => gs[0].Item1() && gs[1].Item1();
                _c.InternalTransitionIf(trig, _ => all(), _ => { }, string.Join(" & ", gs.Select(x => x.Item2)));
            }
            Fact(trig, CellKind.Internal, state, effect, o, emits, rfc, g1, g2);
            return this;
        }

        /// <summary>Nothing happens.</summary>
        public Cfg Ignore(T trig, string rfc, G g1 = G.None, G g2 = G.None, Outcome o = Outcome.Drop)
        {
            if (g1 == G.None) _c.Ignore(trig);
            else
            {
                _c.IgnoreIf(trig, Guards(g1, g2));
            }
            Fact(trig, CellKind.Ignore, state, E.None, o, "", rfc, g1, g2);
            return this;
        }

        /// <summary>Ignores triggers the classifier never yields in this state (still a declared decision).</summary>
        public Cfg NotProduced(string rfc, params T[] triggers)
        {
            foreach (var trig in triggers) Ignore(trig, rfc + " (not produced in this state)");
            return this;
        }
    }
}
