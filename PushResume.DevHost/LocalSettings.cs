using System.Text.Json.Nodes;

namespace PushResume.DevHost;

/// <summary>
/// Reads <c>local.settings.json</c> as Core Tools does: its <c>Values</c> become app settings (with <c>__</c> as the
/// section separator, like environment variables) and its <c>Host</c> object configures the host (<c>Host:CORS</c>).
/// </summary>
public static class LocalSettings
{
    public const string FileName = "local.settings.json";

    /// <summary>The file named by <c>--settings</c>, else the one next to the Functions project, else none.</summary>
    public static string? Find(string? explicitPath, string contentRoot)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new FileNotFoundException($"--settings names {explicitPath}, which does not exist");
        }

        return new[] { Path.Combine(contentRoot, FileName), Path.Combine(contentRoot, "PushResume.Functions", FileName) }
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The timer schedules of <c>local.settings.sample.json</c> at the repository root, in configuration form
    /// (<c>EnqueueDuePublishesSchedule</c>): the defaults that tests and benchmarks run with.
    /// </summary>
    public static Dictionary<string, string?> SampleSchedules() =>
        Load(Path.Combine(RepositoryRoot.Find(), "local.settings.sample.json"))
            .Where(s => s.Key.EndsWith("Schedule", StringComparison.Ordinal))
            .ToDictionary(StringComparer.OrdinalIgnoreCase);

    public static Dictionary<string, string?> Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path} is not a JSON object");
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in root["Values"]?.AsObject() ?? [])
        {
            settings[key.Replace("__", ":", StringComparison.Ordinal)] = value?.ToString();
        }

        foreach (var (key, value) in root["Host"]?.AsObject() ?? [])
        {
            settings[$"Host:{key}"] = value?.ToString();
        }

        return settings;
    }
}
