using Microsoft.Extensions.Hosting;

namespace PushResume.Storage;

/// <summary>Creates the tables and queues once when the app starts, so no request pays for it.</summary>
public sealed class StorageInitializer(PushResumeTables tables, WorkQueues queues) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }

        foreach (var queue in queues.All)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
