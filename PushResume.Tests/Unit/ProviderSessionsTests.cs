using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using PushResume.Providers;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

public sealed class ProviderSessionsTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly Mock<IResumeProvider> provider = new();

    [Fact]
    public async Task A_token_the_site_calls_expired_is_refreshed_once_stored_and_the_call_retried()
    {
        var user = await SignInAsync("site-says-expired", expiresIn: TimeSpan.FromHours(1));
        provider.SetupSequence(p => p.ListResumesAsync("old-access", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ProviderException("mock", ProviderFailure.AccessTokenExpired, "expired"));
        provider.Setup(p => p.RefreshAsync("old-refresh", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProviderTokens("new-access", "new-refresh", time.GetUtcNow().AddHours(1)));
        provider.Setup(p => p.ListResumesAsync("new-access", It.IsAny<CancellationToken>())).ReturnsAsync([]);

        await Sessions().CallAsync(user, (p, token) => p.ListResumesAsync(token, default), default);

        provider.Verify(p => p.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        var stored = await new UserStore(storage.Tables, ApiHost.TokenProtector, time, NullLogger<UserStore>.Instance).FindAsync(user.UserId, default);
        Assert.Equal("new-access", stored!.AccessToken);
        Assert.Equal("new-refresh", stored.RefreshToken);
    }

    [Fact]
    public async Task A_token_past_its_stored_expiry_is_refreshed_before_the_call()
    {
        var user = await SignInAsync("stored-expiry", expiresIn: TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(2));
        provider.Setup(p => p.RefreshAsync("old-refresh", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProviderTokens("new-access", "new-refresh", time.GetUtcNow().AddHours(1)));
        provider.Setup(p => p.ListResumesAsync("new-access", It.IsAny<CancellationToken>())).ReturnsAsync([]);

        await Sessions().CallAsync(user, (p, token) => p.ListResumesAsync(token, default), default);

        provider.Verify(p => p.ListResumesAsync("old-access", It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_live_token_is_used_as_it_is()
    {
        var user = await SignInAsync("live", expiresIn: TimeSpan.FromHours(1));
        provider.Setup(p => p.ListResumesAsync("old-access", It.IsAny<CancellationToken>())).ReturnsAsync([]);

        await Sessions().CallAsync(user, (p, token) => p.ListResumesAsync(token, default), default);

        provider.Verify(p => p.RefreshAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private ProviderSessions Sessions()
    {
        provider.SetupGet(p => p.Name).Returns("mock");
        return new ProviderSessions(new ProviderCatalog([provider.Object]), new UserStore(storage.Tables, ApiHost.TokenProtector, time, NullLogger<UserStore>.Instance), time, NullLogger<ProviderSessions>.Instance);
    }

    private Task<UserEntity> SignInAsync(string id, TimeSpan expiresIn) =>
        new UserStore(storage.Tables, ApiHost.TokenProtector, time, NullLogger<UserStore>.Instance).SignInAsync(
            "mock",
            new ProviderIdentity(id, id),
            new ProviderTokens("old-access", "old-refresh", time.GetUtcNow() + expiresIn),
            default);
}
