using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace PushResume.Storage;

/// <summary>
/// Builds the storage clients from the <c>AzureWebJobsStorage</c> setting, read the way the Functions host reads it:
/// a connection string locally (Azurite), or service URIs plus a managed identity in Azure, with no key anywhere.
/// </summary>
public static class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, TableClientOptions options) =>
        Create(
            configuration,
            "tableServiceUri",
            connectionString => new TableServiceClient(connectionString, options),
            (uri, credential) => new TableServiceClient(uri, credential, options));

    /// <summary>
    /// Messages are base64-encoded because the queue trigger decodes base64 by default; a plain message would
    /// fail to decode and go straight to the poison queue.
    /// </summary>
    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, QueueClientOptions options)
    {
        options.MessageEncoding = QueueMessageEncoding.Base64;
        return Create(
            configuration,
            "queueServiceUri",
            connectionString => new QueueServiceClient(connectionString, options),
            (uri, credential) => new QueueServiceClient(uri, credential, options));
    }

    private static TClient Create<TClient>(
        IConfiguration configuration,
        string uriSetting,
        Func<string, TClient> fromConnectionString,
        Func<Uri, TokenCredential, TClient> fromIdentity)
    {
        var section = configuration.GetSection(Setting);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return fromConnectionString(section.Value);
        }

        var uri = section[uriSetting];
        return string.IsNullOrWhiteSpace(uri)
            ? throw new InvalidOperationException(
                $"{Setting} is not set: give a connection string (UseDevelopmentStorage=true for Azurite) or {Setting}__{uriSetting} with a managed identity")
            : fromIdentity(new Uri(uri), Credential(section));
    }

    private static DefaultAzureCredential Credential(IConfigurationSection section) =>
        new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
}
