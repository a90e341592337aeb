using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PushResume.Storage;
using PushResume.Tests.Fakes;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// The dev host configured with hh.ru and SuperJob apps whose URLs point at fake sites on loopback, with short
/// HTTP time-outs and back-offs so fault tests run in seconds.
/// </summary>
public sealed class ProviderSitesHost : ApiHost
{
    public FakeHeadHunter HeadHunter { get; private set; } = null!;

    public FakeSuperJob SuperJob { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        HeadHunter = new FakeHeadHunter(Time);
        SuperJob = new FakeSuperJob(Time);
        await HeadHunter.StartAsync();
        await SuperJob.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await HeadHunter.DisposeAsync();
        await SuperJob.DisposeAsync();
    }

    public override Dictionary<string, string> Settings()
    {
        var settings = base.Settings();
        foreach (var (key, value) in ProviderSettings(HeadHunter, SuperJob))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The settings that point the app at the fake sites; the names are the documented ones.</summary>
    public static Dictionary<string, string> ProviderSettings(FakeHeadHunter headHunter, FakeSuperJob superJob) => new()
    {
        ["Providers__HeadHunter__ClientId"] = FakeHeadHunter.ClientId,
        ["Providers__HeadHunter__ClientSecret"] = FakeHeadHunter.ClientSecret,
        ["Providers__HeadHunter__UserAgent"] = FakeHeadHunter.UserAgent,
        ["Providers__HeadHunter__AuthorizeUrl"] = new Uri(headHunter.BaseAddress, "/oauth/authorize").ToString(),
        ["Providers__HeadHunter__TokenUrl"] = new Uri(headHunter.BaseAddress, "/token").ToString(),
        ["Providers__HeadHunter__ApiUrl"] = headHunter.BaseAddress.ToString(),
        ["Providers__SuperJob__ClientId"] = FakeSuperJob.ClientId,
        ["Providers__SuperJob__ClientSecret"] = FakeSuperJob.AppSecret,
        ["Providers__SuperJob__AuthorizeUrl"] = new Uri(superJob.BaseAddress, "/authorize/").ToString(),
        ["Providers__SuperJob__ApiUrl"] = new Uri(superJob.BaseAddress, "/2.0").ToString(),
        ["Providers__Http__AttemptTimeout"] = "00:00:02",
        ["Providers__Http__TotalTimeout"] = "00:00:08",
        ["Providers__Http__RetryDelay"] = "00:00:00.050",
    };

    /// <summary>Signs in through the fake hh.ru as a new applicant with one resume in each state the site has.</summary>
    public async Task<(FakeHeadHunter.Account Account, string Token)> SignInToHeadHunterAsync(string accountId)
    {
        var account = HeadHunter.AddApplicantWithEveryKindOfResume(accountId);
        HeadHunter.BrowserAccount = account.Id;
        return (account, await SignInThroughSiteAsync("headhunter"));
    }

    public async Task<string> UserIdAsync(string provider, string siteId) =>
        (await Table("Identities").GetEntityAsync<IdentityEntity>(IdentityEntity.KeyFor(provider, siteId), IdentityEntity.Row)).Value.UserId;

    /// <summary>
    /// The whole browser round trip: ask the API where to go, follow the site's authorize page back to the
    /// frontend's callback, and hand the code and state to the API, as the frontend does.
    /// </summary>
    public async Task<string> SignInThroughSiteAsync(string provider)
    {
        var redirect = (await GetJsonAsync<JsonObject>($"/auth/{provider}"))["redirect"]!.GetValue<string>();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var page = await browser.GetAsync(new Uri(redirect));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var callback = page.Headers.Location!;
        Assert.StartsWith($"{FrontendUrl}/auth/{provider}?", callback.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(callback.Query);
        using var response = await Client.PostAsync($"/auth/{provider}", Json(new { code = query["code"].ToString(), state = query["state"].ToString() }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }
}
