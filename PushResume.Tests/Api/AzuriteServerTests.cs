using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using PushResume.DevHost;

namespace PushResume.Tests.Api;

/// <summary>
/// Every storage test stands on the private Azurite, so a port lost to another server must be told apart from
/// Azurite listening, and explained when it cannot be recovered.
/// </summary>
public sealed class AzuriteServerTests
{
    [Fact]
    public async Task A_start_on_a_port_another_server_holds_fails_with_azurites_reason()
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        await azurite.StopAsync();

        // A listener that accepts connections and never answers, as another test's server could.
        using var squatter = new TcpListener(IPAddress.Loopback, Port(azurite, "QueueEndpoint"));
        squatter.Start();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(azurite.StartAsync);
        Assert.Contains("EADDRINUSE", failure.Message, StringComparison.Ordinal);
    }

    private static int Port(AzuriteServer azurite, string endpoint) =>
        new Uri((string)new DbConnectionStringBuilder { ConnectionString = azurite.ConnectionString }[endpoint]).Port;
}
