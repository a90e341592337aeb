using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PushResume.Providers;
using PushResume.Providers.HeadHunter;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

/// <summary>Every classified result of the hh.ru client, against the fake hh.ru over loopback HTTP.</summary>
public sealed class HeadHunterProviderTests : IClassFixture<ProviderClientsFixture>
{
    private readonly ProviderClientsFixture sites;
    private readonly FakeHeadHunter fake;
    private readonly IResumeProvider hh;

    public HeadHunterProviderTests(ProviderClientsFixture sites)
    {
        this.sites = sites;
        fake = sites.HeadHunter;
        fake.ClearFaults();
        fake.RetryAfter = null;
        hh = sites.Provider(HeadHunterProvider.ProviderName);
    }

    [Theory]
    [InlineData("a0", PublishOutcome.Published)]
    [InlineData("a1", PublishOutcome.TooEarly)]
    public async Task A_raise_is_published_or_too_early_by_the_resume_own_limit(string suffix, PublishOutcome expected)
    {
        var (access, _) = Grant("pub" + suffix);

        var result = await hh.PublishAsync(access, "pub" + suffix + suffix, default);

        Assert.Equal(expected, result.Outcome);
    }

    [Fact]
    public async Task A_second_raise_within_the_interval_is_too_early_not_a_failure()
    {
        var (access, _) = Grant("twice");

        var first = await hh.PublishAsync(access, "twicea0", default);
        var second = await hh.PublishAsync(access, "twicea0", default);

        Assert.Equal(PublishOutcome.Published, first.Outcome);
        Assert.Equal(PublishOutcome.TooEarly, second.Outcome);
        Assert.Equal(2, fake.Count("POST", "/resumes/twicea0/publish"));
    }

    [Theory]
    [InlineData("a2")]
    [InlineData("a3")]
    [InlineData("a4")]
    public async Task Unfinished_blocked_or_moderated_resumes_are_unusable(string suffix)
    {
        var (access, _) = Grant("bad" + suffix);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.PublishAsync(access, "bad" + suffix + suffix, default));

