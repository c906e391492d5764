namespace TcpModel.Machine;

/// <summary>
/// A seeded bug: a named, deliberate fault in the model that the checks (per-state tests, properties,
/// the differential against the reference, the explorer) must detect. Mutants exist to prove that
/// every test suite can fail; no built-in profile sets one. Set with <c>profile with { Mutant = … }</c>
/// (tests) or <c>tcpmodel explore --mutant NAME</c>. Each member names the rule it breaks; each check
/// site in the model is marked <c>// MUTANT name</c>.
/// </summary>
public enum Mutant : byte
{
    /// <summary>No seeded bug: the model as specified.</summary>
    None = 0,

    /// <summary>Breaks RFC 9293 §3.6 / §3.10.3: RECEIVE in CLOSING, LAST-ACK or TIME-WAIT answers "connection
    /// closing" at once, losing the octets received before the peer's FIN that the user has not read yet.</summary>
    NoDataAfterFin,

    /// <summary>Breaks RFC 9293 §3.10.7.4 second/fourth (SYN-RECEIVED "initiated with a passive OPEN"): a
    /// connection reopened from TIME-WAIT by a new SYN (RFC 1122 §4.2.2.13) counts as one that came from LISTEN,
    /// so a later RST or SYN returns it to LISTEN (a listener nobody created), and the host does not queue it
    /// for the listener that owns the port.</summary>
    ReopenedConnectionAsListener,
}

/// <summary>Names of <see cref="Mutant"/> values in kebab case (<c>time-wait-zero</c>) for the CLI and reports.</summary>
public static class Mutants
{
    /// <summary>Every seeded bug (not <see cref="Mutant.None"/>).</summary>
    public static IReadOnlyList<Mutant> All { get; } =
        Enum.GetValues<Mutant>().Where(m => m != Mutant.None).ToArray();

    /// <summary>The kebab-case name of <paramref name="mutant"/>.</summary>
    public static string Name(Mutant mutant)
    {
        var s = mutant.ToString();
        var b = new System.Text.StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsUpper(s[i]) && i > 0) b.Append('-');
            b.Append(char.ToLowerInvariant(s[i]));
        }
        return b.ToString();
    }

    /// <summary>Finds a mutant by its kebab-case name (case-insensitive).</summary>
    public static bool TryParse(string name, out Mutant mutant)
    {
        foreach (var m in Enum.GetValues<Mutant>())
        {
            if (string.Equals(Name(m), name, StringComparison.OrdinalIgnoreCase)) { mutant = m; return true; }
        }
        mutant = Mutant.None;
        return false;
    }
}
