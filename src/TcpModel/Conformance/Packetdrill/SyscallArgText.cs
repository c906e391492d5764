using System.Globalization;

namespace TcpModel.Conformance.Packetdrill;

/// <summary>System call arguments printed back as a script writes them (for messages that name an
/// unsupported call as written, not by the parser's type names).</summary>
public static class SyscallArgText
{
    /// <summary>The call as written: <c>name(arg, …)</c>.</summary>
    public static string Call(string name, IReadOnlyList<SyscallArg> arguments) =>
        $"{name}({string.Join(", ", arguments.Select(Format))})";

    /// <summary>One argument as written.</summary>
    public static string Format(SyscallArg arg) => arg switch
    {
        EllipsisArg => "...",
        IntegerArg n => n.Value.ToString(CultureInfo.InvariantCulture),
        SymbolArg s => s.Name,
        BitOrArg b => string.Join(" | ", b.Operands.Select(Format)),
        ListArg l => "[" + string.Join(", ", l.Items.Select(Format)) + "]",
        StructArg st => "{" + string.Join(", ", st.Fields.Select(f => f.Name + "=" + Format(f.Value))) + "}",
        StringArg str => "\"" + str.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        CallArg c => Call(c.Name, c.Arguments),
        _ => "?",
    };
}
