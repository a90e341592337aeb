using System.Text.Json.Serialization;

namespace PushResume.Publishing;

/// <summary>
/// One raise to attempt: the resume row and the due time it was scheduled for. The due time makes the message
/// idempotent: once that raise has happened, the resume's next time differs and a repeat of the message does nothing.
/// </summary>
public sealed record PublishRequest(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("resumeKey")] string ResumeKey,
    [property: JsonPropertyName("dueAt")] DateTimeOffset DueAt);
