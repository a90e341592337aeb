using System.Text.Json.Serialization;

namespace PushResume.Stats;

public sealed record StatsView(
    [property: JsonPropertyName("providers")] IReadOnlyList<ProviderStats> Providers,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated);

/// <param name="Resume">Resumes known for this provider; the singular name is the original API's.</param>
public sealed record ProviderStats(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("resume")] int Resume);
