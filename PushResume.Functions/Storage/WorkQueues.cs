using System.Text.Json;
using Azure.Storage.Queues;

namespace PushResume.Storage;

/// <summary>
/// The Storage queues that fan work out to queue functions: one raise per message on <see cref="PublishName"/>,
/// one user's cleanup per message on <see cref="CleanupName"/>.
/// </summary>
public sealed class WorkQueues(QueueServiceClient service)
{
    public const string PublishName = "publish-requests";

    /// <summary>Where the Functions host moves a message after host.json's <c>maxDequeueCount</c> failed tries.</summary>
    public const string PublishPoisonName = PublishName + "-poison";

    public const string CleanupName = "cleanup-requests";

    public QueueClient Publish { get; } = service.GetQueueClient(PublishName);

    public QueueClient PublishPoison { get; } = service.GetQueueClient(PublishPoisonName);

    public QueueClient Cleanup { get; } = service.GetQueueClient(CleanupName);

    public IEnumerable<QueueClient> All => [Publish, PublishPoison, Cleanup];

    /// <param name="hiddenFor">How long the message stays invisible, so it is handled no earlier than that.</param>
    public static async Task SendAsync<T>(QueueClient queue, T message, CancellationToken cancellationToken, TimeSpan? hiddenFor = null) =>
        await queue.SendMessageAsync(JsonSerializer.Serialize(message), visibilityTimeout: hiddenFor, cancellationToken: cancellationToken);
}
