using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Tests.Unit;

public sealed class ApiEndpointTests
{
    private readonly ApiEndpoint endpoint = new(UnusedAuthenticator(), NullLogger<ApiEndpoint>.Instance);

    [Fact]
    public async Task An_unexpected_exception_is_a_500_that_carries_none_of_its_text()
    {
        var result = await RunAsync(new InvalidOperationException("connection string AccountKey=secret at Foo.Bar()"));

        Assert.Equal(500, result.StatusCode);
        var body = JsonSerializer.Serialize(result.Value);
        Assert.Equal("{\"status\":500,\"error\":\"Internal Server Error\",\"message\":\"Unexpected error\"}", body);
    }

    [Theory]
    [InlineData(ProviderFailure.Transient, 503, "Provider error")]
    [InlineData(ProviderFailure.AccessTokenExpired, 503, "Provider error")]
    [InlineData(ProviderFailure.ReloginRequired, 401, "The job site no longer accepts this sign-in; sign in again")]
    public async Task Provider_failures_map_to_503_or_to_401_when_the_user_must_sign_in_again(ProviderFailure failure, int status, string message)
    {
        var result = await RunAsync(new ProviderException("hh", failure, "site said: token_revoked"));

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(message, ((ErrorBody)result.Value!).Message);
    }

    [Fact]
    public async Task Lost_optimistic_writes_are_a_503_to_try_again()
    {
        var result = await RunAsync(new StorageContentionException("Too many concurrent changes to the same record"));

        Assert.Equal(503, result.StatusCode);
        Assert.Equal("Too many concurrent changes to the same record; try again", ((ErrorBody)result.Value!).Message);
    }

    /// <summary>These tests run no protected route, so the authenticator is never asked anything.</summary>
    private static RequestAuthenticator UnusedAuthenticator()
    {
        var jwt = Options.Create(new JwtOptions { SigningKey = Convert.ToBase64String(Infrastructure.ApiHost.SigningKey) });
        var tables = new PushResumeTables(new TableServiceClient("UseDevelopmentStorage=true"));
        return new RequestAuthenticator(new AccessTokenService(jwt, TimeProvider.System), new UserStore(tables, Infrastructure.ApiHost.TokenProtector, TimeProvider.System, NullLogger<UserStore>.Instance));
    }

    private async Task<ObjectResult> RunAsync(Exception failure)
    {
        var context = new DefaultHttpContext();
        return Assert.IsType<ObjectResult>(await endpoint.RunAsync(context.Request, () => throw failure));
    }
}
