namespace PushResume.Tests.Infrastructure;

public static class RepositoryPaths
{
    public static string Root { get; } = DevHost.RepositoryRoot.Find();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Debug or Release, whichever built these tests; the Functions output sits under the same name.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
}
