using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using PushResume.Auth;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

public sealed class SignInStateTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_state_is_accepted_once()
    {
        var state = await NewStateAsync();
        using var first = await SignInAsync(state);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var replay = await SignInAsync(state);

        await ApiAssert.ErrorAsync(replay, HttpStatusCode.BadRequest, "Sign-in state has already been used; start the sign-in again");
    }

    [Fact]
    public async Task Two_callbacks_racing_with_one_state_sign_in_once()
    {
        var state = await NewStateAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SignInAsync(state)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
    }

    [Fact]
    public async Task An_expired_state_is_refused()
    {
        var state = await NewStateAsync();
        api.Time.Advance(SignInStateService.Lifetime + TimeSpan.FromMinutes(1));

        using var response = await SignInAsync(state);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "Sign-in state is invalid or expired; start the sign-in again");
    }

    [Theory]
    [InlineData("made-up")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJwcnYiOiJzYW5kYm94In0.")]
    public async Task A_forged_state_is_refused(string state)
    {
        using var response = await SignInAsync(state);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "Sign-in state is invalid or expired; start the sign-in again");
    }

    [Fact]
    public async Task An_access_token_is_not_a_state()
    {
        var token = await api.SignInAsync("token-as-state");

        using var response = await SignInAsync(token);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "Sign-in state is invalid or expired; start the sign-in again");
    }

    [Fact]
    public async Task A_state_issued_for_another_provider_is_refused()
    {
        var state = api.Services.GetRequiredService<SignInStateService>().Create("headhunter");

        using var response = await SignInAsync(state);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "Sign-in state was issued for another provider");
    }

    [Fact]
    public async Task The_maintenance_timer_purges_spent_states_once_they_expire()
    {
        using (var signIn = await SignInAsync(await NewStateAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        Assert.NotEmpty(api.Tables.SpentStates.Query<Azure.Data.Tables.TableEntity>());

        api.Time.Advance(SignInStateService.Lifetime + TimeSpan.FromMinutes(2));
        using var run = await new HttpClient { BaseAddress = api.BaseAddress }.PostAsync("/admin/functions/PurgeSpentSignInStates", null);

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        Assert.Empty(api.Tables.SpentStates.Query<Azure.Data.Tables.TableEntity>());
    }

    private async Task<string> NewStateAsync()
    {
        var redirect = new Uri((await api.GetJsonAsync<System.Text.Json.Nodes.JsonObject>("/auth/sandbox"))["redirect"]!.GetValue<string>());
        return QueryHelpers.ParseQuery(redirect.Query)["state"].ToString();
    }

    private Task<HttpResponseMessage> SignInAsync(string state) =>
        api.Client.PostAsync("/auth/sandbox", ApiHost.Json(new { code = "state-user", state }));
}
