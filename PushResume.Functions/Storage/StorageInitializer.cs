using Microsoft.Extensions.Hosting;
using PushResume.Publishing;

namespace PushResume.Storage;

/// <summary>Creates the tables and queues once when the app starts, so no request pays for it.</summary>
public sealed class StorageInitializer(PushResumeTables tables, PublishQueues queue) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        await queue.Requests.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queue.Poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
