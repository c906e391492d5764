namespace TcpModel.Machine;

/// <summary>
/// Named pure guard predicates of the transition table. Stateless's <c>GetInfo()</c> exposes a
/// guard's description, not its code, so the description is the guard's name and the code is
/// found by that name (<see cref="Guards.Evaluate"/>). Policy guards come in complementary pairs.
/// </summary>
public enum Guard : byte
{
    /// <summary>No guard.</summary>
    None,
    /// <summary>SYN-RECEIVED was reached from LISTEN (RFC 9293 §3.10.7.4, MUST-11 bookkeeping).</summary>
    PassiveOpen,
    /// <summary>SYN-RECEIVED was reached from SYN-SENT, or from TIME-WAIT by a new incarnation's SYN (RFC 1122
    /// §4.2.2.13): not from LISTEN.</summary>
    ActiveOpen,
    /// <summary>Policy rfc5961-rst on.</summary>
    ChallengeRst,
    /// <summary>Policy rfc5961-rst off (RFC 793).</summary>
    ClassicRst,
    /// <summary>Policy rfc5961-syn on.</summary>
    ChallengeSyn,
    /// <summary>Policy rfc5961-syn off (RFC 793).</summary>
    ClassicSyn,
    /// <summary>Policy rfc5961-ack on.</summary>
    AckRangeCheck,
    /// <summary>Policy rfc5961-ack off.</summary>
    NoAckRangeCheck,
    /// <summary>Policy rfc1337 on: RST in TIME-WAIT is ignored.</summary>
    Rfc1337,
    /// <summary>Policy rfc1337 off: RST in TIME-WAIT closes.</summary>
    NotRfc1337,
    /// <summary>Policy time-wait-reopen on.</summary>
    ReopenAllowed,
    /// <summary>Policy time-wait-reopen off.</summary>
    ReopenRefused,
    /// <summary>The passive OPEN named a remote socket (§3.10.2, LISTEN).</summary>
    RemoteSpecified,
    /// <summary>The passive OPEN left the remote socket unspecified.</summary>
    RemoteUnspecified,
    /// <summary>No SENDs are queued (§3.10.4, SYN-RECEIVED).</summary>
    NothingQueued,
    /// <summary>SENDs are queued.</summary>
    SendsQueued,
    /// <summary>Policy reset-on-close-with-unread-data on and received data is unread (SHLD-3).</summary>
    UnreadDataResets,
    /// <summary>The negation of <see cref="UnreadDataResets"/>.</summary>
    NormalClose,
    /// <summary>A CLOSE is queued in SYN-RECEIVED until ESTABLISHED (§3.10.4): no further SENDs (§3.6 case 1).</summary>
    CloseQueued,
    /// <summary>No CLOSE is queued.</summary>
    NoCloseQueued,
    /// <summary>POLICY time-wait-ack-rule is <see cref="TimeWaitAckRule.Bsd"/>: TIME-WAIT answers as BSD tcp_twcheck does.</summary>
    BsdTimeWait,
    /// <summary>POLICY time-wait-ack-rule is an RFC reading (<see cref="TimeWaitAckRule.FinOnly"/> or <see cref="TimeWaitAckRule.EveryAck"/>).</summary>
    RfcTimeWait,
    /// <summary>POLICY syn-received-resend-synack on: the peer's SYN again in a passive SYN-RECEIVED is answered with our SYN,ACK.</summary>
    ResendSynAck,
    /// <summary>POLICY syn-received-resend-synack off: the SYN again fails the first check (ACK and drop).</summary>
    AckRepeatedSyn,
    /// <summary>Policy ack-ahead-silent-drop off: an ACK beyond SND.NXT is answered with an ACK (RFC 9293 §3.10.7.4 fifth).</summary>
    AckAheadAnswered,
    /// <summary>Policy ack-ahead-silent-drop on: an ACK beyond SND.NXT is dropped silently (Linux tcp_ack).</summary>
    AckAheadDropped,
    /// <summary>POLICY fin-after-fin on: a FIN after the peer's FIN is acknowledged (RFC 9293 §3.10.7.4 eighth, literally).</summary>
    AckFinAfterFin,
    /// <summary>POLICY fin-after-fin off: a FIN after the peer's FIN is ignored (FreeBSD tcp_do_segment, Linux tcp_rcv_state_process).</summary>
    IgnoreFinAfterFin,
    /// <summary>POLICY reopen-reset-restores-time-wait on and SYN-RECEIVED was reached from TIME-WAIT (RFC 1122
    /// §4.2.2.13 (2)): a valid RST returns the connection to the TIME-WAIT it came from.</summary>
    TimeWaitToRestore,
    /// <summary>The negation of <see cref="TimeWaitToRestore"/>: no TIME-WAIT to go back to (not reopened, or the
    /// policy is off).</summary>
    NoTimeWaitToRestore,
    /// <summary>POLICY syn-in-passive-syn-received is a stack's (Syncache, RequestSock): the SYN that returns a passive
    /// SYN-RECEIVED to LISTEN is answered with a reset (FreeBSD tcp_input → tcp_dropwithreset, Linux tcp_check_req →
    /// embryonic_reset).</summary>
    SynResetsToListen,
    /// <summary>POLICY syn-in-passive-syn-received is RfcListen: back to LISTEN silently (RFC 9293 §3.10.7.4 fourth).</summary>
    SynQuietlyToListen,
}

