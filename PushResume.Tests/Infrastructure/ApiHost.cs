using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;
using PushResume.DevHost;
using PushResume.Security;
using PushResume.Storage;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// The app as a client meets it: the dev host on a loopback port, over a private Azurite, with a fake clock. Every
/// response passes the OpenAPI check on its way to the test.
/// </summary>
public class ApiHost : IAsyncLifetime
{
    public const string FrontendUrl = "http://127.0.0.1:4280";

    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static readonly string TokenKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The protector the hosts use, for tests that work below the HTTP layer.</summary>
    public static TokenProtector TokenProtector { get; } = new(Microsoft.Extensions.Options.Options.Create(
        new TokenEncryptionOptions { CurrentKeyId = "k1", Keys = { ["k1"] = TokenKey } }));

    private WebApplication? app;
    private AzuriteServer? azurite;
    private string? settingsFile;

    public AzuriteServer Azurite => azurite ?? throw new InvalidOperationException("Azurite has not started");

    /// <summary>True for tests that stop and restart Azurite and need the data to survive it.</summary>
    protected virtual bool KeepStorageAcrossRestarts => false;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    public PushResumeTables Tables => Services.GetRequiredService<PushResumeTables>();

    public virtual async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartNewAsync(KeepStorageAcrossRestarts);
        settingsFile = Path.Combine(Path.GetTempPath(), $"pushresume-{Guid.NewGuid():N}.local.settings.json");
        await File.WriteAllTextAsync(settingsFile, LocalSettingsJson(Settings()));
        app = DevHostApplication.Create(
            ["--urls", "http://127.0.0.1:0", "--settings", settingsFile],
            builder =>
            {
                // PUSHRESUME_TEST_LOGS=1 keeps the app's console log, to read when a test fails.
                if (Environment.GetEnvironmentVariable("PUSHRESUME_TEST_LOGS") is null)
                {
                    builder.Logging.ClearProviders();
                }
                builder.Services.AddSingleton<TimeProvider>(Time);
            });
        await app.StartAsync();
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new HttpClient(new ContractCheckingHandler(OpenApiContract.Instance)) { BaseAddress = BaseAddress };
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }

        if (settingsFile is not null)
        {
            File.Delete(settingsFile);
        }
    }

    /// <summary>The Values of the local.settings.json the dev host is started with.</summary>
    public virtual Dictionary<string, string> Settings()
    {
        var settings = RequiredSettings(Azurite.ConnectionString);
        // Tests run the timers and queues themselves, step by step with the fake clock, and a failed message
        // comes back at once rather than after host.json's 30 seconds. Raises are enqueued only once due: the
        // queue service hides a message enqueued ahead on its own clock, which the fake clock cannot move.
        settings["DevHost__RunTriggers"] = "false";
        settings["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00";
        settings["Publishing__Lookahead"] = "00:00:00";
        return settings;
    }

    /// <summary>Every setting the app needs to start, with the sandbox on and the sample's timer schedules.</summary>
    public static Dictionary<string, string> RequiredSettings(string storage)
    {
        var settings = new Dictionary<string, string>
        {
            [StorageClients.Setting] = storage,
            ["Jwt__SigningKey"] = Convert.ToBase64String(SigningKey),
            ["FrontendUrl"] = FrontendUrl,
            ["TokenEncryption__CurrentKeyId"] = "k1",
            ["TokenEncryption__Keys__k1"] = TokenKey,
            ["Providers__Sandbox__Enabled"] = "true",
        };
        foreach (var (name, schedule) in LocalSettings.SampleSchedules())
        {
            settings[name] = schedule!;
        }

        return settings;
    }

    /// <summary>Runs a timer function once, as the Functions host's admin API does.</summary>
    public Task RunTimerAsync(string function) =>
        Services.GetRequiredService<TriggerRunners>().RunTimerNowAsync(function, CancellationToken.None);

    /// <summary>One minute of the engine: the scheduler's tick, then every queue message it caused, to the last.</summary>
    public async Task TickAsync()
    {
        await RunTimerAsync("EnqueueDuePublishes");
        await Services.GetRequiredService<TriggerRunners>().DrainQueuesAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock on a minute at a time, ticking the engine after each minute.</summary>
    public async Task RunEngineForAsync(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMinutes(1))
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await TickAsync();
        }
    }

    public static string LocalSettingsJson(Dictionary<string, string> values) =>
        new JsonObject
        {
            ["IsEncrypted"] = false,
            ["Values"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
            ["Host"] = new JsonObject { ["CORS"] = values.GetValueOrDefault("FrontendUrl", FrontendUrl) },
        }.ToJsonString();

    /// <summary>Signs in to the sandbox as <paramref name="login"/> through the public flow and returns the JWT.</summary>
    public async Task<string> SignInAsync(string login = "demo")
    {
        var redirect = await GetJsonAsync<JsonObject>("/auth/sandbox");
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(redirect["redirect"]!.GetValue<string>()).Query)["state"].ToString();
        using var response = await Client.PostAsync("/auth/sandbox", Json(new { code = login, state }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>Posts a toggle (<c>{"uniq", "enabled"}</c>, or only <c>uniq</c> to flip) and returns the state the API answers.</summary>
    public async Task<bool> ToggleAsync(string token, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, "/resume", token, Json(body));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["enabled"]!.GetValue<bool>();
    }

    /// <summary>Switches a resume on or off and checks the API agrees.</summary>
    public async Task SetEnabledAsync(string token, string uniq, bool enabled) =>
        Assert.Equal(enabled, await ToggleAsync(token, new { uniq, enabled }));

    public async Task<T> GetJsonAsync<T>(string path, string? token = null)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", token);
        }

        return Client.SendAsync(request);
    }

    public static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public TableClient Table(string name) => Services.GetRequiredService<TableServiceClient>().GetTableClient(name);

    /// <summary>A resume row as stored, by its user id and the site's resume id.</summary>
    public async Task<ResumeEntity> ResumeRowAsync(string userId, string resumeId) =>
        (await Table("Resumes").GetEntityAsync<ResumeEntity>(userId, TableKey.Escape(resumeId))).Value;
}
