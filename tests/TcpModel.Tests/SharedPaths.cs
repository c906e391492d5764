namespace TcpModel.Tests;

/// <summary>
/// Locates the shared data folder that sits next to the repository (<c>../shared</c> from the folder
/// holding <c>TcpModel.sln</c>), or the folder named by the <c>TCPMODEL_SHARED</c> environment variable.
/// Properties are null when the folder does not exist.
/// </summary>
internal static class SharedPaths
{
    public static string? SharedRoot { get; } = FindShared();

    /// <summary>The FreeBSD state-event suite, named explicitly (a new folder in the shared data never changes
    /// what the tests run): <c>suites/freebsd-tcp-testsuite/state-event-engine</c>, one folder per cell.</summary>
    public static string? FreeBsdStateEventSuite { get; } =
        Existing(SharedRoot is null ? null : Path.Combine(SharedRoot, "suites", "freebsd-tcp-testsuite", "state-event-engine"));

    private static string? FindShared()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TCPMODEL_SHARED");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Existing(Path.GetFullPath(fromEnvironment));

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TcpModel.sln")))
                return Existing(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared")));
        }
        return null;
    }

    private static string? Existing(string? path) => path is not null && Directory.Exists(path) ? path : null;
}
