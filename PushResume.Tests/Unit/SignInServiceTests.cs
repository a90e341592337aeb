using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

public sealed class SignInServiceTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly Mock<IResumeProvider> provider = new();

    [Fact]
    public async Task A_bad_state_is_refused_before_the_site_is_asked_for_a_token()
    {
        var failure = await Assert.ThrowsAsync<ApiException>(() => Service().SignInAsync(provider.Object, "code", "forged", default));

        Assert.Equal(400, failure.Status);
        provider.Verify(p => p.ExchangeCodeAsync(It.IsAny<string>(), It.IsAny<Uri>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_code_is_exchanged_with_the_frontend_callback_as_redirect_uri()
    {
        provider.Setup(p => p.ExchangeCodeAsync("code", new Uri($"{ApiHost.FrontendUrl}/auth/mock"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProviderTokens("access", "refresh", time.GetUtcNow().AddHours(1)));
        provider.Setup(p => p.GetIdentityAsync("access", It.IsAny<CancellationToken>())).ReturnsAsync(new ProviderIdentity("42", "Ann"));
        var service = Service();
        var url = service.GetAuthorizationUrl(provider.Object);

        var token = await service.SignInAsync(provider.Object, "code", StateOf(url), default);

        Assert.False(string.IsNullOrEmpty(token));
        provider.Verify(p => p.ExchangeCodeAsync("code", It.IsAny<Uri>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    private SignInService Service()
    {
        provider.SetupGet(p => p.Name).Returns("mock");
        provider.Setup(p => p.GetAuthorizationUrl(It.IsAny<Uri>(), It.IsAny<string>()))
            .Returns((Uri redirect, string state) => new Uri($"{redirect}?state={state}"));
        var jwt = Options.Create(new JwtOptions { SigningKey = Convert.ToBase64String(ApiHost.SigningKey) });
        return new SignInService(
            new SignInStateService(jwt, storage.Tables, time),
            new UserStore(storage.Tables, ApiHost.TokenProtector, time, NullLogger<UserStore>.Instance),
            new ResumeStore(storage.Tables, new ScheduleStore(storage.Tables)),
            new PushPlanner(new ProviderCatalog([provider.Object]), time, Options.Create(new PublishingOptions())),
            new AccessTokenService(jwt, time),
            Options.Create(new FrontendOptions { FrontendUrl = ApiHost.FrontendUrl }));
    }

    private static string StateOf(Uri url) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query)["state"].ToString();
}
