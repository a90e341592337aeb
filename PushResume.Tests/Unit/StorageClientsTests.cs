using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using PushResume.Storage;

namespace PushResume.Tests.Unit;

public sealed class StorageClientsTests
{
    [Fact]
    public void A_connection_string_is_used_as_it_is()
    {
        var client = Create(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        Assert.Equal("devstoreaccount1", client.AccountName);
    }

    [Fact]
    public void Service_uris_with_a_managed_identity_need_no_key()
    {
        var client = Create(new()
        {
            ["AzureWebJobsStorage:tableServiceUri"] = "https://pushresumedata.table.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal(new Uri("https://pushresumedata.table.core.windows.net"), client.Uri);
    }

    [Fact]
    public void Neither_is_a_start_up_failure_that_names_the_setting()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Create([]));

        Assert.StartsWith("AzureWebJobsStorage is not set", failure.Message, StringComparison.Ordinal);
    }

    private static TableServiceClient Create(Dictionary<string, string?> settings) =>
        StorageClients.CreateTableServiceClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new TableClientOptions());
}
