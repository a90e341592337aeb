namespace PushResume.DevHost;

public static class RepositoryRoot
{
    /// <summary>The folder that holds PushResume.sln, found by walking up from the running binaries.</summary>
    public static string Find()
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
