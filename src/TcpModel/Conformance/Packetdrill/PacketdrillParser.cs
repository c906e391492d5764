namespace TcpModel.Conformance.Packetdrill;

/// <summary>
/// Parses packetdrill scripts (the subset used by the FreeBSD TCP test suite) into a
/// <see cref="PacketdrillScript"/>. Malformed input throws <see cref="PacketdrillSyntaxException"/> only.
/// </summary>
public static class PacketdrillParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in positions and error messages.</summary>
    public static PacketdrillScript Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new ScriptParser(text, fileName).Parse();
    }

    /// <summary>Reads and parses the file at <paramref name="path"/> (the path is used as the file name).</summary>
    public static PacketdrillScript ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }
}
