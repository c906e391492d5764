using TcpModel.Wire;

namespace TcpModel.Machine;

/// <summary>What kind of input a step processes.</summary>
public enum InputKind : byte
{
    /// <summary>SEGMENT ARRIVES.</summary>
    Segment,
    /// <summary>A user call (OPEN, SEND, RECEIVE, CLOSE, ABORT, STATUS).</summary>
    User,
    /// <summary>Time passed: fire every timer whose deadline is at or before <c>now</c>.</summary>
    Tick,
}

/// <summary>One input to <see cref="Endpoint.Step"/> (RFC 9293 §3.10: user calls, arriving segments, timeouts).</summary>
public readonly struct Input
{
    private Input(InputKind kind, Trigger call, in Segment seg, ReadOnlyMemory<byte> data, Memory<byte> dest, bool remote)
    {
        Kind = kind;
        Call = call;
        Segment = seg;
        Data = data;
        Destination = dest;
        RemoteSpecified = remote;
    }

    /// <summary>The kind of input.</summary>
    public InputKind Kind { get; }
    /// <summary>For user calls, the call (a user-call <see cref="Trigger"/>).</summary>
    public Trigger Call { get; }
    /// <summary>For segments, the segment.</summary>
    public Segment Segment { get; }
    /// <summary>For SEND, the data.</summary>
    public ReadOnlyMemory<byte> Data { get; }
    /// <summary>For RECEIVE, where the data goes.</summary>
    public Memory<byte> Destination { get; }
    /// <summary>For a passive OPEN, whether the remote socket is specified.</summary>
    public bool RemoteSpecified { get; }

    /// <summary>SEGMENT ARRIVES.</summary>
    public static Input Arrive(in Segment seg) => new(InputKind.Segment, default, seg, default, default, false);
    /// <summary>Fire due timers.</summary>
    public static Input Tick => new(InputKind.Tick, default, default, default, default, false);
    /// <summary>Passive OPEN.</summary>
    public static Input OpenPassive(bool remoteSpecified = false) => new(InputKind.User, Trigger.OpenPassive, default, default, default, remoteSpecified);
    /// <summary>Active OPEN.</summary>
    public static Input OpenActive => new(InputKind.User, Trigger.OpenActive, default, default, default, true);
    /// <summary>SEND.</summary>
    public static Input Send(ReadOnlyMemory<byte> data) => new(InputKind.User, Trigger.Send, default, data, default, false);
    /// <summary>RECEIVE into a buffer.</summary>
    public static Input Receive(Memory<byte> destination) => new(InputKind.User, Trigger.Receive, default, default, destination, false);
    /// <summary>CLOSE.</summary>
    public static Input Close => new(InputKind.User, Trigger.Close, default, default, default, false);
    /// <summary>ABORT.</summary>
    public static Input Abort => new(InputKind.User, Trigger.Abort, default, default, default, false);
    /// <summary>STATUS.</summary>
    public static Input Status => new(InputKind.User, Trigger.Status, default, default, default, false);
}
