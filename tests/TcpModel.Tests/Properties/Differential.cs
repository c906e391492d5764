using TcpModel.Machine;
using TcpModel.Network;
using TcpModel.Reference;
using TcpModel.Wire;

namespace TcpModel.Tests.Properties;

/// <summary>
/// The comparison of one model step with the same input given to the reference
/// (<see cref="ReferenceTcp"/>): states, emitted segments and user notices. Differences that are
/// documented conventions, not disagreements about the RFC, are normalised here, each under a
/// named comment.
/// </summary>
internal static class Differential
{
    /// <summary>The reference model as the simulator's shadow: two <see cref="ReferenceTcp"/> endpoints fed
    /// the model's inputs, each step compared by <see cref="Compare"/>. With <paramref name="clock"/> the
    /// reference's clock follows the model's timer ticks (its own timers fire); without, only the TIME-WAIT
    /// expiry is given to it.</summary>
    public sealed class ReferenceShadow : IShadow
    {
        private readonly ReferenceTcp[] _ref = new ReferenceTcp[2];
        private readonly int[] _noticesSeen = new int[2];
        private readonly bool _clock;

        public ReferenceShadow(Scenario s, Profile profile, RefPath? path = null, bool clock = false)
        {
            _ref[0] = new ReferenceTcp(profile, new SeqNum(s.IssA), path) { WindowUpdateOnReceive = true };
            _ref[1] = new ReferenceTcp(profile, new SeqNum(s.IssB), path) { WindowUpdateOnReceive = true };
            _clock = clock;
        }

        public ReferenceShadow(Scenario s, RefConfig config)
        {
            _ref[0] = new ReferenceTcp(config, new SeqNum(s.IssA));
            _ref[1] = new ReferenceTcp(config, new SeqNum(s.IssB));
        }

        public ReferenceTcp this[Side side] => _ref[(int)side];

        public string? Skip(Side side, TcpState before, in Input input) => null; // no user call is skipped

        public string? Step(ShadowStep step)
        {
            int i = (int)step.Side;
            var r = _ref[i];
            byte[] refData = [];
            var input = step.Input;
            // the model fires its timers on a tick only (Endpoint.Step: a segment or a user call leaves a timer that
            // is already due for the next tick), so the reference's clock moves without firing anything but on ticks
            if (_clock && step.Call != ShadowCall.Clock) r.SetClock(step.Now);
            IReadOnlyList<Segment>? refOut = step.Call switch
            {
                ShadowCall.Clock => _clock ? r.AdvanceTo(step.Now) : null,
                ShadowCall.TimeWaitExpiry => _clock ? r.AdvanceTo(step.Now) : r.TimeWaitTimeout(),
                _ => input.Kind switch
                {
                    InputKind.Segment => r.SegmentArrives(input.Segment),
                    _ => input.Call switch
                    {
                        Trigger.OpenPassive => r.OpenPassive(),
                        Trigger.OpenActive => r.OpenActive(),
                        Trigger.Send => r.Send(input.Data.Span),
                        Trigger.Receive => r.Receive(input.Destination.Length, out refData),
                        Trigger.Close => r.Close(),
                        Trigger.Abort => r.Abort(),
                        _ => null,
                    },
                },
            };
            if (refOut is null) return null;
            var newNotes = r.Notifications.Skip(_noticesSeen[i]).ToList();
            _noticesSeen[i] = r.Notifications.Count;
            var why = Compare(step.Side, step.Label, step.Before, input, step.Endpoint, step.Emitted, step.Notices, r, refOut, newNotes);
            if (why is null && input.Kind == InputKind.User && input.Call == Trigger.Receive && !step.Received.AsSpan().SequenceEqual(refData))
                why = $"RECEIVE at {step.Side}: model returned \"{System.Text.Encoding.ASCII.GetString(step.Received)}\", reference \"{System.Text.Encoding.ASCII.GetString(refData)}\"";
            return why;
        }
    }

    /// <summary>The profile both sides of the comparison read (the reference endpoint is given this very
    /// object, <see cref="ShadowFor"/>): rfc9293 or rfc793 with TIME-WAIT reopening (MAY-2) and the RFC 5961 §5
    /// ACK-range check (MAY-12) and the challenge-ACK throttle (RFC 5961 §7, counted per second of the shared
    /// clock) as the profile has them — the reference honours all three.</summary>
    /// <remarks>POLICY syn-sent-queued-send-notice is compared as the profile has it: both answer each SEND queued
    /// when CLOSE or ABORT deletes a SYN-SENT TCB (RFC 9293 §3.10.4 "error: closing", §3.10.5 "connection reset").
    /// POLICY receiver-sws-every-ack is compared as the profile has it (on for rfc9293 and rfc793): in both, RCV.WND is
    /// the window the rule announced (the acceptability test uses it), it moves on RECEIVE once the reduction reaches
    /// min(RCV.BUFF/2, Eff.snd.MSS), and the RECEIVE that moves it sends the window update (the reference's
    /// WindowUpdateOnReceive is on, and the model's update on RECEIVE is compared like any other segment).
    /// POLICY syn-reset-form is compared as the profile has it (FromSegment for rfc793): the reference honours both
    /// forms.</remarks>
    public static Profile ProfileFor(bool rfc5961, int receiveBuffer = 65535) => (rfc5961 ? Profile.Rfc9293 : Profile.Rfc793) with
    {
        ReceiveBuffer = receiveBuffer,
        MssIPv4 = 1460,
    };

