using Azure;
using Microsoft.Extensions.Logging;
using PushResume.Http;
using PushResume.Storage;

namespace PushResume.Providers;

/// <summary>
/// Calls a user's provider with a working access token. The token is refreshed only once it has expired (by its
/// stored expiry, or because the site said so), by one caller at a time across all instances, and the new pair is
/// stored before it is used. A grant the site refuses for good marks the user re-login-required.
/// </summary>
public sealed partial class ProviderSessions(ProviderCatalog providers, UserStore users, TimeProvider time, ILogger<ProviderSessions> logger)
{
    /// <summary>Longer than a token call may take (its attempt time-out), so the lease outlives the refresh it guards.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(1);

    /// <summary>How often a caller waiting for another's refresh re-reads the user.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly int MaxPolls = (int)(LeaseDuration / PollInterval);

    /// <summary>When the site says the token still works although our clock says it expired, ask again this much later.</summary>
    private static readonly TimeSpan NotExpiredRecheck = TimeSpan.FromMinutes(5);

    public async Task<T> CallAsync<T>(UserEntity user, Func<IResumeProvider, string, Task<T>> call, CancellationToken cancellationToken)
    {
        var provider = ProviderOf(user);
        try
        {
            EnsureGrantAlive(user);
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
        catch (ProviderException e) when (e.Failure == ProviderFailure.ReloginRequired)
        {
            await MarkReloginRequiredAsync(user, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// Refreshes the user's tokens when the site's rules allow it now (<see cref="IResumeProvider.RefreshAhead"/>:
    /// for hh.ru only once expired), so a user with nothing to raise for a while keeps a working grant. True when
    /// it refreshed.
    /// </summary>
    public async Task<bool> RefreshIfDueAsync(UserEntity user, CancellationToken cancellationToken)
    {
        var provider = ProviderOf(user);
        try
        {
            EnsureGrantAlive(user);
            if (time.GetUtcNow() < user.AccessTokenExpiresAt - provider.RefreshAhead)
            {
                return false;
            }

            await RefreshAsync(provider, user, cancellationToken);
            return true;
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.ReloginRequired)
        {
            await MarkReloginRequiredAsync(user, cancellationToken);
            throw;
        }
    }

    private IResumeProvider ProviderOf(UserEntity user) =>
        providers.Find(user.Provider)
        ?? throw ApiException.ServiceUnavailable($"The provider '{user.Provider}' is not enabled on this service");

    private static void EnsureGrantAlive(UserEntity user)
    {
        if (user.ReloginRequired || user.AccessToken.Length == 0)
        {
            throw new ProviderException(user.Provider, ProviderFailure.ReloginRequired, "The user must sign in to the job site again");
        }
    }

    /// <summary>
    /// Single-flight refresh: the caller that wins an ETag-guarded write of a lease on the user row calls the site;
    /// the others re-read the row until the winner's new pair appears, and use it.
    /// </summary>
    private async Task<UserEntity> RefreshAsync(IResumeProvider provider, UserEntity user, CancellationToken cancellationToken)
    {
        var stale = user;
        for (var poll = 0; ; poll++)
        {
            if (!ReferenceEquals(user, stale))
            {
                if (user.ReloginRequired)
                {
                    throw new ProviderException(provider.Name, ProviderFailure.ReloginRequired, "Another caller's refresh was refused for good");
                }

                if (HasNewTokens(user, stale))
                {
                    return user;
                }
            }

            var now = time.GetUtcNow();
            if (user.RefreshLeaseUntil > now)
            {
                if (poll >= MaxPolls)
                {
                    throw new ProviderException(provider.Name, ProviderFailure.Transient, "Another instance is still refreshing this user's tokens");
                }

                // A real delay, not the TimeProvider's: this waits for another process, not for the simulated clock.
                await Task.Delay(PollInterval, cancellationToken);
                user = await ReadAsync(user.UserId, cancellationToken);
                continue;
            }

            user.RefreshLeaseUntil = now + LeaseDuration;
            try
            {
                user = await users.ReplaceAsync(user, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                user = await ReadAsync(user.UserId, cancellationToken);
                continue;
            }

            return await RefreshHoldingLeaseAsync(provider, user, cancellationToken);
        }
    }

    private async Task<UserEntity> RefreshHoldingLeaseAsync(IResumeProvider provider, UserEntity user, CancellationToken cancellationToken)
    {
        var spent = user.RefreshToken;
        ProviderTokens? tokens;
        try
        {
            tokens = await provider.RefreshAsync(user.RefreshToken, cancellationToken);
        }
        catch (ProviderException e) when (e.Failure != ProviderFailure.ReloginRequired)
        {
            // The next caller may try again at once. If the site did rotate the pair before the failure, that
            // refresh token is already spent, and only a new sign-in can help; nothing here can recover it.
            await ReleaseLeaseAsync(user, cancellationToken);
            throw;
        }

        user.RefreshLeaseUntil = null;
        if (tokens is null)
        {
            LogTokenNotExpired(logger, user.UserId, provider.Name);
            user.AccessTokenExpiresAt = time.GetUtcNow() + NotExpiredRecheck;
            return await users.ReplaceAsync(user, cancellationToken);
        }

        try
        {
            return await users.SaveTokensAsync(user, tokens, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // The lease ran out and someone wrote the row meanwhile. Unless they stored a newer pair, the pair
            // in hand is the only live one and must not be lost.
            var current = await ReadAsync(user.UserId, cancellationToken);
            if (current.RefreshToken != spent)
            {
                return current;
            }

            current.RefreshLeaseUntil = null;
            current.ReloginRequired = false;
            return await users.SaveTokensAsync(current, tokens, cancellationToken);
        }
    }

    /// <summary>Best effort: an unreleased lease only delays the next refresh until it runs out.</summary>
    private async Task ReleaseLeaseAsync(UserEntity user, CancellationToken cancellationToken)
    {
        user.RefreshLeaseUntil = null;
        try
        {
            await users.ReplaceAsync(user, cancellationToken);
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>
    /// Marks the user unless the row moved on since it was read: a newer token pair stored by another caller
    /// means the refusal was about a pair that is no longer in use.
    /// </summary>
    private async Task MarkReloginRequiredAsync(UserEntity user, CancellationToken cancellationToken)
    {
        if (user.ReloginRequired)
        {
            return;
        }

        var seen = user.RefreshToken;
        await OptimisticConcurrency.RunAsync(
            async () =>
            {
                var current = await users.FindAsync(user.UserId, cancellationToken);
                if (current is null || current.ReloginRequired || (current.RefreshToken != seen && current.RefreshToken.Length > 0))
                {
                    return true;
                }

                current.ReloginRequired = true;
                current.ReloginRequiredSince = time.GetUtcNow();
                current.RefreshLeaseUntil = null;
                await users.ReplaceAsync(current, cancellationToken);
                LogReloginRequired(logger, user.UserId, user.Provider);
                return true;
            },
            cancellationToken);
    }

    private static bool HasNewTokens(UserEntity current, UserEntity stale) =>
        current.RefreshToken != stale.RefreshToken
        || current.AccessTokenExpiresAt != stale.AccessTokenExpiresAt;

    private async Task<UserEntity> ReadAsync(string userId, CancellationToken cancellationToken) =>
        await users.FindAsync(userId, cancellationToken) ?? throw ApiException.Unauthorized("Unknown user");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The job site {Provider} refused the grant of user {UserId} for good; publishing pauses until they sign in again")]
    private static partial void LogReloginRequired(ILogger logger, string userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} says the access token of user {UserId} has not expired yet; keeping it")]
    private static partial void LogTokenNotExpired(ILogger logger, string userId, string provider);
}
