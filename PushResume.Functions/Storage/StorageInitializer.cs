using Microsoft.Extensions.Hosting;

namespace PushResume.Storage;

/// <summary>Creates the tables once when the app starts, so no request pays for it.</summary>
public sealed class StorageInitializer(PushResumeTables tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
