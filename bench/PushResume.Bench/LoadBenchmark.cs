using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using PushResume.DevHost;
using PushResume.Storage;

namespace PushResume.Bench;

/// <summary>
/// Loopback load against the dev host over Azurite with the sandbox provider: requests per second, p50 and p99
/// latency and errors for GET /stats, GET /resume and POST /resume at 1, 16 and 64 concurrent clients, beside an
/// empty route on the same host (the floor: the same server, middleware and headers, and no app work).
/// </summary>
public static class LoadBenchmark
{
    private static readonly int[] Clients = [1, 16, 64];

    public static async Task<bool> RunAsync(TimeSpan perLevel)
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        var settingsFile = Path.Combine(Path.GetTempPath(), $"pushresume-load-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, SettingsJson(azurite.ConnectionString));
        await using var app = DevHostApplication.Create(
            ["--urls", "http://127.0.0.1:0", "--settings", settingsFile],
            builder => builder.Logging.ClearProviders());
        app.MapGet("/bench/empty", () => Results.Ok()).WithDisplayName("Benchmark floor");
        await app.StartAsync();
        var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseAddress };

        var token = await SignInAsync(http);
        var uniq = (await GetAsync(http, "/resume", token))[0]!["uniq"]!.GetValue<string>();
        await GetAsync(http, "/stats", null);

        var routes = new (string Name, Func<HttpRequestMessage> Request)[]
        {
            ("empty route (floor)", () => new HttpRequestMessage(HttpMethod.Get, "/bench/empty")),
            ("GET /stats", () => new HttpRequestMessage(HttpMethod.Get, "/stats")),
            ("GET /resume", () => Authorized(new HttpRequestMessage(HttpMethod.Get, "/resume"), token)),
            ("POST /resume", () => Authorized(new HttpRequestMessage(HttpMethod.Post, "/resume") { Content = new StringContent(JsonSerializer.Serialize(new { uniq, enabled = true }), Encoding.UTF8, "application/json") }, token)),
        };

        Console.WriteLine($"Loopback load, {perLevel.TotalSeconds:0} s per route and level, dev host + Azurite (in memory) + sandbox, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"route",-22}{"clients",8}{"req/s",10}{"p50 ms",9}{"p99 ms",9}{"errors",8}{"of floor",10}");
        var floor = new Dictionary<int, double>();
        var statsShare = new List<double>();
        var errors = 0;
        foreach (var (name, request) in routes)
        {
            foreach (var clients in Clients)
            {
                var result = await MeasureAsync(http, request, clients, perLevel);
                errors += result.Errors;
                if (name.StartsWith("empty", StringComparison.Ordinal))
                {
                    floor[clients] = result.PerSecond;
                }

                var share = result.PerSecond / floor[clients];
                if (name == "GET /stats")
                {
                    statsShare.Add(share);
                }

                Console.WriteLine($"{name,-22}{clients,8}{result.PerSecond,10:N0}{result.P50,9:N2}{result.P99,9:N2}{result.Errors,8}{share,10:P0}");
            }
        }

        var met = errors == 0 && statsShare.All(s => s >= 0.8);
        Console.WriteLine(met
            ? "Targets met: GET /stats at 80% or more of the floor at every level, and no errors."
            : "Targets MISSED: GET /stats under 80% of the floor, or errors (see above).");
        File.Delete(settingsFile);
        return met;
    }

    private static async Task<Measurement> MeasureAsync(HttpClient http, Func<HttpRequestMessage> request, int clients, TimeSpan duration)
    {
        // A short warm-up at the same level, so connection set-up is not measured.
        await RunClientsAsync(http, request, clients, TimeSpan.FromMilliseconds(300), []);
        var latencies = new List<double>();
        var stopwatch = Stopwatch.StartNew();
        var errors = await RunClientsAsync(http, request, clients, duration, latencies);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        latencies.Sort();
        return new Measurement(latencies.Count / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), errors);
    }

    private static async Task<int> RunClientsAsync(HttpClient http, Func<HttpRequestMessage> request, int clients, TimeSpan duration, List<double> latencies)
    {
        var errors = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request();
                using var response = await http.SendAsync(message);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return errors;
    }

    private static double Percentile(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile * sorted.Count) - 1)];

    private static HttpRequestMessage Authorized(HttpRequestMessage message, string token)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("JWT", token);
        return message;
    }

    private static async Task<string> SignInAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/auth/sandbox", new StringContent("""{"code":"load"}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]!.GetValue<string>();
    }

    private static async Task<JsonArray> GetAsync(HttpClient http, string path, string? token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            Authorized(message, token);
        }

        using var response = await http.SendAsync(message);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body as JsonArray ?? [];
    }

    private static string SettingsJson(string storage)
    {
        var values = new JsonObject
        {
            [StorageClients.Setting] = storage,
            ["Jwt__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Jwt__LifetimeMinutes"] = "60",
            ["FrontendUrl"] = "http://127.0.0.1:4280",
            ["TokenEncryption__CurrentKeyId"] = "k1",
            ["TokenEncryption__Keys__k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Providers__Sandbox__Enabled"] = "true",
            ["DevHost__RunTriggers"] = "false",
        };
        foreach (var (name, schedule) in LocalSettings.SampleSchedules())
        {
            values[name.Replace(":", "__", StringComparison.Ordinal)] = schedule;
        }

        return new JsonObject { ["IsEncrypted"] = false, ["Values"] = values }.ToJsonString();
    }

    private sealed record Measurement(double PerSecond, double P50, double P99, int Errors);
}
