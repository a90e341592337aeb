using Azure;
using PushResume.Http;
using PushResume.Storage;

namespace PushResume.Providers;

/// <summary>
/// Calls a user's provider with a working access token: an expired token (by its stored expiry, or because the site
/// said so) is refreshed once, and the new pair is stored before it is used.
/// </summary>
public sealed class ProviderSessions(ProviderCatalog providers, UserStore users, TimeProvider time)
{
    public async Task<T> CallAsync<T>(UserEntity user, Func<IResumeProvider, string, Task<T>> call, CancellationToken cancellationToken)
    {
        var provider = providers.Find(user.Provider)
            ?? throw ApiException.ServiceUnavailable($"The provider '{user.Provider}' is not enabled on this service");
        if (user.AccessToken.Length == 0)
        {
            throw new ProviderException(user.Provider, ProviderFailure.ReloginRequired, "The stored provider tokens are unreadable");
        }

        if (time.GetUtcNow() >= user.AccessTokenExpiresAt)
        {
            user = await RefreshAsync(provider, user, cancellationToken);
        }

        try
        {
            return await call(provider, user.AccessToken);
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.AccessTokenExpired)
        {
            user = await RefreshAsync(provider, user, cancellationToken);
            return await call(provider, user.AccessToken);
        }
    }

    private async Task<UserEntity> RefreshAsync(IResumeProvider provider, UserEntity user, CancellationToken cancellationToken)
    {
        var tokens = await provider.RefreshAsync(user.RefreshToken, cancellationToken);
        try
        {
            return await users.SaveTokensAsync(user, tokens, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another request stored a newer pair first: use that one rather than overwrite it.
            return await users.FindAsync(user.UserId, cancellationToken) ?? throw ApiException.Unauthorized("Unknown user");
        }
    }
}
