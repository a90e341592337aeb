using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PushResume.Stats;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>The whole product through the public API, as the frontend drives it, against the sandbox provider.</summary>
public sealed class SandboxFlowTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Providers_lists_the_enabled_sandbox()
    {
        var providers = await api.GetJsonAsync<string[]>("/auth/providers");

        Assert.Equal(["sandbox"], providers);
    }

    [Fact]
    public async Task Authorization_url_leads_back_to_the_frontend_callback_with_code_and_state()
    {
        var body = await api.GetJsonAsync<JsonObject>("/auth/sandbox");

        var redirect = new Uri(body["redirect"]!.GetValue<string>());
        Assert.Equal($"{ApiHost.FrontendUrl}/auth/sandbox", redirect.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(redirect.Query);
        Assert.Equal("demo", query["code"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
    }

    [Fact]
    public async Task Full_flow_signs_in_lists_toggles_sets_refreshes_and_counts()
    {
        var token = await api.SignInAsync("flow-user");

        var resumes = await api.GetJsonAsync<JsonArray>("/resume", token);
        Assert.Equal(3, resumes.Count);
        var first = resumes[0]!;
        var uniq = first["uniq"]!.GetValue<string>();
        Assert.False(first["enabled"]!.GetValue<bool>());
        Assert.Equal("Senior .NET Developer", first["title"]!.GetValue<string>());
        Assert.StartsWith("https://", first["link"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(first["published"]!.GetValue<string>(), out _));

        Assert.True(await api.ToggleAsync(token, new { uniq }));
        Assert.False(await api.ToggleAsync(token, new { uniq }));
        Assert.True(await api.ToggleAsync(token, new { uniq, enabled = true }));
        Assert.True(await api.ToggleAsync(token, new { uniq, enabled = true }));

        var listedAgain = await api.GetJsonAsync<JsonArray>("/resume", token);
        Assert.True(listedAgain.Single(r => r!["uniq"]!.GetValue<string>() == uniq)!["enabled"]!.GetValue<bool>());
        Assert.Equal(1, listedAgain.Count(r => r!["enabled"]!.GetValue<bool>()));

        var refreshed = (await api.GetJsonAsync<JsonObject>("/auth/refresh", token))["token"]!.GetValue<string>();
        Assert.NotEqual(token, refreshed);
        Assert.Equal(3, (await api.GetJsonAsync<JsonArray>("/resume", refreshed)).Count);

        await api.RunTimerAsync("RefreshStats");
        api.Time.Advance(StatsCacheExpiry);
        var stats = await api.GetJsonAsync<JsonObject>("/stats");
        var sandbox = stats["providers"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "sandbox")!;
        Assert.True(sandbox["users"]!.GetValue<int>() >= 1);
        Assert.True(sandbox["resume"]!.GetValue<int>() >= 3);
        Assert.True(sandbox["enabled"]!.GetValue<int>() >= 1);
        Assert.False(string.IsNullOrEmpty(stats["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Signing_in_again_finds_the_same_user_and_keeps_the_toggles()
    {
        var token = await api.SignInAsync("returning-user");
        var uniq = (await api.GetJsonAsync<JsonArray>("/resume", token))[1]!["uniq"]!.GetValue<string>();
        Assert.True(await api.ToggleAsync(token, new { uniq, enabled = true }));

        var again = await api.SignInAsync("returning-user");

        var resumes = await api.GetJsonAsync<JsonArray>("/resume", again);
        Assert.True(resumes.Single(r => r!["uniq"]!.GetValue<string>() == uniq)!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Sign_in_without_state_is_accepted_as_the_original_api_documented()
    {
        using var response = await api.Client.PostAsync("/auth/sandbox", ApiHost.Json(new { code = "stateless" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Stats_come_from_the_entity_the_five_minute_timer_writes()
    {
        await api.RunTimerAsync("RefreshStats");
        api.Time.Advance(StatsCacheExpiry);
        var before = await api.GetJsonAsync<JsonObject>("/stats");
        await api.SignInAsync($"stats-{Guid.NewGuid():N}");

        api.Time.Advance(StatsCacheExpiry);
        var beforeTheTimer = await api.GetJsonAsync<JsonObject>("/stats");
        await api.RunTimerAsync("RefreshStats");
        var cached = await api.GetJsonAsync<JsonObject>("/stats");
        api.Time.Advance(StatsCacheExpiry);
        var recomputed = await api.GetJsonAsync<JsonObject>("/stats");

        Assert.Equal(before["updated"]!.GetValue<string>(), beforeTheTimer["updated"]!.GetValue<string>());
        Assert.Equal(Users(before), Users(beforeTheTimer));
        Assert.Equal(Users(before), Users(cached));
        Assert.Equal(Users(before) + 1, Users(recomputed));
        Assert.True(DateTimeOffset.Parse(recomputed["updated"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(before["updated"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Past the in-memory stats cache, but well inside a token's lifetime only when tokens are made after it.</summary>
    private static readonly TimeSpan StatsCacheExpiry = StatsService.CacheFor + TimeSpan.FromSeconds(1);

    private static int Users(JsonObject stats) =>
        stats["providers"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "sandbox")!["users"]!.GetValue<int>();

}
