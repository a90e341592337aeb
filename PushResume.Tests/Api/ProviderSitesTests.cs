using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.WebUtilities;
using PushResume.Providers.HeadHunter;
using PushResume.Storage;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>Sign-in, listing, token upkeep and account deletion against fake hh.ru and SuperJob, through the dev host.</summary>
public sealed class ProviderSitesTests(ProviderSitesHost api) : IClassFixture<ProviderSitesHost>
{
    [Fact]
    public async Task Both_configured_sites_are_offered()
    {
        var providers = await api.GetJsonAsync<string[]>("/auth/providers");

        Assert.Contains("headhunter", providers);
        Assert.Contains("superjob", providers);
    }

    [Fact]
    public async Task The_hh_authorize_url_carries_the_app_the_state_and_the_frontend_callback()
    {
        var redirect = new Uri((await api.GetJsonAsync<JsonObject>("/auth/headhunter"))["redirect"]!.GetValue<string>());
        var query = QueryHelpers.ParseQuery(redirect.Query);

        Assert.Equal("/oauth/authorize", redirect.AbsolutePath);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(FakeHeadHunter.ClientId, query["client_id"]);
        Assert.Equal($"{ApiHost.FrontendUrl}/auth/headhunter", query["redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
    }

    [Fact]
    public async Task Signing_in_with_hh_lists_every_resume_with_its_site_link_and_raise_time()
    {
        var account = api.HeadHunter.AddApplicantWithEveryKindOfResume("hhflow");
        api.HeadHunter.BrowserAccount = account.Id;

        var token = await api.SignInThroughSiteAsync("headhunter");
        var resumes = await api.GetJsonAsync<JsonArray>("/resume", token);

        Assert.Equal(account.Resumes.Select(r => r.Id), resumes.Select(r => r!["uniq"]!.GetValue<string>()));
        var first = resumes[0]!;
        Assert.Equal($"https://hh.ru/resume/{account.Resumes[0].Id}", first["link"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(account.Resumes[0].UpdatedAt!.Value.ToUnixTimeSeconds()), first["published"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Ivan Petrov-hhflow", first["name"]!.GetValue<string>());
        Assert.All(resumes, r => Assert.False(r!["enabled"]!.GetValue<bool>()));
        Assert.All(
            api.HeadHunter.Requests.Where(r => r.Path != "/oauth/authorize"),
            r => Assert.Equal(FakeHeadHunter.UserAgent, r.Headers.GetValueOrDefault("HH-User-Agent")));
    }

    [Fact]
    public async Task The_hh_next_publish_time_and_readiness_are_kept_for_the_publishing_engine()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("hhkept");
        await api.GetJsonAsync<JsonArray>("/resume", token);

        var userId = await api.UserIdAsync("headhunter", account.Id);
        var rows = api.Table("Resumes").Query<ResumeEntity>(r => r.PartitionKey == userId).ToDictionary(r => r.ResumeId);

        var ready = rows[account.Resumes[0].Id];
        Assert.True(ready.CanPublish);
        Assert.Equal(account.Resumes[0].UpdatedAt!.Value.AddHours(4).ToUnixTimeSeconds(), ready.NextPublishAt!.Value.ToUnixTimeSeconds());
        Assert.False(rows[account.Resumes[1].Id].CanPublish);
        Assert.Null(rows[account.Resumes[2].Id].CanPublish);
        Assert.Null(rows[account.Resumes[2].Id].NextPublishAt);
    }

    [Fact]
    public async Task Signing_in_with_superjob_lists_resumes_with_string_ids_and_every_call_carries_the_app_id()
    {
        var account = api.SuperJob.AddAccount(7001, resumes: 3);
        api.SuperJob.BrowserAccount = account.Id;

        var token = await api.SignInThroughSiteAsync("superjob");
        var resumes = await api.GetJsonAsync<JsonArray>("/resume", token);

        Assert.Equal(["700100", "700101", "700102"], resumes.Select(r => r!["uniq"]!.GetValue<string>()));
        Assert.Equal("https://www.superjob.ru/resume/700100.html", resumes[0]!["link"]!.GetValue<string>());
        Assert.Equal(account.Resumes[0].PublishedAt.ToUnixTimeSeconds(), resumes[0]!["published"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        var apiCalls = api.SuperJob.Requests.Where(r => r.Path.StartsWith("/2.0/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(apiCalls);
        Assert.All(apiCalls, r => Assert.Equal(FakeSuperJob.AppSecret, r.Headers.GetValueOrDefault("X-Api-App-Id")));
        Assert.All(apiCalls, r => Assert.EndsWith("/", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reused_authorization_code_is_a_401_and_creates_no_second_session()
    {
        var account = api.HeadHunter.AddAccount("hhreuse");
        api.HeadHunter.BrowserAccount = account.Id;
        var redirect = (await api.GetJsonAsync<JsonObject>("/auth/headhunter"))["redirect"]!.GetValue<string>();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var page = await browser.GetAsync(new Uri(redirect));
        var code = QueryHelpers.ParseQuery(page.Headers.Location!.Query)["code"].ToString();

        using var first = await api.Client.PostAsync("/auth/headhunter", ApiHost.Json(new { code }));
        using var second = await api.Client.PostAsync("/auth/headhunter", ApiHost.Json(new { code }));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ApiAssert.ErrorAsync(second, HttpStatusCode.Unauthorized, "The job site rejected the authorization code; sign in again");
    }

    [Fact]
    public async Task Concurrent_requests_with_an_expired_hh_token_refresh_it_once()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("hhrace");
        api.HeadHunter.ExpireAccessTokens();
        var before = api.HeadHunter.RefreshRequests;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.SendAsync(HttpMethod.Get, "/resume", token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, api.HeadHunter.RefreshRequests - before);
        var user = await StoredUserAsync("headhunter", account.Id);
        Assert.Null(user.GetDateTimeOffset(nameof(UserEntity.RefreshLeaseUntil)));
        Assert.False(user.GetBoolean(nameof(UserEntity.ReloginRequired)));
    }

    [Fact]
    public async Task A_grant_the_site_revoked_marks_the_user_for_re_login_until_they_sign_in_again()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("hhrevoked");
        api.HeadHunter.ExpireAccessTokens();
        api.HeadHunter.RevokeGrants(account.Id, "token deactivated");

        using var refused = await api.SendAsync(HttpMethod.Get, "/resume", token);
        var refreshes = api.HeadHunter.RefreshRequests;
        using var again = await api.SendAsync(HttpMethod.Get, "/resume", token);

        await ApiAssert.ErrorAsync(refused, HttpStatusCode.Unauthorized, "The job site no longer accepts this sign-in; sign in again");
        await ApiAssert.ErrorAsync(again, HttpStatusCode.Unauthorized, "The job site no longer accepts this sign-in; sign in again");
        Assert.Equal(refreshes, api.HeadHunter.RefreshRequests);
        Assert.True((await StoredUserAsync("headhunter", account.Id)).GetBoolean(nameof(UserEntity.ReloginRequired)));

        var fresh = await api.SignInThroughSiteAsync("headhunter");

        Assert.Equal(6, (await api.GetJsonAsync<JsonArray>("/resume", fresh)).Count);
        Assert.False((await StoredUserAsync("headhunter", account.Id)).GetBoolean(nameof(UserEntity.ReloginRequired)));
    }

    [Fact]
    public async Task Token_not_expired_from_hh_is_not_an_error_the_live_token_stays_in_use()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("hhnotexpired");
        var users = api.Table("Users");
        var row = await StoredUserAsync("headhunter", account.Id);
        row[nameof(UserEntity.AccessTokenExpiresAt)] = api.Time.GetUtcNow().AddMinutes(-1);
        await users.UpdateEntityAsync(row, row.ETag);
        var before = api.HeadHunter.RefreshRequests;

        var resumes = await api.GetJsonAsync<JsonArray>("/resume", token);

        Assert.Equal(6, resumes.Count);
        Assert.Equal(1, api.HeadHunter.RefreshRequests - before);
        var after = await StoredUserAsync("headhunter", account.Id);
        Assert.False(after.GetBoolean(nameof(UserEntity.ReloginRequired)));
        Assert.True(after.GetDateTimeOffset(nameof(UserEntity.AccessTokenExpiresAt)) > api.Time.GetUtcNow());
    }

    [Fact]
    public async Task Provider_tokens_never_reach_the_table_in_plain_text()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("hhplain");
        api.HeadHunter.ExpireAccessTokens();
        await api.GetJsonAsync<JsonArray>("/resume", token);

        // Every access token the fake ever accepted, this user's first and refreshed ones among them.
        var issued = api.HeadHunter.Requests
            .Where(r => r.Path == "/resumes/mine")
            .Select(r => r.Headers["Authorization"]["Bearer ".Length..])
            .Distinct()
            .ToList();
        var raw = await StoredUserAsync("headhunter", account.Id);

        Assert.True(issued.Count >= 2);
        foreach (var value in raw.Select(p => p.Value?.ToString() ?? string.Empty))
        {
            Assert.DoesNotContain(issued, t => value.Contains(t, StringComparison.Ordinal));
            Assert.DoesNotContain("refresh", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("headhunter")]
    [InlineData("superjob")]
    public async Task Deleting_the_user_revokes_the_grant_where_possible_and_removes_every_row(string provider)
    {
        string siteId;
        if (provider == "headhunter")
        {
            siteId = api.HeadHunter.AddApplicantWithEveryKindOfResume("hhdelete").Id;
            api.HeadHunter.BrowserAccount = siteId;
        }
        else
        {
            var account = api.SuperJob.AddAccount(7002);
            api.SuperJob.BrowserAccount = account.Id;
            siteId = account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var token = await api.SignInThroughSiteAsync(provider);
        await api.GetJsonAsync<JsonArray>("/resume", token);
        var userId = await api.UserIdAsync(provider, siteId);
        var revokes = api.HeadHunter.Count("DELETE", "/oauth/token");

        using var deleted = await api.SendAsync(HttpMethod.Delete, "/user", token);
        using var after = await api.SendAsync(HttpMethod.Get, "/resume", token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(provider == "headhunter" ? 1 : 0, api.HeadHunter.Count("DELETE", "/oauth/token") - revokes);
        await ApiAssert.ErrorAsync(after, HttpStatusCode.Unauthorized, "Unknown user");
        Assert.Empty(api.Table("Resumes").Query<TableEntity>(r => r.PartitionKey == userId).ToList());
        Assert.False((await api.Table("Users").GetEntityIfExistsAsync<TableEntity>(userId, UserEntity.Row)).HasValue);
        Assert.False((await api.Table("Identities").GetEntityIfExistsAsync<TableEntity>(IdentityEntity.KeyFor(provider, siteId), IdentityEntity.Row)).HasValue);
    }

    private async Task<TableEntity> StoredUserAsync(string provider, string siteId) =>
        (await api.Table("Users").GetEntityAsync<TableEntity>(await api.UserIdAsync(provider, siteId), UserEntity.Row)).Value;

    /// <summary>hh.ru's date form is parsed to the same instant whatever its offset.</summary>
    [Fact]
    public void Hh_dates_with_a_colon_less_offset_parse_to_the_right_instant()
    {
        Assert.Equal(new DateTimeOffset(2015, 5, 10, 1, 0, 0, TimeSpan.Zero), HeadHunterProvider.ParseDate("2015-05-10T04:00:00+0300"));
        Assert.Equal(new DateTimeOffset(2015, 5, 10, 1, 0, 0, TimeSpan.Zero), HeadHunterProvider.ParseDate("2015-05-10T04:00:00+03:00"));
        Assert.Null(HeadHunterProvider.ParseDate(null));
        Assert.Null(HeadHunterProvider.ParseDate("yesterday"));
    }
}
