using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;

namespace PushResume.Functions;

public sealed class AuthFunctions(ApiEndpoint endpoint, ProviderCatalog providers, SignInService signIn, AccountService accounts)
{
    [Function("ListProviders")]
    public Task<IActionResult> ListProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/providers")] HttpRequest request) =>
        endpoint.RunAsync(request, () => Task.FromResult(ApiResults.Json(providers.Names)));

    [Function("GetAuthorizationUrl")]
    public Task<IActionResult> GetAuthorizationUrl(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/{provider}")] HttpRequest request,
        string provider) =>
        endpoint.RunAsync(request, () =>
            Task.FromResult(ApiResults.Json(new RedirectView(signIn.GetAuthorizationUrl(providers.Get(provider))))));

    [Function("SignIn")]
    public Task<IActionResult> SignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/{provider}")] HttpRequest request,
        string provider,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, async () =>
        {
            var site = providers.Get(provider);
            var body = await JsonRequest.ReadObjectAsync(request, cancellationToken);
            var token = await signIn.SignInAsync(
                site,
                JsonRequest.RequiredString(body, "code"),
                JsonRequest.OptionalString(body, "state"),
                cancellationToken);
            return ApiResults.Json(new TokenView(token));
        });

    [Function("RefreshToken")]
    public Task<IActionResult> RefreshToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/refresh")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RunAsUserAsync(request, user => Task.FromResult(ApiResults.Json(new TokenView(signIn.Refresh(user)))), cancellationToken);

    [Function("DeleteUser")]
    public Task<IActionResult> DeleteUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "user")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RunAsUserAsync(
            request,
            async user =>
            {
                await accounts.DeleteAsync(user, cancellationToken);
                return new NoContentResult();
            },
            cancellationToken);

    private sealed record RedirectView([property: JsonPropertyName("redirect")] Uri Redirect);

    private sealed record TokenView([property: JsonPropertyName("token")] string Token);
}
