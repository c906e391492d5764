namespace TcpModel.Machine;

/// <summary>The closed set of connection timers (RFC 9293 §3.8, §3.10.8; RFC 6298; RFC 1122 §4.2.3).</summary>
public enum TimerKind : byte
{
    /// <summary>Retransmission (RFC 6298 §5).</summary>
    Retransmit,
    /// <summary>Zero-window probe (§3.8.6.1).</summary>
    Persist,
    /// <summary>Delayed ACK (RFC 1122 §4.2.3.2).</summary>
    DelayedAck,
    /// <summary>Keep-alive (§3.8.4).</summary>
    KeepAlive,
    /// <summary>User timeout (§3.10.8).</summary>
    User,
    /// <summary>2×MSL TIME-WAIT (§3.10.8).</summary>
    TimeWait,
}

/// <summary>Deadlines of the timers, in virtual microseconds; <see cref="Off"/> when not armed.</summary>
public struct TimerSet
{
    /// <summary>The value of a timer that is not armed.</summary>
    public const long Off = long.MaxValue;

    private long _retransmit, _persist, _delayedAck, _keepAlive, _user, _timeWait;

    /// <summary>All timers off.</summary>
    public static TimerSet None => new() { _retransmit = Off, _persist = Off, _delayedAck = Off, _keepAlive = Off, _user = Off, _timeWait = Off };

    /// <summary>The deadline of a timer.</summary>
    public readonly long Get(TimerKind k) => k switch
    {
        TimerKind.Retransmit => _retransmit,
        TimerKind.Persist => _persist,
        TimerKind.DelayedAck => _delayedAck,
        TimerKind.KeepAlive => _keepAlive,
        TimerKind.User => _user,
        _ => _timeWait,
    };

    /// <summary>Arms (or with <see cref="Off"/>, stops) a timer.</summary>
    public void Set(TimerKind k, long deadline)
    {
        switch (k)
        {
            case TimerKind.Retransmit: _retransmit = deadline; break;
            case TimerKind.Persist: _persist = deadline; break;
            case TimerKind.DelayedAck: _delayedAck = deadline; break;
            case TimerKind.KeepAlive: _keepAlive = deadline; break;
            case TimerKind.User: _user = deadline; break;
            default: _timeWait = deadline; break;
        }
    }

    /// <summary>The earliest armed deadline, or <see cref="Off"/>.</summary>
    public readonly long Earliest =>
        Math.Min(Math.Min(Math.Min(_retransmit, _persist), Math.Min(_delayedAck, _keepAlive)), Math.Min(_user, _timeWait));
}
