using Microsoft.Extensions.Options;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Auth;

/// <summary>The OAuth code flow: send the browser to the site, then trade the code it brings back for our token.</summary>
public sealed class SignInService(
    SignInStateService states,
    UserStore users,
    ResumeStore resumes,
    PushPlanner planner,
    AccessTokenService tokens,
    IOptions<FrontendOptions> frontend)
{
    public Uri GetAuthorizationUrl(IResumeProvider provider) =>
        provider.GetAuthorizationUrl(frontend.Value.RedirectUriFor(provider.Name), states.Create(provider.Name));

    /// <summary>
    /// Verifies <paramref name="state"/> whenever the client sends it (the original API documented only the code),
    /// before any call to the site, then signs the user in and returns an access token.
    /// </summary>
    public async Task<string> SignInAsync(IResumeProvider provider, string code, string? state, CancellationToken cancellationToken)
    {
        if (state is not null)
        {
            await states.ConsumeAsync(provider.Name, state, cancellationToken);
        }

        ProviderTokens grant;
        try
        {
            grant = await provider.ExchangeCodeAsync(code, frontend.Value.RedirectUriFor(provider.Name), cancellationToken);
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.ReloginRequired)
        {
            throw ApiException.Unauthorized("The job site rejected the authorization code; sign in again");
        }

        var identity = await provider.GetIdentityAsync(grant.AccessToken, cancellationToken);
        var user = await users.SignInAsync(provider.Name, identity, grant, cancellationToken);
        // Raising paused while the grant was dead goes on now that the user has brought a new one.
        await resumes.ResumePausedAsync(user.UserId, planner.FirstPush, cancellationToken);
        return tokens.Issue(user.UserId);
    }

    public string Refresh(UserEntity user) => tokens.Issue(user.UserId);
}
