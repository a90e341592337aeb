using PushResume.Providers;
using PushResume.Providers.SuperJob;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

/// <summary>Every classified result of the SuperJob client, against the fake SuperJob over loopback HTTP.</summary>
public sealed class SuperJobProviderTests : IClassFixture<ProviderClientsFixture>
{
    private readonly ProviderClientsFixture sites;
    private readonly FakeSuperJob fake;
    private readonly IResumeProvider superJob;

    public SuperJobProviderTests(ProviderClientsFixture sites)
    {
        this.sites = sites;
        fake = sites.SuperJob;
        fake.ClearFaults();
        superJob = sites.Provider(SuperJobProvider.ProviderName);
    }

    [Fact]
    public async Task A_raise_is_published_then_too_early_with_the_time_the_site_names()
    {
        var (access, _) = Grant(9001);
        var now = sites.Time.GetUtcNow();

        var first = await superJob.PublishAsync(access, "900100", default);
        sites.Time.Advance(TimeSpan.FromMinutes(20));
        var second = await superJob.PublishAsync(access, "900100", default);

        Assert.Equal(new PublishResult(PublishOutcome.Published, now + TimeSpan.FromHours(1)), first);
        Assert.Equal(PublishOutcome.TooEarly, second.Outcome);
        Assert.Equal(sites.Time.GetUtcNow() + TimeSpan.FromMinutes(40), second.NextAllowedAt);
    }

    [Fact]
    public async Task An_unknown_resume_is_gone()
    {
        var (access, _) = Grant(9002);

        var failure = await Assert.ThrowsAsync<ProviderException>(() => superJob.PublishAsync(access, "123", default));

        Assert.Equal(ProviderFailure.ResumeGone, failure.Failure);
    }

    [Fact]
    public async Task A_401_without_the_update_message_is_an_expired_token_and_a_blocked_account_needs_the_user()
    {
        var (expiring, _) = Grant(9003);
        fake.ExpireAccessTokens();
        fake.AddAccount(9004).Blocked = true;
        var (blocked, _) = fake.IssueGrant(9004);

        var expired = await Assert.ThrowsAsync<ProviderException>(() => superJob.PublishAsync(expiring, "900300", default));
        var refused = await Assert.ThrowsAsync<ProviderException>(() => superJob.ListResumesAsync(blocked, default));

        Assert.Equal(ProviderFailure.AccessTokenExpired, expired.Failure);
        Assert.Equal(ProviderFailure.ReloginRequired, refused.Failure);
    }

    [Fact]
    public async Task A_refresh_rotates_the_pair_and_the_spent_refresh_token_needs_a_new_sign_in()
    {
        var (_, refresh) = Grant(9005);

        var rotated = await superJob.RefreshAsync(refresh, default);
        var reused = await Assert.ThrowsAsync<ProviderException>(() => superJob.RefreshAsync(refresh, default));

        Assert.NotNull(rotated);
        Assert.NotEqual(refresh, rotated.RefreshToken);
        Assert.Equal(sites.Time.GetUtcNow() + fake.AccessTokenLifetime, rotated.ExpiresAt);
        Assert.Equal(ProviderFailure.ReloginRequired, reused.Failure);
        Assert.Single((await superJob.ListResumesAsync(rotated.AccessToken, default)).Take(1));
    }

    [Fact]
    public async Task A_refresh_is_a_GET_yet_never_retried()
    {
        var (_, refresh) = Grant(9006);
        fake.Inject(Fault.ServiceUnavailable, pathPrefix: "/2.0/oauth2/refresh_token/");
        var before = fake.Count("GET", "/2.0/oauth2/refresh_token/");

        var failure = await Assert.ThrowsAsync<ProviderException>(() => superJob.RefreshAsync(refresh, default));

        Assert.Equal(ProviderFailure.Transient, failure.Failure);
        Assert.Equal(1, fake.Count("GET", "/2.0/oauth2/refresh_token/") - before);
    }

    [Fact]
    public async Task Every_page_of_resumes_is_read_with_integer_ids_as_strings()
    {
        fake.AddAccount(9007, resumes: 150);
        var (access, _) = fake.IssueGrant(9007);

        var resumes = await superJob.ListResumesAsync(access, default);

        Assert.Equal(150, resumes.Count);
        Assert.Equal("900700", resumes[0].Id);
        Assert.Equal(resumes[0].Published + TimeSpan.FromHours(1), resumes[0].NextPublishAt);
        Assert.Equal(2, fake.Requests.Count(r => r.Path == "/2.0/user_cvs/" && r.Headers["Authorization"].EndsWith(access, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_identity_is_the_integer_user_id()
    {
        var (access, _) = Grant(9008);

        var identity = await superJob.GetIdentityAsync(access, default);

        Assert.Equal("9008", identity.Id);
    }

    [Fact]
    public async Task Site_trouble_is_transient()
    {
        var (access, _) = Grant(9009);
        fake.Inject(Fault.AntiBotPage, pathPrefix: "/2.0/user_cvs/update_datepub/");
        fake.Inject(Fault.ServerErrorNotJson, times: 3, pathPrefix: "/2.0/user/current/");

        var raise = await Assert.ThrowsAsync<ProviderException>(() => superJob.PublishAsync(access, "900900", default));
        var identity = await Assert.ThrowsAsync<ProviderException>(() => superJob.GetIdentityAsync(access, default));

        Assert.Equal(ProviderFailure.Transient, raise.Failure);
        Assert.Equal(ProviderFailure.Transient, identity.Failure);
    }

    private (string Access, string Refresh) Grant(long accountId)
    {
        fake.AddAccount(accountId);
        return fake.IssueGrant(accountId);
    }
}
