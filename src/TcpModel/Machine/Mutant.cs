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

    /// <summary>Breaks RFC 9293 §3.10.7.4 eighth, TIME-WAIT: a retransmitted FIN is acknowledged but the
    /// 2 MSL time-wait timeout is not restarted.</summary>
    TimeWaitNoRestartOnFin,

    /// <summary>Breaks RFC 9293 §3.10.7.4 eighth / RFC 1122 §4.2.2.13: TIME-WAIT lasts 0 instead of 2 MSL.</summary>
    TimeWaitZero,

    /// <summary>Breaks RFC 9293 §3.10.7.3 fourth (MUST-10): a SYN without ACK in SYN-SENT (simultaneous open)
    /// is dropped (table cell SYN-SENT × Syn becomes Ignore).</summary>
    SynIgnoredInSynSent,

    /// <summary>Breaks RFC 9293 §3.10.7.4 eighth: a FIN in FIN-WAIT-1 whose ACK does not cover our FIN
    /// enters CLOSE-WAIT instead of CLOSING (table cell FIN-WAIT-1 × Fin).</summary>
    FinInFinWait1ToCloseWait,

    /// <summary>Breaks RFC 5961 §3.2 / RFC 9293 §3.10.7.4 second: an RST anywhere in the window counts as
    /// exactly at RCV.NXT (no challenge ACK).</summary>
    RstAcceptedAnywhereInWindow,

    /// <summary>Breaks RFC 9293 §3.10.7.4 first (Table 6): the right edge is inclusive — a segment starting
    /// at RCV.NXT+RCV.WND is acceptable.</summary>
    AcceptabilityOffByOne,

    /// <summary>Breaks RFC 9293 §3.10.7.4 fifth: an ACK of our FIN is classified as an ordinary new ACK
    /// (FIN-WAIT-1 never reaches FIN-WAIT-2, CLOSING never TIME-WAIT, LAST-ACK never CLOSED).</summary>
    AckOfFinNotRecognised,

    /// <summary>Breaks RFC 6298 §5.5/§5.6: a retransmission does not restart the retransmission timer, so a
    /// segment is retransmitted at most once.</summary>
    RetransmitTimerNotRearmed,

    /// <summary>Breaks RFC 9293 §3.10.7.4 fifth, window update: the SND.WL1/SND.WL2 test is skipped, so an
    /// old or reordered ACK overwrites the send window.</summary>
    WindowUpdateFromOldAck,

    /// <summary>Breaks RFC 6298 §5.5: the RTO is not doubled on a retransmission timeout (no backoff).</summary>
    RtoNotBackedOff,

    /// <summary>Breaks RFC 5961 §7: challenge ACKs are not throttled (the per-second limit is ignored).</summary>
    ChallengeAckUnthrottled,

    /// <summary>Breaks RFC 9293 §3.10.7.4 first/seventh: text beyond the right edge of the receive window is
    /// not trimmed but accepted.</summary>
    RightEdgeNotTrimmed,

    /// <summary>Breaks RFC 9293 §3.10.7.4 seventh: "if a segment's contents straddle the boundary between old
    /// and new, only the new parts are processed" — here the new part is dropped with the old.</summary>
    StraddlingSegmentLosesNewPart,

    /// <summary>Breaks RFC 9293 §3.10.7.4 first (zero-window allowance): with RCV.WND = 0 a segment at RCV.NXT
    /// has its text and FIN processed instead of only its ACK, URG and RST.</summary>
    ZeroWindowAcceptsFin,

    /// <summary>Breaks RFC 9293 §3.8.6 / §3.10.7.4 fifth (SND.UNA + SND.WND bounds new data): the usable
    /// window is computed one octet too large.</summary>
    SendWindowOffByOne,

    /// <summary>Breaks RFC 6298 §5.4 / RFC 9293 §3.10.8: the retransmission starts at SND.NXT instead of the
    /// earliest unacknowledged octet SND.UNA.</summary>
    RetransmitFromSndNxt,

    /// <summary>Breaks RFC 9293 §3.10.7.4 eighth: accepting a FIN does not advance RCV.NXT over it.</summary>
    FinNotCounted,

    /// <summary>Breaks RFC 9293 §3.6 / §3.10.3: RECEIVE in CLOSING, LAST-ACK or TIME-WAIT answers "connection
    /// closing" at once, losing the octets received before the peer's FIN that the user has not read yet.</summary>
    NoDataAfterFin,

    /// <summary>Breaks RFC 9293 §3.10.7.4 second/fourth (SYN-RECEIVED "initiated with a passive OPEN"): a
    /// connection reopened from TIME-WAIT by a new SYN (RFC 1122 §4.2.2.13) counts as one that came from LISTEN,
    /// so a later RST or SYN returns it to LISTEN (a listener nobody created), and the host does not queue it
    /// for the listener that owns the port.</summary>
    ReopenedConnectionAsListener,

    /// <summary>Breaks RFC 9293 §3.7.1 (MUST-16) and RFC 6691: the peer's MSS option is used as the send MSS
    /// as is, not bounded by our interface's MMS_S nor reduced by the options each segment carries.</summary>
    PeerMssUnbounded,

    /// <summary>Breaks RFC 9293 §3.8.6.1 (MUST-36/37): each persist expiry sends a new octet beyond the last
    /// probe (advancing SND.NXT into the closed window) and arms the retransmission timer, so the
    /// probe data is retransmitted into a zero window and R2 aborts a connection whose peer answers.</summary>
    ProbeAdvancesIntoZeroWindow,

    /// <summary>Breaks RFC 7323 §2.2: the window field of a SYN,ACK (simultaneous open) is scaled by the
    /// peer's shift ("The window field in a segment where the SYN bit is set ... MUST NOT be scaled").</summary>
    ScaledSynWindow,

    /// <summary>Breaks RFC 9293 §3.5.3 / §3.10.7.4 second and RFC 5961 §3.2: an RST is validated by the
    /// segment-length acceptability test of Table 6 rather than by its sequence number alone.</summary>
    RstValidityBySegmentLength,

    /// <summary>Breaks RFC 9293 §3.8.6.2.2 (MUST-39) under POLICY receiver-sws-every-ack: RCV.WND is taken as the free
    /// buffer, not the window the SWS rule announced, so segments and RSTs beyond the right edge the rule held are
    /// taken as in the window.</summary>
    RcvWndIsTheFreeBuffer,
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
