namespace TcpModel.Checking;

/// <summary>The checks the explorer runs, by name, with what each claims (docs/readme/explorer.md).</summary>
public static class Checks
{
    /// <summary>Name → claim.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["snd-una-le-snd-nxt"] = "SND.UNA =< SND.NXT after every step (P-02)",
        ["rcv-nxt-only-advances"] = "within one incarnation RCV.NXT never moves back (P-03)",
        ["in-order-delivery"] = "the octets read are a prefix of the octets the peer sent (P-04, stream integrity)",
        ["old-duplicate-accepted"] = "no octet of an earlier incarnation is read in a later one, in runs without an abort (§3.4.1, §3.6: TIME-WAIT's job)",
        ["nothing-sent-beyond-snd-nxt"] = "every non-RST segment lies within [ISS, SND.NXT] (P-10)",
        ["no-rst-for-rst"] = "an RST is never answered with an RST (P-11)",
        ["acks-carry-rcv-nxt"] = "in synchronized states every non-RST segment has ACK = RCV.NXT (P-12)",
        ["window-never-shrinks"] = "RCV.NXT + RCV.WND never decreases within an incarnation (P-14)",
        ["closed-holds-nothing"] = "CLOSED holds no TCB and no timer (P-15)",
        ["deadlines-in-the-future"] = "no step arms a deadline at or before now (P-16)",
        ["retransmission-timer-armed"] = "while anything is outstanding a retransmission (or, into a closed window, persist) timer runs (RFC 6298 §5.1, §3.8.1)",
        ["state-agrees-with-fin-flags"] = "the state is what the FIN flags say (FIN sent, acknowledged, received; Figure 5)",
        ["time-wait-2msl"] = "TIME-WAIT's timer is 2 MSL on entry and after the peer's retransmitted FIN (P-06)",
        ["retransmitted-fin-reset"] = "the peer's retransmitted FIN, while it waits in LAST-ACK or CLOSING, is never answered with RST, in runs where no RST came before (§3.6)",
        ["unacceptable-segment-dropped"] = "a segment failing the §3.10.7.4 acceptability test moves neither RCV.NXT nor the state",
        ["blind-attack"] = "under RFC 5961, an off-path segment without an exact guess neither resets nor desynchronises (P-19)",
        ["deadlock"] = "every state that is not finished has a move",
        ["can-finish"] = "from every reachable state a finished state is reachable (backward reachability)",
        ["can-establish"] = "from every state of a handshake under way both sides can reach ESTABLISHED (P-05, backward reachability; with retries of 1 or more)",
    };

    /// <summary>The names.</summary>
    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)All.Keys;
}
