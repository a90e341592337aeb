using System.Text.Json.Serialization;
using PushResume.Storage;

namespace PushResume.Resumes;

/// <summary>One item of <c>GET /resume</c>, with the field names the original API used.</summary>
public sealed record ResumeView(
    [property: JsonPropertyName("uniq")] string Uniq,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("published")] DateTimeOffset? Published,
    [property: JsonPropertyName("link")] string Link,
    [property: JsonPropertyName("enabled")] bool Enabled)
{
    public static ResumeView From(ResumeEntity row) =>
        new(row.ResumeId, row.Name, row.Title, row.Published, row.Link, row.Enabled);
}

public sealed record ToggleView([property: JsonPropertyName("enabled")] bool Enabled);