    public static RefConfig ConfigFor(bool rfc5961, int receiveBuffer = 65535) =>
        new(Rfc5961: rfc5961, Rfc1337: false, ReceiveBuffer: (uint)receiveBuffer, Mss: 1460);

    /// <summary>The reference endpoint honours the same profile object as the model.</summary>
    public static ReferenceShadow ShadowFor(Scenario s, bool rfc5961, int receiveBuffer = 65535) =>
        new(s, ProfileFor(rfc5961, receiveBuffer), ConfigFor(rfc5961, receiveBuffer).ToPath(), clock: true);

    public static string? Compare(Side side, string label, TcpState before, in Input input, Endpoint model, IReadOnlyList<Segment> modelOut,
        IReadOnlyList<Notice> modelNotices, ReferenceTcp reference, IReadOnlyList<Segment> refOut, IReadOnlyList<string> refNotices)
    {
        var problems = new List<string>();
        if (model.State.ToString() != reference.State.ToString())
            problems.Add($"state: model {model.State.RfcName()}, reference {RfcName(reference.State)}");

        // CONVENTION abort-rst-ack: ABORT sends RFC 9293 §3.10.5's <SEQ=SND.NXT><CTL=RST> in the
        // model; the reference adds <ACK=RCV.NXT> by its convention that every segment but an initial
        // SYN and <SEQ=SEG.ACK><CTL=RST> carries ACK. Only SEQ and RST are compared for ABORT.
        bool abort = input.Kind == InputKind.User && input.Call == Trigger.Abort;
        var m = Normalise(modelOut, abort);
        var r = Normalise(refOut, abort);
        if (!m.SequenceEqual(r))
            problems.Add("segments:\n        model     [" + string.Join(", ", m) + "]\n        reference [" + string.Join(", ", r) + "]");

        var mn = modelNotices.Select(NoticeWords).OfType<string>().ToList();
        if (!mn.SequenceEqual(refNotices))
            problems.Add($"notices: model [{string.Join(", ", mn)}], reference [{string.Join(", ", refNotices)}]");

        if (model.Tcb.ReceiveQueue.Count != reference.Received.Length && model.State != TcpState.Closed)
            problems.Add($"unread octets: model {model.Tcb.ReceiveQueue.Count}, reference {reference.Received.Length}");

        return problems.Count == 0 ? null
            : $"model and reference disagree at {side} on \"{label}\":\n      " + string.Join("\n      ", problems);
    }

    /// <summary>Segments in RFC notation after removing the differences of convention.</summary>
    public static List<string> Normalise(IReadOnlyList<Segment> segments, bool abort = false)
    {
        var list = new List<Segment>();
        for (int k = 0; k < segments.Count; k++)
        {
            var s = segments[k];
            // CONVENTION redundant-ack: the reference sends the ACK of a SYN,ACK and then queued data
            // as a separate segment (its SYN-SENT comment: "sent as a separate data segment after the
            // ACK"); the model piggybacks the data on the ACK. A bare ACK followed in the same step by
            // a segment acknowledging as much carries no information of its own: dropped on both sides.
            if (IsBareAck(s) && segments.Skip(k + 1).Any(later => later.HasAck && !later.Rst && later.Ack >= s.Ack))
                continue;
            // CONVENTION push: the model sets PSH on the last segment of a SEND (RFC 9293 §3.9.1.2,
            // MAY); the reference does not model PUSH. Stripped.
            var ctl = s.Control & ~Control.PSH;
            if (abort && s.Rst) ctl &= ~Control.ACK;
            // CONVENTION rst-window: RFC 9293 gives RSTs no window (§3.10.7.1 "<SEQ=SEG.ACK><CTL=RST>");
            // the model sends 0, the reference its RCV.WND. RST windows are not compared.
            ushort wnd = s.Rst ? (ushort)0 : s.Window;
            list.Add(new Segment(s.Seq, ctl.Has(Control.ACK) ? s.Ack : default, ctl, wnd, s.Payload, s.Options, s.Urgent));
        }
        return list.Select(s => s.ToString()).ToList();
    }

    private static bool IsBareAck(Segment s) => s.Control == Control.ACK && s.Payload.IsEmpty;

    /// <summary>The reference's words for a model notice; null for notices the reference does not give
    /// (it signals neither "established" nor the "ok" of an acknowledged CLOSE).</summary>
    private static string? NoticeWords(Notice n) => n switch
    {
        Notice.ConnectionClosing or Notice.ErrorConnectionClosing => "connection closing",
        Notice.ConnectionReset => "connection reset",
        Notice.ConnectionRefused => "connection refused",
        Notice.ConnectionDoesNotExist => "connection does not exist",
        Notice.ConnectionAlreadyExists => "connection already exists",
        Notice.Closing => "closing", // §3.10.4 "error: closing" (a queued SEND answered when CLOSE deletes a SYN-SENT TCB)
        // RFC 1122 §4.2.3.5 (R1, R2) and RFC 9293 §3.10.8 (user timeout), in each one's words
        Notice.ExcessiveRetransmissions => ReferenceTcp.R1Notice,
        Notice.RetransmissionTimeout => ReferenceTcp.RetransmitGiveUpNotice,
        Notice.UserTimeout => ReferenceTcp.UserTimeoutNotice,
        Notice.Established or Notice.CloseAcknowledged => null,
        _ => n.Text(),
    };

    private static string RfcName(RefState s) => Enum.Parse<TcpState>(s.ToString()).RfcName();
}
