using TcpModel.Conformance.Pcap;
using TcpModel.Machine;

namespace TcpModel.Fuzz;

/// <summary>The pcap/pcapng reader and the trace checker: any bytes either fail to read with
/// <see cref="CaptureFormatException"/> (naming the file and a record), or are checked to a verdict for
/// every connection without throwing.</summary>
public static class PcapTarget
{
    public static void Run(byte[] data)
    {
        try
        {
            var records = CaptureReader.Read(data, "fuzz.pcap");
            // the checker's search is bounded per segment; keep a fuzz input to a few hundred records
            if (records.Count > 400) return;
            new TraceChecker(Profile.Rfc9293).Check(records, "fuzz.pcap");
        }
        catch (CaptureFormatException e)
        {
            // bad input is one line naming the file and the record (an unsupported link type is found
            // when the records are decoded, after reading)
            if (e.Message.Contains('\n', StringComparison.Ordinal)) throw new FuzzFinding("multi-line capture error");
            if (!e.Message.Contains("fuzz.pcap", StringComparison.Ordinal)) throw new FuzzFinding($"the error names no file: {e.Message}");
        }
    }
}
