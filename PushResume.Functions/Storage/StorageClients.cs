using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace PushResume.Storage;

/// <summary>
/// Builds the storage clients from the <c>AzureWebJobsStorage</c> setting, read the way the Functions host reads it:
/// a connection string locally (Azurite), or service URIs plus a managed identity in Azure, with no key anywhere.
/// </summary>
public static class StorageClients
{
    public const string Setting = "AzureWebJobsStorage";

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, TableClientOptions options)
    {
        var section = configuration.GetSection(Setting);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new TableServiceClient(section.Value, options);
        }

        var uri = section["tableServiceUri"];
        return string.IsNullOrWhiteSpace(uri)
            ? throw new InvalidOperationException(
                $"{Setting} is not set: give a connection string (UseDevelopmentStorage=true for Azurite) or {Setting}__tableServiceUri with a managed identity")
            : new TableServiceClient(new Uri(uri), Credential(section), options);
    }

    private static DefaultAzureCredential Credential(IConfigurationSection section) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] });
}
