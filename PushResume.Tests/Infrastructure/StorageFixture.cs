using Azure.Data.Tables;
using Azure.Storage.Queues;
using PushResume.DevHost;
using PushResume.Storage;

namespace PushResume.Tests.Infrastructure;

/// <summary>A private Azurite with the app's tables and queues, for tests of the services below the HTTP layer.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private AzuriteServer? azurite;

    public PushResumeTables Tables { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartNewAsync();
        Tables = new PushResumeTables(new TableServiceClient(azurite.ConnectionString));
        var queues = new WorkQueues(new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        await new StorageInitializer(Tables, queues).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