/// <summary>Evaluation of <see cref="Guard"/> predicates: pure functions of the TCB and profile.</summary>
public static class Guards
{
    /// <summary>Number of guards.</summary>
    public const int Count = (int)Guard.SynQuietlyToListen + 1;

    /// <summary>The name Stateless carries as the guard description.</summary>
    public static string Name(this Guard g) => g.ToString();

    /// <summary>Finds a guard by the description Stateless reports.</summary>
    public static Guard FromName(string name) =>
        Enum.TryParse<Guard>(name, out var g) ? g : throw new InvalidOperationException($"unknown guard '{name}'");

    /// <summary>The guard that is true exactly when <paramref name="g"/> is false.</summary>
    public static Guard Complement(this Guard g) => g switch
    {
        Guard.PassiveOpen => Guard.ActiveOpen,
        Guard.ActiveOpen => Guard.PassiveOpen,
        Guard.ChallengeRst => Guard.ClassicRst,
        Guard.ClassicRst => Guard.ChallengeRst,
        Guard.ChallengeSyn => Guard.ClassicSyn,
        Guard.ClassicSyn => Guard.ChallengeSyn,
        Guard.AckRangeCheck => Guard.NoAckRangeCheck,
        Guard.NoAckRangeCheck => Guard.AckRangeCheck,
        Guard.Rfc1337 => Guard.NotRfc1337,
        Guard.NotRfc1337 => Guard.Rfc1337,
        Guard.ReopenAllowed => Guard.ReopenRefused,
        Guard.ReopenRefused => Guard.ReopenAllowed,
        Guard.RemoteSpecified => Guard.RemoteUnspecified,
        Guard.RemoteUnspecified => Guard.RemoteSpecified,
        Guard.NothingQueued => Guard.SendsQueued,
        Guard.SendsQueued => Guard.NothingQueued,
        Guard.UnreadDataResets => Guard.NormalClose,
        Guard.NormalClose => Guard.UnreadDataResets,
        Guard.CloseQueued => Guard.NoCloseQueued,
        Guard.NoCloseQueued => Guard.CloseQueued,
        Guard.BsdTimeWait => Guard.RfcTimeWait,
        Guard.RfcTimeWait => Guard.BsdTimeWait,
        Guard.ResendSynAck => Guard.AckRepeatedSyn,
        Guard.AckRepeatedSyn => Guard.ResendSynAck,
        Guard.AckAheadAnswered => Guard.AckAheadDropped,
        Guard.AckAheadDropped => Guard.AckAheadAnswered,
        Guard.AckFinAfterFin => Guard.IgnoreFinAfterFin,
        Guard.IgnoreFinAfterFin => Guard.AckFinAfterFin,
        Guard.TimeWaitToRestore => Guard.NoTimeWaitToRestore,
        Guard.NoTimeWaitToRestore => Guard.TimeWaitToRestore,
        Guard.SynResetsToListen => Guard.SynQuietlyToListen,
        Guard.SynQuietlyToListen => Guard.SynResetsToListen,
        _ => Guard.None,
    };

