using System.Text.Json.Serialization;

namespace PushResume.Stats;

public sealed record StatsView(
    [property: JsonPropertyName("providers")] IReadOnlyList<ProviderStats> Providers,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("updated")] DateTimeOffset Updated);

/// <param name="Resume">Resumes known for this provider; the singular name is the original API's.</param>
/// <param name="Enabled">Resumes switched on for raising.</param>
/// <param name="Pushes">Raise attempts in the last 24 hours, to the five minutes.</param>
public sealed record ProviderStats(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("users")] int Users,
    [property: JsonPropertyName("resume")] int Resume,
    [property: JsonPropertyName("enabled")] int Enabled,
    [property: JsonPropertyName("pushes")] PushCounts Pushes);

/// <param name="Failed">Raises that ended without one: every try failed, or the site refused the resume or the grant.</param>
public sealed record PushCounts(
    [property: JsonPropertyName("ok")] int Ok,
    [property: JsonPropertyName("too_early")] int TooEarly,
    [property: JsonPropertyName("failed")] int Failed)
{
    public static readonly PushCounts None = new(0, 0, 0);

    public static PushCounts operator +(PushCounts a, PushCounts b) => new(a.Ok + b.Ok, a.TooEarly + b.TooEarly, a.Failed + b.Failed);

    public static PushCounts Of(string outcome, int count) => outcome switch
    {
        Publishing.PushStatus.Published => new(count, 0, 0),
        Publishing.PushStatus.TooEarly => new(0, count, 0),
        _ => new(0, 0, count),
    };
}
