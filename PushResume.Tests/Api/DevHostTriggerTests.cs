using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>
/// The dev host as the README's run command starts it: timers fire on their NCRONTAB schedules and the queue
/// functions are fed from Azurite, with nobody calling them. The clock is simulated; the queue polling is real.
/// </summary>
public sealed class DevHostTriggerTests(DevHostTriggerTests.LiveTriggersHost api) : IClassFixture<DevHostTriggerTests.LiveTriggersHost>
{
    [Fact]
    public async Task An_enabled_sandbox_resume_is_raised_every_minute_with_no_one_calling_the_functions()
    {
        var token = await api.SignInAsync("minutely");
        var uniq = (await api.GetJsonAsync<JsonArray>("/resume", token))[0]!["uniq"]!.GetValue<string>();
        using var toggle = await api.SendAsync(HttpMethod.Post, "/resume", token, ApiHost.Json(new { uniq, enabled = true }));
        toggle.EnsureSuccessStatusCode();

        var now = api.Time.GetUtcNow();
        api.Time.Advance(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond) + TimeSpan.FromSeconds(1));
        var first = await WaitForPushesAsync(token, uniq, 1);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await WaitForPushesAsync(token, uniq, 2);

        Assert.Equal("published", first["last_result"]!["status"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromMinutes(1), second["last_push"]!.GetValue<DateTimeOffset>() - first["last_push"]!.GetValue<DateTimeOffset>());
        // The sandbox names its next allowed time in whole seconds, as job sites do.
        var wait = second["next_push"]!.GetValue<DateTimeOffset>() - second["last_push"]!.GetValue<DateTimeOffset>();
        Assert.InRange(wait, TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(1));
    }

    /// <summary>Polls in real time: the listener picks the message up within its polling interval.</summary>
    private async Task<JsonObject> WaitForPushesAsync(string token, string uniq, int pushes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var resume = (await api.GetJsonAsync<JsonArray>("/resume", token)).Single(r => r!["uniq"]!.GetValue<string>() == uniq)!.AsObject();
            if (resume["pushes"]!.GetValue<int>() >= pushes || DateTime.UtcNow > deadline)
            {
                Assert.Equal(pushes, resume["pushes"]!.GetValue<int>());
                return resume;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The sample settings' demo: triggers on, the sandbox allowing a raise a minute, no jitter.</summary>
    public sealed class LiveTriggersHost : ApiHost
    {
        public override Dictionary<string, string> Settings()
        {
            var settings = base.Settings();
            settings["DevHost__RunTriggers"] = "true";
            settings["Providers__Sandbox__MinimumInterval"] = "00:01:00";
            settings["Publishing__Jitter"] = "00:00:00";
            settings["Publishing__Lookahead"] = "00:01:00";
            return settings;
        }
    }
}
