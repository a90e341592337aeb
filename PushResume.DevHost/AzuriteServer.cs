using System.Collections.Concurrent;
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

    /// <summary>How often a first start is tried on fresh ports before giving up.</summary>
    private const int StartAttempts = 3;

    private static readonly int EphemeralStart = EphemeralRangeStart();

    private readonly int blobPort = FreePort();
    private readonly int queuePort = FreePort();
    private readonly int tablePort = FreePort();

    /// <summary>Azurite's last lines of output, for the error when it exits instead of listening.</summary>
    private readonly ConcurrentQueue<string> output = new();
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
        for (var attempt = 1; ; attempt++)
        {
            var server = new AzuriteServer
            {
                dataFolder = keepDataAcrossRestarts ? Directory.CreateTempSubdirectory("pushresume-azurite-").FullName : null,
            };

            // A free port is only free until someone binds it: another Azurite starting in parallel can pick
            // the same one, and the later one exits. Fresh ports make that race harmless.
            if (attempt == StartAttempts)
            {
                await server.StartAsync();
                return server;
            }

            if (await server.TryStartAsync())
            {
                return server;
            }

            await server.DisposeAsync();
        }
    }

    public async Task StartAsync()
    {
        if (!await TryStartAsync())
        {
            // Its last words arrive with the end of its output streams, which exiting does not wait for.
            await process!.WaitForExitAsync();
            throw new InvalidOperationException(
                $"Azurite exited instead of listening on ports {blobPort}, {queuePort} and {tablePort}:{Environment.NewLine}" +
                string.Join(Environment.NewLine, output));
        }
    }

    /// <returns>False when Azurite exited before it listened on all three ports.</returns>
    private async Task<bool> TryStartAsync()
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

        output.Clear();
        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start");
        process.OutputDataReceived += (_, line) => Remember(line.Data);
        process.ErrorDataReceived += (_, line) => Remember(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return await WaitUntilListeningAsync();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 40 && output.TryDequeue(out _))
        {
        }
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

    /// <summary>
    /// Waits until each port answers as Azurite: a port that merely accepts connections may belong to whoever
    /// took it first, while our Azurite has exited.
    /// </summary>
    /// <returns>False when Azurite exited before it listened on all three ports.</returns>
    private async Task<bool> WaitUntilListeningAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        foreach (var port in new[] { blobPort, queuePort, tablePort })
        {
            while (!await AnswersAsAzuriteAsync(http, port))
            {
                if (process is not { HasExited: false })
                {
                    return false;
                }

                if (waited.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within 30 seconds");
                }

                await Task.Delay(100);
            }
        }

        return process is { HasExited: false };
    }

    private static async Task<bool> AnswersAsAzuriteAsync(HttpClient http, int port)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{Account}"));
            return response.Headers.Server.Any(server => server.Product?.Name.StartsWith("Azurite", StringComparison.Ordinal) == true);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A port below the ephemeral range. The kernel hands out ephemeral ports to every outgoing connection and
    /// every listener on port 0, and the tests open thousands of both, so an ephemeral port that was free a moment
    /// ago is soon somebody's. A port below the range is taken only by someone who asks for it by number.
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(EphemeralStart / 2, EphemeralStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"No free port between {EphemeralStart / 2} and {EphemeralStart}");
    }

    /// <summary>Linux publishes its range; 49152 is where the IANA range, used by Windows and macOS, starts.</summary>
    private static int EphemeralRangeStart()
    {
        const string LinuxRange = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(LinuxRange)
            ? int.Parse(File.ReadAllText(LinuxRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture)
            : 49152;
    }
}
