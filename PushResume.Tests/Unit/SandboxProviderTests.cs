using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PushResume.Providers;
using PushResume.Providers.Sandbox;

namespace PushResume.Tests.Unit;

public sealed class SandboxProviderTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly SandboxProvider sandbox;

    public SandboxProviderTests() =>
        sandbox = new SandboxProvider(Options.Create(new SandboxOptions { Enabled = true, MinimumInterval = TimeSpan.FromHours(4), AccessTokenLifetime = TimeSpan.FromHours(1) }), time);

    [Fact]
    public async Task Each_login_has_the_same_three_resumes_every_time()
    {
        var first = await ListAsync("alice");
        var again = await ListAsync("alice");
        var other = await ListAsync("bob");

        Assert.Equal(3, first.Count);
        Assert.Equal(first.Select(r => r.Id), again.Select(r => r.Id));
        Assert.Empty(first.Select(r => r.Id).Intersect(other.Select(r => r.Id)));
    }

    [Fact]
    public async Task A_resume_is_raised_once_per_interval_and_too_early_says_when()
    {
        var resume = (await ListAsync("carol"))[0];

        var raised = await sandbox.PublishAsync(await TokenAsync("carol"), resume.Id, default);
        time.Advance(TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1));
        var early = await sandbox.PublishAsync(await TokenAsync("carol"), resume.Id, default);
        time.Advance(TimeSpan.FromSeconds(1));
        var again = await sandbox.PublishAsync(await TokenAsync("carol"), resume.Id, default);

        Assert.Equal(PublishOutcome.Published, raised.Outcome);
        Assert.Equal(PublishOutcome.TooEarly, early.Outcome);
        Assert.Equal(raised.NextAllowedAt, early.NextAllowedAt);
        Assert.Equal(PublishOutcome.Published, again.Outcome);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(4), again.NextAllowedAt);
    }

    [Fact]
    public async Task An_expired_access_token_is_classified_and_a_refresh_fixes_it()
    {
        var tokens = await sandbox.ExchangeCodeAsync("dave", new Uri("http://x/"), default);
        time.Advance(TimeSpan.FromHours(2));

        var expired = await Assert.ThrowsAsync<ProviderException>(() => sandbox.ListResumesAsync(tokens.AccessToken, default));
        var refreshed = (await sandbox.RefreshAsync(tokens.RefreshToken, default))!;

        Assert.Equal(ProviderFailure.AccessTokenExpired, expired.Failure);
        Assert.Equal(3, (await sandbox.ListResumesAsync(refreshed.AccessToken, default)).Count);
        Assert.Equal("dave", (await sandbox.GetIdentityAsync(refreshed.AccessToken, default)).Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("dots.are.separators")]
    public async Task A_code_that_is_not_a_login_is_a_relogin_failure(string code)
    {
        var failure = await Assert.ThrowsAsync<ProviderException>(() => sandbox.ExchangeCodeAsync(code, new Uri("http://x/"), default));

        Assert.Equal(ProviderFailure.ReloginRequired, failure.Failure);
    }

    private async Task<IReadOnlyList<ProviderResume>> ListAsync(string login) =>
        await sandbox.ListResumesAsync(await TokenAsync(login), default);

    private async Task<string> TokenAsync(string login) =>
        (await sandbox.ExchangeCodeAsync(login, new Uri("http://x/"), default)).AccessToken;
}
