using SharpFuzz;
using TcpModel.Fuzz;

// tcpmodel-fuzz TARGET                 run under afl-fuzz (SharpFuzz's fork server; input on stdin)
// tcpmodel-fuzz TARGET --replay PATH…  run every file under the paths in-process, report findings
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: TcpModel.Fuzz {string.Join("|", FuzzTargets.All.Keys)} [--replay PATH...]");
    return 2;
}
if (args.Length > 1 && args[1] == "--replay")
{
    int files = 0, findings = 0;
    foreach (var path in args.Skip(2))
    {
        var list = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : new[] { path }.AsEnumerable();
        foreach (var file in list)
        {
            files++;
            try { target(File.ReadAllBytes(file)); }
            catch (Exception e)
            {
                findings++;
                Console.WriteLine($"{file}: {e.GetType().Name}: {TcpModel.Wire.ErrorText.Clean(e.Message)}");
            }
        }
    }
    Console.WriteLine($"{args[0]}: {files} inputs, {findings} findings");
    return findings == 0 ? 0 : 1;
}
Fuzzer.Run(stream =>
{
    using var ms = new MemoryStream();
    stream.CopyTo(ms);
    target(ms.ToArray());
});
return 0;
