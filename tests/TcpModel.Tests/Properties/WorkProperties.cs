using FsCheck;
using FsCheck.Fluent;
using TcpModel.Machine;
using TcpModel.Tests.Machine;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>One input of a work case: a segment (text of <see cref="Length"/> octets at
/// <see cref="Offset"/> from RCV.NXT, acknowledging SND.NXT), a SEND of <see cref="Length"/> octets, or a
/// RECEIVE into a buffer of <see cref="Length"/> octets.</summary>
public sealed record WorkInput(char Kind, int Offset, int Length, Control Control)
{
    /// <summary>Readable form.</summary>
    public override string ToString() => Kind switch
    {
        'S' => $"SEND {Length}",
        'R' => $"RECEIVE {Length}",
        _ => $"<SEQ=RCV.NXT{(Offset >= 0 ? "+" : "")}{Offset}><ACK=SND.NXT><CTL={Control}> {Length} octets",
    };

    /// <summary>As C#.</summary>
    public string ToCode() => $"new WorkInput('{Kind}', {Offset}, {Length}, (Control){(int)Control})";
}

/// <summary>A work case: a canonical fixture (by <see cref="Fixture"/> number) and its inputs.</summary>
public sealed record WorkCase(int Fixture, IReadOnlyList<WorkInput> Inputs)
{
    /// <summary>Readable form.</summary>
    public override string ToString() => $"{WorkProperties.FixtureNames[Fixture]}: {string.Join("; ", Inputs)}";

    /// <summary>As C#.</summary>
    public string ToCode() => $"new WorkCase({Fixture}, [{string.Join(", ", Inputs.Select(i => i.ToCode()))}])";
}

/// <summary>
/// P-30: the model's work on octets is linear. Copying octets is the only work in a step that grows
/// with the input (everything else is a bounded number of table lookups per segment, and a bounded
/// number of visits per octet of the reassembly queue), so the queues count every octet they copy
/// (<see cref="Tcb.OctetsCopied"/>) and the claim bounds that count, without timing anything:
/// in one step, at most 4 × the octets handed over (the segment's text, or what SEND or RECEIVE passed)
/// + 3 × the octets the step made deliverable from the reassembly queue (RCV.NXT's advance); over a
/// whole run, at most 4 × the octets that came in (segment text and SEND data) + the octets RECEIVE read. A quadratic queue (one that
/// renumbers, compacts or rebuilds what it already holds) breaks both bounds on large segments.
/// </summary>
public sealed class WorkProperties
{
    internal static readonly string[] FixtureNames = ["LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT"];

    private static Conn Make(int fixture) => fixture switch
    {
        0 => Fixtures.Listen(),
        1 => Fixtures.SynSent(),
        2 => Fixtures.SynReceived(),
        3 => Fixtures.Established(),
        4 => Fixtures.FinWait1(),
        5 => Fixtures.FinWait2(),
        _ => Fixtures.CloseWait(),
    };

    private static readonly Gen<int> Lengths = Gen.Frequency(
        (3, Gen.Choose(0, 8)), (3, Gen.Choose(9, 3000)), (2, Gen.Choose(3001, 70_000)), (1, Gen.Choose(70_001, 300_000)));

    private static readonly Gen<int> Offsets = Gen.Frequency(
        (4, Gen.Constant(0)), (4, Gen.Choose(1, 70_000)), (1, Gen.Choose(-70_000, -1)));

    private static readonly Gen<Control> Controls = Gen.Elements(
        Control.ACK, Control.ACK, Control.ACK | Control.PSH, Control.ACK | Control.FIN, Control.SYN | Control.ACK, Control.SYN, Control.None);

    private static readonly Gen<WorkInput> Inputs = Gen.Frequency(
        (6, from off in Offsets from len in Lengths from ctl in Controls select new WorkInput('A', off, len, ctl)),
        (1, from len in Lengths select new WorkInput('S', 0, len, Control.None)),
        (1, from len in Lengths select new WorkInput('R', 0, len, Control.None)));

    private static readonly Gen<WorkCase> Cases =
        from f in Gen.Choose(0, FixtureNames.Length - 1)
        from n in Gen.Choose(1, 12)
        from inputs in Gen.ArrayOf(Inputs, n)
        select new WorkCase(f, inputs);

    private static IEnumerable<WorkCase> Shrink(WorkCase c)
    {
        for (int k = 0; k < c.Inputs.Count; k++)
            if (c.Inputs.Count > 1) yield return c with { Inputs = [.. c.Inputs.Take(k), .. c.Inputs.Skip(k + 1)] };
        for (int k = 0; k < c.Inputs.Count; k++)
            if (c.Inputs[k].Length > 1) yield return c with { Inputs = [.. c.Inputs.Take(k), c.Inputs[k] with { Length = c.Inputs[k].Length / 2 }, .. c.Inputs.Skip(k + 1)] };
    }

    /// <summary>Null when both bounds hold on every step of the case.</summary>
    internal static string? Check(WorkCase w)
    {
        var c = Make(w.Fixture);
        long runStart = c.Tcb.OctetsCopied, inOctets = 0, readOctets = 0;
        foreach (var input in w.Inputs)
        {
            var t = c.Tcb;
            long before = t.OctetsCopied;
            var rcvNxt = t.RcvNxt;
            bool synchronized = c.State.IsSynchronized();
            long handed;
            switch (input.Kind)
            {
                case 'S':
                    c.Step(Input.Send(new byte[input.Length]));
                    handed = c.Accepted;
                    inOctets += input.Length;
                    break;
                case 'R':
                    c.Receive(input.Length);
                    handed = c.Delivered.Length;
                    readOctets += handed;
                    break;
                default:
                    var seq = t.RcvNxt + new SeqLen(unchecked((uint)input.Offset));
                    c.Step(Input.Arrive(new Segment(seq, t.SndNxt, input.Control, 65535, new byte[input.Length])));
                    handed = input.Length;
                    inOctets += input.Length;
                    break;
            }
            // RCV.NXT's advance within one incarnation (before synchronization it is not yet a number)
            long advanced = synchronized && c.State.IsSynchronized() ? (c.Tcb.RcvNxt - rcvNxt).Value : 0;
            if (advanced > int.MaxValue) advanced = 0;
            long copied = c.Tcb.OctetsCopied - before;
            if (copied > 4 * handed + 3 * advanced)
                return $"{input} in {c.State.RfcName()}: copied {copied} octets, more than 4 × {handed} handed over + 3 × {advanced} made deliverable";
        }
        long total = c.Tcb.OctetsCopied - runStart;
        return total <= 4 * inOctets + readOctets ? null
            : $"over the run: copied {total} octets, more than 4 × {inOctets} in + {readOctets} read";
    }

    [Fact]
    [Trait("Property", "P-30")]
    public void P30_TheOctetsCopiedInAStepAreLinearInTheOctetsItMoves() =>
        PropertyRunner.Verify("P-30", "octets copied per step =< 4 × octets handed over + 3 × RCV.NXT advance; per run =< 4 × octets in + octets read",
            Cases, Shrink, Check, w => w.ToCode(), defaultRuns: 60);
}