        Assert.Equal(ProviderFailure.ResumeUnusable, failure.Failure);
    }

    [Fact]
    public async Task An_unknown_or_foreign_resume_is_gone()
    {
        var (access, _) = Grant("gone");
        fake.AddApplicantWithEveryKindOfResume("someoneelse");

        var unknown = await Assert.ThrowsAsync<ProviderException>(() => hh.PublishAsync(access, "nosuchresume", default));
        var foreign = await Assert.ThrowsAsync<ProviderException>(() => hh.PublishAsync(access, "someoneelsea0", default));

        Assert.Equal(ProviderFailure.ResumeGone, unknown.Failure);
        Assert.Equal(ProviderFailure.ResumeGone, foreign.Failure);
    }

    [Fact]
    public async Task Resumes_come_from_every_page_with_site_links_and_hh_dates()
    {
        var account = fake.AddApplicantWithEveryKindOfResume("paged");
        var (access, _) = fake.IssueGrant(account.Id);
        fake.PerPage = 4;
        try
        {
            var resumes = await hh.ListResumesAsync(access, default);

            Assert.Equal(account.Resumes.Select(r => r.Id), resumes.Select(r => r.Id));
            Assert.Equal(new Uri("https://hh.ru/resume/pageda0"), resumes[0].Link);
            Assert.Equal(account.Resumes[0].UpdatedAt!.Value.ToUnixTimeSeconds(), resumes[0].Published!.Value.ToUnixTimeSeconds());
            Assert.Equal(TimeSpan.FromHours(3), resumes[0].Published!.Value.Offset);
            Assert.Equal(string.Empty, resumes[2].Title);
            Assert.Null(resumes[2].NextPublishAt);
            Assert.Null(resumes[2].CanPublish);
            Assert.Equal(1, fake.Requests.Count(r => r.Path == "/resumes/mine" && r.Query == "?page=1"));
        }
        finally
        {
            fake.PerPage = 20;
        }
    }

    [Fact]
    public async Task The_identity_is_the_stable_id_even_without_an_email()
    {
        var (access, _) = Grant("noemail");

        var identity = await hh.GetIdentityAsync(access, default);

        Assert.Equal("noemail", identity.Id);
        Assert.Equal("Ivan Petrov-noemail", identity.DisplayName);
    }

    [Fact]
    public async Task Auth_errors_are_told_apart_expired_from_revoked_from_not_an_applicant()
    {
        var (expiring, _) = Grant("authexp");
        var (revoked, _) = Grant("authrev");
        fake.AddAccount("employer", isApplicant: false);
        var (employer, _) = fake.IssueGrant("employer");
        var notApplicant = await Assert.ThrowsAsync<ProviderException>(() => hh.ListResumesAsync(employer, default));
        fake.RevokeGrants("authrev", "token was revoked");
        fake.ExpireAccessTokens();

        Assert.Equal(ProviderFailure.ReloginRequired, notApplicant.Failure);
        Assert.Equal(ProviderFailure.AccessTokenExpired, (await Assert.ThrowsAsync<ProviderException>(() => hh.ListResumesAsync(expiring, default))).Failure);
        Assert.Equal(ProviderFailure.ReloginRequired, (await Assert.ThrowsAsync<ProviderException>(() => hh.ListResumesAsync(revoked, default))).Failure);
        Assert.Equal(ProviderFailure.ReloginRequired, (await Assert.ThrowsAsync<ProviderException>(() => hh.ListResumesAsync("garbage", default))).Failure);
    }

    [Fact]
    public async Task A_refresh_before_expiry_is_not_an_error_and_after_expiry_rotates_the_pair_once()
    {
        var (_, refresh) = Grant("rotate");

        var early = await hh.RefreshAsync(refresh, default);
        fake.ExpireAccessTokens();
        var rotated = await hh.RefreshAsync(refresh, default);
        var reused = await Assert.ThrowsAsync<ProviderException>(() => hh.RefreshAsync(refresh, default));

        Assert.Null(early);
        Assert.NotNull(rotated);
        Assert.NotEqual(refresh, rotated.RefreshToken);
        Assert.Equal(sites.Time.GetUtcNow() + fake.AccessTokenLifetime, rotated.ExpiresAt);
        Assert.Equal(ProviderFailure.ReloginRequired, reused.Failure);
        Assert.Equal(ProviderFailure.ReloginRequired, (await Assert.ThrowsAsync<ProviderException>(() => hh.RefreshAsync("unknown", default))).Failure);
    }

    [Fact]
    public async Task A_deactivated_grant_needs_a_new_sign_in()
    {
        var (_, refresh) = Grant("deactivated");
        fake.ExpireAccessTokens();
        fake.RevokeGrants("deactivated", "token deactivated");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.RefreshAsync(refresh, default));

        Assert.Equal(ProviderFailure.ReloginRequired, failure.Failure);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_transient_so_a_config_mistake_never_logs_every_user_out()
    {
        var settings = sites.Services.GetRequiredService<IOptions<HeadHunterOptions>>().Value;
        var misconfigured = new HeadHunterProvider(
            sites.Services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new HeadHunterOptions
            {
                ClientId = settings.ClientId,
                ClientSecret = "wrong",
                UserAgent = settings.UserAgent,
                TokenUrl = settings.TokenUrl,
                ApiUrl = settings.ApiUrl,
            }),
            sites.Time,
            NullLogger<HeadHunterProvider>.Instance);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => misconfigured.ExchangeCodeAsync("any", new Uri("http://127.0.0.1/cb"), default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
    }

    [Fact]
    public async Task A_503_on_a_read_is_retried_and_the_read_succeeds()
    {
        var (access, _) = Grant("retry503");
        fake.Inject(Fault.ServiceUnavailable, pathPrefix: "/resumes/mine");
        var before = fake.Count("GET", "/resumes/mine");

        var resumes = await hh.ListResumesAsync(access, default);

        Assert.Equal(6, resumes.Count);
        Assert.Equal(2, fake.Count("GET", "/resumes/mine") - before);
    }

    [Fact]
    public async Task A_global_429_with_retry_after_is_waited_out_on_a_read()
    {
        var (access, _) = Grant("retryafter");
        fake.RetryAfter = TimeSpan.FromSeconds(1);
        fake.Inject(Fault.GlobalRateLimit, pathPrefix: "/me");

        var identity = await hh.GetIdentityAsync(access, default);

        Assert.Equal("retryafter", identity.Id);
        Assert.Equal(2, fake.Requests.Count(r => r.Path == "/me" && r.Headers["Authorization"].EndsWith(access, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_site_that_stays_down_is_transient()
    {
        var (access, _) = Grant("down");
        fake.Inject(Fault.ServiceUnavailable, times: 3, pathPrefix: "/resumes/mine");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.ListResumesAsync(access, default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
    }

    [Theory]
    [InlineData(Fault.ServerErrorNotJson)]
    [InlineData(Fault.AntiBotPage)]
    [InlineData(Fault.GlobalRateLimit)]
    [InlineData(Fault.ServiceUnavailable)]
    [InlineData(Fault.CaptchaRequired)]
    public async Task A_failed_raise_is_transient_and_never_retried_automatically(Fault fault)
    {
        var (access, _) = Grant("fault" + fault);
        var path = $"/resumes/fault{fault}a0/publish";
        fake.Inject(fault, pathPrefix: path);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.PublishAsync(access, $"fault{fault}a0", default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Equal(1, fake.Count("POST", path));
    }

    [Theory]
    [InlineData(Fault.AntiBotPage)]
    [InlineData(Fault.CaptchaRequired)]
    public async Task An_anti_bot_page_or_a_captcha_on_an_auth_call_is_transient_not_a_lost_grant(Fault fault)
    {
        var (access, _) = Grant("antibot" + fault);
        fake.Inject(fault, pathPrefix: "/me");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.GetIdentityAsync(access, default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
    }

    [Theory]
    [InlineData(Fault.Slow)]
    [InlineData(Fault.ServiceUnavailable)]
    public async Task A_refresh_that_fails_is_transient_and_sent_exactly_once(Fault fault)
    {
        var (_, refresh) = Grant("refreshfault" + fault);
        fake.ExpireAccessTokens();
        fake.Inject(fault, pathPrefix: "/token");
        var before = fake.Count("POST", "/token");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => hh.RefreshAsync(refresh, default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Equal(1, fake.Count("POST", "/token") - before);
    }

    [Fact]
    public async Task Revoking_kills_the_grant_and_a_dead_token_is_not_an_error()
    {
        var (access, refresh) = Grant("revoke");

        await hh.RevokeAsync(access, default);
        await hh.RevokeAsync(access, default);
        fake.ExpireAccessTokens();

        Assert.Equal(ProviderFailure.ReloginRequired, (await Assert.ThrowsAsync<ProviderException>(() => hh.RefreshAsync(refresh, default))).Failure);
    }

    private (string Access, string Refresh) Grant(string accountId)
    {
        fake.AddApplicantWithEveryKindOfResume(accountId);
        return fake.IssueGrant(accountId);
    }
}
