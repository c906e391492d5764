using System.Text.Encodings.Web;
using System.Text.Json;

namespace TcpModel.Cli;

/// <summary>How tcpmodel writes JSON: UTF-8, RFC notation unescaped (<c>&lt;SEQ=…&gt;</c> stays readable).</summary>
internal static class JsonOutput
{
    /// <summary>One document, indented.</summary>
    public static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON Lines record: no line breaks.</summary>
    public static readonly JsonWriterOptions Line = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one object as one line (JSON Lines) and flushes, so a reader sees it at once.</summary>
    public static void WriteLine(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, Line))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        output.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()) + "\n");
        output.Flush();
    }
}
