using System.Text.Json.Serialization;
using PushResume.Storage;

namespace PushResume.Resumes;

/// <summary>
/// One item of <c>GET /resume</c>: the original API's fields, then what the engine did and will do.
/// </summary>
/// <param name="Pushes">Raises made by PushResume.</param>
public sealed record ResumeView(
    [property: JsonPropertyName("uniq")] string Uniq,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("published")] DateTimeOffset? Published,
    [property: JsonPropertyName("link")] string Link,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("last_push")] DateTimeOffset? LastPush,
    [property: JsonPropertyName("next_push")] DateTimeOffset? NextPush,
    [property: JsonPropertyName("last_result")] PushResultView? LastResult,
    [property: JsonPropertyName("pushes")] int Pushes)
{
    public static ResumeView From(ResumeEntity row) =>
        new(
            row.ResumeId,
            row.Name,
            row.Title,
            row.Published,
            row.Link,
            row.Enabled,
            row.LastPushAt,
            row.NextPushAt,
            row.LastResult is { } status ? new PushResultView(status, row.LastMessage) : null,
            row.Pushes);
}

/// <param name="Status">A <see cref="Publishing.PushStatus"/> name.</param>
/// <param name="Message">What the site said, or why the attempt failed.</param>
public sealed record PushResultView(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string? Message);

public sealed record ToggleView([property: JsonPropertyName("enabled")] bool Enabled);
