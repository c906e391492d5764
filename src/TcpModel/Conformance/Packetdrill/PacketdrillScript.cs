namespace TcpModel.Conformance.Packetdrill;

/// <summary>A parsed packetdrill script.</summary>
/// <param name="FileName">The file name given to the parser (used in positions).</param>
/// <param name="Options">Header options <c>--name=value</c> keyed by name without dashes; value "" when no '='; a later line wins, and lines inside conditional blocks count regardless of the condition.</param>
/// <param name="Items">The body in order, with conditional blocks kept as a tree.</param>
public sealed record PacketdrillScript(
    string FileName, IReadOnlyDictionary<string, string> Options, IReadOnlyList<ScriptItem> Items)
{
    /// <summary>The line of the event a <c>// Failure: …</c> comment announces will fail (packetdrill's self-tests),
    /// or null: the run passes when it fails exactly there with a divergence (not an unsupported feature).</summary>
    public int? ExpectedFailureLine { get; init; }

    /// <summary>The flat event list for a profile, choosing each conditional branch by <paramref name="defined"/>.</summary>
    public IReadOnlyList<PacketdrillEvent> Select(IReadOnlySet<string> defined)
    {
        ArgumentNullException.ThrowIfNull(defined);
        var events = new List<PacketdrillEvent>();
        Flatten(Items, defined, events);
        return events;
    }

    /// <summary>Every name tested by an <c>#ifdef</c>/<c>#ifndef</c>, in first-seen order.</summary>
    public IReadOnlyList<string> ConditionNames
    {
        get
        {
            var names = new List<string>();
            Collect(Items, names);
            return names;
        }
    }

    private static void Flatten(IReadOnlyList<ScriptItem> items, IReadOnlySet<string> defined, List<PacketdrillEvent> into)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case PacketdrillEvent e: into.Add(e); break;
                case ConditionalBlock c: Flatten(c.Holds(defined) ? c.Then : c.Else, defined, into); break;
            }
        }
    }

    private static void Collect(IReadOnlyList<ScriptItem> items, List<string> names)
    {
        foreach (var c in items.OfType<ConditionalBlock>())
        {
            if (!names.Contains(c.Name)) names.Add(c.Name);
            Collect(c.Then, names);
            Collect(c.Else, names);
        }
    }
}
