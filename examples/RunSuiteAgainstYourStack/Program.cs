// Run the FreeBSD suite against your stack: implement ITcpStackUnderTest (socket calls in, segments out, on
// virtual time) and let the packetdrill runner drive it over a folder of scripts, one fresh stack per script.
// This file is docs/readme/oracle.md's example; a test builds and runs it against the packed TcpModel package.
using TcpModel.Conformance;
using TcpModel.Conformance.Packetdrill;
using TcpModel.Host;

var folder = args[0]; // e.g. ../shared/suites/freebsd-tcp-testsuite/state-event-engine/rcv-syn-listen
var options = new PacketdrillRunOptions { Profile = "freebsd" }; // the scripts' #ifdef FreeBSD branches
var verdicts = PacketdrillSuite.Run(folder, () => new MyStack(ModelStack.ForRun(options)), options);

foreach (var v in verdicts.Where(v => !v.Passed))
{
    var d = v.Divergence!;
    Console.WriteLine($"FAIL {Path.GetFileName(v.File)}:{d.Position.Line}: expected {d.Expected}; actual {d.Actual}");
}
Console.WriteLine($"{verdicts.Count(v => v.Passed)}/{verdicts.Count} scripts pass");
return verdicts.All(v => v.Passed) ? 0 : 1;

/// <summary>Your stack goes here. This stand-in passes every call to the model (DelegatingStack) but announces
/// its SYN,ACK window one octet short: the kind of bug the suite is there to find.</summary>
sealed class MyStack(ITcpStackUnderTest inner) : DelegatingStack(inner)
{
    public override bool TryTakeOutbound(out OutboundSegment segment)
    {
        if (!base.TryTakeOutbound(out segment)) return false;
        var s = segment.Segment;
        if (s.Syn && s.HasAck) segment = segment with { Segment = s.WithWindow((ushort)(s.Window - 1)) };
        return true;
    }
}
