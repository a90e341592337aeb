using PushResume.DevHost;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>A missing or weak setting stops the app at start-up with a message naming the setting.</summary>
public sealed class StartupValidationTests
{
    public static TheoryData<string, string?, string> BadSettings => new()
    {
        { "Jwt__SigningKey", null, "Jwt__SigningKey is not set" },
        { "Jwt__SigningKey", Convert.ToBase64String(new byte[16]), "Jwt__SigningKey is 16 bytes; at least 32 random bytes are required" },
        { "Jwt__SigningKey", "not base64!", "Jwt__SigningKey is not valid base64" },
        { "Jwt__LifetimeMinutes", "0", "Jwt__LifetimeMinutes must be between 1 and 1440" },
        { "FrontendUrl", null, "FrontendUrl must be the absolute http(s) URL" },
        { "FrontendUrl", "javascript:alert(1)", "FrontendUrl must be the absolute http(s) URL" },
        { "WEBSITE_SITE_NAME", "pushresume-prod", "Providers__Sandbox__Enabled must not be true in an Azure deployment" },
        { "TokenEncryption__CurrentKeyId", null, "TokenEncryption__CurrentKeyId is not set" },
        { "TokenEncryption__Keys__k1", null, "TokenEncryption__Keys__k1 is not set" },
        { "TokenEncryption__Keys__k1", Convert.ToBase64String(new byte[16]), "TokenEncryption__Keys__k1 must be base64 of exactly 32 random bytes" },
        { "PurgeSpentSignInStatesSchedule", null, "The setting PurgeSpentSignInStatesSchedule used by a trigger is not set" },
        { "EnqueueDuePublishesSchedule", null, "The setting EnqueueDuePublishesSchedule used by a trigger is not set" },
        { "Publishing__MaxConcurrentCallsPerProvider", "0", "Publishing__MaxConcurrentCallsPerProvider must be at least 1" },
        { "Publishing__InFlightTimeout", "00:01:00", "Publishing__InFlightTimeout longer than it" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public Task The_app_refuses_to_start_and_names_the_setting(string setting, string? value, string message) =>
        AssertRefusedAsync(new() { [setting] = value }, message);

    public static TheoryData<string, string> BadProviderApps => new()
    {
        { "Providers__HeadHunter__ClientId=HHID", "Providers__HeadHunter__ClientId and Providers__HeadHunter__ClientSecret must be set together" },
        { "Providers__SuperJob__ClientSecret=v3.r.1.a.b", "Providers__SuperJob__ClientId and Providers__SuperJob__ClientSecret must be set together" },
        { "Providers__HeadHunter__ClientId=HHID;Providers__HeadHunter__ClientSecret=S", "Providers__HeadHunter__UserAgent must name the app, its version and a contact" },
        { "Providers__HeadHunter__ClientId=HHID;Providers__HeadHunter__ClientSecret=S;Providers__HeadHunter__UserAgent=A/1 (a@b.c);Providers__HeadHunter__TokenUrl=http://api.hh.ru/token", "Providers__HeadHunter__TokenUrl must be an absolute https:// URL" },
        { "Providers__SuperJob__ClientId=1;Providers__SuperJob__ClientSecret=S;Providers__SuperJob__MinimumInterval=00:00:00", "Providers__SuperJob__MinimumInterval must be positive" },
        { "Providers__Http__AttemptTimeout=00:01:00", "Providers__Http__AttemptTimeout must be positive and shorter than Providers__Http__TotalTimeout" },
    };

    [Theory]
    [MemberData(nameof(BadProviderApps))]
    public Task A_half_or_badly_configured_provider_app_stops_the_app(string settings, string message) =>
        AssertRefusedAsync(settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]), message);

    private static async Task AssertRefusedAsync(Dictionary<string, string?> changes, string message)
    {
        var values = ApiHost.RequiredSettings("UseDevelopmentStorage=true");
        foreach (var (setting, value) in changes)
        {
            values.Remove(setting);
            if (value is not null)
            {
                values[setting] = value;
            }
        }

        var file = Path.Combine(Path.GetTempPath(), $"pushresume-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, ApiHost.LocalSettingsJson(values));
        try
        {
            var failure = await Record.ExceptionAsync(async () =>
            {
                await using var app = DevHostApplication.Create(
                    ["--urls", "http://127.0.0.1:0", "--settings", file],
                    builder => builder.Logging.ClearProviders());
                await app.StartAsync();
            });

            Assert.NotNull(failure);
            Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
