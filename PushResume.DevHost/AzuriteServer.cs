using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PushResume.DevHost;

/// <summary>
/// A private Azurite on free loopback ports with in-memory data, so each test fixture or benchmark run starts from
/// empty storage and may stop and restart it. The run and test commands install Azurite into tools/node_modules.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly int blobPort = FreePort();
    private readonly int queuePort = FreePort();
    private readonly int tablePort = FreePort();
    private Process? process;

    /// <summary>Where the data lives when it must survive a restart; null keeps it in memory.</summary>
    private string? dataFolder;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{Account};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{Account};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{Account};";

    /// <param name="keepDataAcrossRestarts">Store the data on disk, so that a test can stop and restart Azurite without losing it.</param>
    public static async Task<AzuriteServer> StartNewAsync(bool keepDataAcrossRestarts = false)
    {
        var server = new AzuriteServer
        {
            dataFolder = keepDataAcrossRestarts ? Directory.CreateTempSubdirectory("pushresume-azurite-").FullName : null,
        };
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var executable = Path.Combine(RepositoryRoot.Find(), "tools", "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run scripts/test.sh, which installs it");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            if (dataFolder is not null)
            {
                // SIGTERM lets Azurite write its data to disk before it exits; it saves only now and then while running.
                using var terminate = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await terminate.WaitForExitAsync();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(grace.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (dataFolder is not null)
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && process is { HasExited: false })
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
