using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// Environment variables override local.settings.json, as under func. These tests change the process environment,
/// so they run alone.
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class SettingsPrecedenceTests : ApiHost
{
    private const string OverridingOrigin = "http://override.example";

    public override async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("Host__CORS", OverridingOrigin);
        Environment.SetEnvironmentVariable("Providers__Sandbox__Enabled", "false");
        try
        {
            await base.InitializeAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("Host__CORS", null);
            Environment.SetEnvironmentVariable("Providers__Sandbox__Enabled", null);
        }
    }

    [Fact]
    public async Task Environment_variables_override_the_settings_file()
    {
        Assert.Empty(await GetJsonAsync<string[]>("/auth/providers"));

        using var request = new HttpRequestMessage(HttpMethod.Options, "/stats");
        request.Headers.Add("Origin", OverridingOrigin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var response = await client.SendAsync(request);

        Assert.Equal(OverridingOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
