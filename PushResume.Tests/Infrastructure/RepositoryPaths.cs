namespace PushResume.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder that holds PushResume.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Debug or Release, whichever built these tests; the Functions output sits under the same name.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PushResume.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PushResume.sln not found above " + AppContext.BaseDirectory);
    }
}
