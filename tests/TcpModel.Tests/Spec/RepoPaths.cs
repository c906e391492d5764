namespace TcpModel.Tests.Spec;

/// <summary>Locates files of the repository: the root is the folder holding <c>TcpModel.sln</c>,
/// found by walking up from the test assembly's folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Spec(string fileName) => Path.Combine(Root, "spec", fileName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TcpModel.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no TcpModel.sln above {AppContext.BaseDirectory}");
    }
}
