using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues;

namespace PushResume.Publishing;

/// <summary>
/// One raise to attempt: the resume row and the due time it was scheduled for. The due time makes the message
/// idempotent: once that raise has happened, the resume's next time differs and a repeat of the message does nothing.
/// </summary>
public sealed record PublishRequest(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("resumeKey")] string ResumeKey,
    [property: JsonPropertyName("dueAt")] DateTimeOffset DueAt);

/// <summary>The Storage queue that fans raises out to the publisher function, and its poison queue.</summary>
public sealed class PublishQueues(QueueServiceClient service)
{
    public const string Name = "publish-requests";

    /// <summary>Where the Functions host moves a message after host.json's <c>maxDequeueCount</c> failed tries.</summary>
    public const string PoisonName = Name + "-poison";

    public QueueClient Requests { get; } = service.GetQueueClient(Name);

    public QueueClient Poison { get; } = service.GetQueueClient(PoisonName);

    public async Task EnqueueAsync(PublishRequest request, CancellationToken cancellationToken) =>
        await Requests.SendMessageAsync(JsonSerializer.Serialize(request), cancellationToken);
}