    /// <summary>
    /// The guard's value when the profile alone decides it, or null when it depends on the TCB:
    /// policy guards, and <see cref="Guard.UnreadDataResets"/> / <see cref="Guard.NormalClose"/> and
    /// <see cref="Guard.TimeWaitToRestore"/> / <see cref="Guard.NoTimeWaitToRestore"/> when their policy is off. Used to specialize the compiled table per profile.
    /// </summary>
    public static bool? EvaluateForProfile(Guard g, Profile p) => g switch
    {
        Guard.None => true,
        Guard.ChallengeRst or Guard.ClassicRst or Guard.ChallengeSyn or Guard.ClassicSyn
            or Guard.AckRangeCheck or Guard.NoAckRangeCheck or Guard.Rfc1337 or Guard.NotRfc1337
            or Guard.ReopenAllowed or Guard.ReopenRefused or Guard.BsdTimeWait or Guard.RfcTimeWait
            or Guard.ResendSynAck or Guard.AckRepeatedSyn
            or Guard.AckAheadAnswered or Guard.AckAheadDropped
            or Guard.AckFinAfterFin or Guard.IgnoreFinAfterFin
            or Guard.SynResetsToListen or Guard.SynQuietlyToListen
            => Evaluate(g, tcb: null!, p), // these read only the profile
        Guard.UnreadDataResets => p.ResetOnCloseWithUnreadData ? null : false,
        Guard.NormalClose => p.ResetOnCloseWithUnreadData ? null : true,
        Guard.TimeWaitToRestore => p.RestoreTimeWaitOnReset ? null : false,
        Guard.NoTimeWaitToRestore => p.RestoreTimeWaitOnReset ? null : true,
        _ => null,
    };

    /// <summary>Evaluates a guard.</summary>
    public static bool Evaluate(Guard g, Tcb tcb, Profile p) => g switch
    {
        Guard.None => true,
        Guard.PassiveOpen => tcb.FromPassiveOpen && !tcb.ReopenedFromTimeWait,
        Guard.ActiveOpen => !(tcb.FromPassiveOpen && !tcb.ReopenedFromTimeWait),
        Guard.ChallengeRst => p.ChallengeAckOnRst,
        Guard.ClassicRst => !p.ChallengeAckOnRst,
        Guard.ChallengeSyn => p.ChallengeAckOnSyn,
        Guard.ClassicSyn => !p.ChallengeAckOnSyn,
        Guard.AckRangeCheck => p.AckRangeCheck,
        Guard.NoAckRangeCheck => !p.AckRangeCheck,
        Guard.Rfc1337 => p.IgnoreRstInTimeWait,
        Guard.NotRfc1337 => !p.IgnoreRstInTimeWait,
        Guard.ReopenAllowed => p.ReopenFromTimeWait,
        Guard.ReopenRefused => !p.ReopenFromTimeWait,
        Guard.RemoteSpecified => tcb.RemoteSpecified,
        Guard.RemoteUnspecified => !tcb.RemoteSpecified,
        Guard.NothingQueued => tcb.SendQueue.Count == 0,
        Guard.SendsQueued => tcb.SendQueue.Count != 0,
        Guard.UnreadDataResets => p.ResetOnCloseWithUnreadData && tcb.ReceiveQueue.Count != 0,
        Guard.NormalClose => !(p.ResetOnCloseWithUnreadData && tcb.ReceiveQueue.Count != 0),
        Guard.CloseQueued => tcb.CloseAfterEstablished,
        Guard.NoCloseQueued => !tcb.CloseAfterEstablished,
        Guard.BsdTimeWait => p.TimeWaitAckRule == TimeWaitAckRule.Bsd,
        Guard.RfcTimeWait => p.TimeWaitAckRule != TimeWaitAckRule.Bsd,
        Guard.ResendSynAck => p.ResendSynAckOnRetransmittedSyn,
        Guard.AckRepeatedSyn => !p.ResendSynAckOnRetransmittedSyn,
        Guard.AckAheadAnswered => !p.AckAheadSilentDrop,
        Guard.AckAheadDropped => p.AckAheadSilentDrop,
        Guard.AckFinAfterFin => p.AcknowledgeFinAfterFin,
        Guard.IgnoreFinAfterFin => !p.AcknowledgeFinAfterFin,
        Guard.TimeWaitToRestore => tcb.ReopenedFromTimeWait && p.RestoreTimeWaitOnReset && tcb.SavedTimeWait is not null,
        Guard.NoTimeWaitToRestore => !(tcb.ReopenedFromTimeWait && p.RestoreTimeWaitOnReset && tcb.SavedTimeWait is not null),
        Guard.SynResetsToListen => p.SynInPassiveSynReceived != SynInPassiveSynReceivedRule.RfcListen,
        Guard.SynQuietlyToListen => p.SynInPassiveSynReceived == SynInPassiveSynReceivedRule.RfcListen,
        _ => false,
    };
}
