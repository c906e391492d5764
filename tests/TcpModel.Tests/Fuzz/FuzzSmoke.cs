using TcpModel.Fuzz;

namespace TcpModel.Tests.Fuzz;

/// <summary>
/// The CI smoke run of the fuzz harnesses (fuzz/run.sh runs them under AFL++): every seed of each
/// corpus, then deterministic mutations of them (bit flips, byte insertions and deletions, splices,
/// from a fixed seed) go through the same target functions in-process, so the harnesses keep building
/// and a regression in what they check fails here. A few thousand executions in all, a few seconds.
/// </summary>
public sealed class FuzzSmoke
{
    private static IEnumerable<byte[]> Seeds(string target)
    {
        var dirs = new List<string> { Path.Combine(Spec.RepoPaths.Root, "fuzz", "corpus", target) };
        if (target == "packetdrill") dirs.Add(Path.Combine(Spec.RepoPaths.Root, "spec", "scenarios"));
        return dirs.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => target != "packetdrill" || f.EndsWith(".pkt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes);
    }

    private static readonly byte[] Tokens = "<>=,\"\\\n .:0123456789SFRPAU"u8.ToArray();

    private static IEnumerable<byte[]> Mutants(IReadOnlyList<byte[]> seeds, int count, int seed)
    {
        var rng = new Random(seed); // deterministic: the same inputs in every run
        for (int n = 0; n < count; n++)
        {
            var b = new List<byte>(seeds[rng.Next(seeds.Count)]);
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                int at = b.Count == 0 ? 0 : rng.Next(b.Count);
                switch (rng.Next(5))
                {
                    case 0 when b.Count > 0: b[at] ^= (byte)(1 << rng.Next(8)); break;
                    case 1: b.Insert(at, (byte)rng.Next(256)); break;
                    case 2 when b.Count > 0: b.RemoveAt(at); break;
                    case 3 when b.Count > 0: b[at] = Tokens[rng.Next(Tokens.Length)]; break;
                    default:
                        var other = seeds[rng.Next(seeds.Count)];
                        if (other.Length > 0) b.InsertRange(at, other.AsSpan(rng.Next(other.Length)).ToArray().Take(16));
                        break;
                }
            }
            yield return [.. b];
        }
    }

    [Theory]
    [InlineData("notation", 3000)]
    [InlineData("packetdrill", 250)]
    [InlineData("step", 1500)]
    [InlineData("pcap", 100)]
    public void TheSeedsAndTheirMutantsRaiseNoFinding(string target, int mutants)
    {
        var run = FuzzTargets.All[target];
        var seeds = Seeds(target).ToList();
        Assert.True(seeds.Count >= 5, $"fuzz/corpus/{target} has only {seeds.Count} seeds");
        int executions = 0;
        foreach (var input in seeds.Concat(Mutants(seeds, mutants, seed: target.Length)))
        {
            try { run(input); }
            catch (Exception e)
            {
                Assert.Fail($"{target} finding on input {Convert.ToHexString(input)}: {e.GetType().Name}: {e.Message}");
            }
            executions++;
        }
        Assert.Equal(seeds.Count + mutants, executions);
    }
}
