using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>Every way a token can be wrong gets a 401 that says which, never a 500 and never a 200.</summary>
public sealed class JwtTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_valid_token_works_with_either_scheme_in_any_case()
    {
        var token = await api.SignInAsync("schemes");

        foreach (var scheme in new[] { "JWT", "jwt", "Bearer", "bEaReR" })
        {
            using var response = await SendRawAsync($"{scheme} {token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_missing_header_is_401()
    {
        using var response = await api.Client.GetAsync("/resume");

        await AssertUnauthorizedAsync(response, "Missing Authorization header");
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("JWT ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Token abc")]
    [InlineData("JWT a b")]
    [InlineData("JWT  doublespace")]
    public async Task A_malformed_header_is_401(string header)
    {
        using var response = await SendRawAsync(header);

        await AssertUnauthorizedAsync(response, "Authorization header must be 'JWT <token>'");
    }

    [Fact]
    public async Task Two_authorization_headers_are_401()
    {
        var token = await api.SignInAsync("two-headers");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/resume");
        request.Headers.TryAddWithoutValidation("Authorization", [$"JWT {token}", $"JWT {token}"]);

        using var response = await api.Client.SendAsync(request);

        await AssertUnauthorizedAsync(response, "Authorization header must be 'JWT <token>'");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..")]
    public async Task A_garbage_token_is_401(string token)
    {
        using var response = await SendRawAsync($"JWT {token}");

        await AssertUnauthorizedAsync(response, "Invalid token");
    }

    [Fact]
    public async Task Forged_and_foreign_tokens_are_401()
    {
        var subject = TestTokens.SubjectOf(await api.SignInAsync("forgeries"));
        var now = api.Time.GetUtcNow();
        var forgeries = new[]
        {
            TestTokens.AlgNone(subject, now),
            TestTokens.Hs512(subject, now),
            TestTokens.Sign(subject, now, key: RandomNumberGenerator.GetBytes(32)),
            TestTokens.Rs256(subject, now),
            TestTokens.Sign(subject, now, issuer: "someone-else"),
            TestTokens.Sign(subject, now, audience: "someone-else"),
            TestTokens.Tamper(TestTokens.Sign(subject, now)),
        };

        foreach (var forgery in forgeries)
        {
            using var response = await SendRawAsync($"JWT {forgery}");
            await AssertUnauthorizedAsync(response, "Invalid token");
        }

        using var genuine = await SendRawAsync($"JWT {TestTokens.Sign(subject, now)}");
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Expiry_allows_30_seconds_of_clock_skew_and_no_more()
    {
        var subject = TestTokens.SubjectOf(await api.SignInAsync("expiry"));
        var issued = api.Time.GetUtcNow() - TimeSpan.FromMinutes(15);

        using var withinSkew = await SendRawAsync($"JWT {TestTokens.Sign(subject, issued - TimeSpan.FromSeconds(29))}");
        Assert.Equal(HttpStatusCode.OK, withinSkew.StatusCode);

        using var pastSkew = await SendRawAsync($"JWT {TestTokens.Sign(subject, issued - TimeSpan.FromSeconds(31))}");
        await AssertUnauthorizedAsync(pastSkew, "Token has expired");
    }

    [Fact]
    public async Task A_token_from_the_future_is_401()
    {
        var subject = TestTokens.SubjectOf(await api.SignInAsync("future"));

        using var response = await SendRawAsync($"JWT {TestTokens.Sign(subject, api.Time.GetUtcNow().AddMinutes(5))}");

        await AssertUnauthorizedAsync(response, "Invalid token");
    }

    [Fact]
    public async Task An_expired_token_cannot_be_refreshed()
    {
        var token = await api.SignInAsync("late-refresh");
        api.Time.Advance(TimeSpan.FromMinutes(16));

        using var response = await api.SendAsync(HttpMethod.Get, "/auth/refresh", token);

        await AssertUnauthorizedAsync(response, "Token has expired");
    }

    [Fact]
    public async Task A_token_whose_subject_is_swapped_for_another_users_is_401()
    {
        var mine = await api.SignInAsync("swap-mine");
        var theirs = TestTokens.SubjectOf(await api.SignInAsync("swap-theirs"));

        using var response = await SendRawAsync($"JWT {TestTokens.SwapSubject(mine, theirs)}");

        await AssertUnauthorizedAsync(response, "Invalid token");
    }

    [Fact]
    public async Task A_token_for_a_deleted_user_is_401()
    {
        var token = await api.SignInAsync("deleted");
        await api.Tables.Users.DeleteEntityAsync(TestTokens.SubjectOf(token), UserEntity.Row);

        using var response = await api.SendAsync(HttpMethod.Get, "/resume", token);

        await AssertUnauthorizedAsync(response, "Unknown user");
    }

    [Fact]
    public async Task A_sign_in_state_is_not_an_access_token()
    {
        var redirect = new Uri((await api.GetJsonAsync<System.Text.Json.Nodes.JsonObject>("/auth/sandbox"))["redirect"]!.GetValue<string>());
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(redirect.Query)["state"].ToString();

        using var response = await SendRawAsync($"JWT {state}");

        await AssertUnauthorizedAsync(response, "Invalid token");
    }

    private async Task<HttpResponseMessage> SendRawAsync(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/resume");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await api.Client.SendAsync(request);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response, string message)
    {
        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, message);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "JWT");
    }
}
