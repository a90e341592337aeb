using Microsoft.Extensions.Logging;
using PushResume.Http;
using PushResume.Storage;

namespace PushResume.Providers;

/// <param name="Refreshed">Users whose tokens were refreshed.</param>
/// <param name="Lost">Users whose site refused the refresh for good: marked re-login-required.</param>
/// <param name="Failed">Users whose refresh failed for now; the next run or their next raise tries again.</param>
public sealed record TokenUpkeepResult(int Refreshed, int Lost, int Failed);

/// <summary>
/// Refreshes the provider tokens that need it under each site's rules, so a user whose resumes are all switched off
/// or far from due still has a working grant when they are next needed.
/// </summary>
public sealed partial class TokenUpkeep(ProviderCatalog providers, UserStore users, ProviderSessions sessions, TimeProvider time, ILogger<TokenUpkeep> logger)
{
    public async Task<TokenUpkeepResult> RunAsync(CancellationToken cancellationToken)
    {
        var horizon = time.GetUtcNow() + providers.All.Select(p => p.RefreshAhead).DefaultIfEmpty().Max();
        int refreshed = 0, lost = 0, failed = 0;
        await foreach (var user in users.ListExpiringAsync(horizon, cancellationToken))
        {
            try
            {
                refreshed += await sessions.RefreshIfDueAsync(user, cancellationToken) ? 1 : 0;
            }
            catch (ProviderException e) when (e.Failure == ProviderFailure.ReloginRequired)
            {
                lost++;
            }
            catch (Exception e) when (e is ProviderException or ApiException)
            {
                failed++;
                LogFailed(logger, e, user.UserId, user.Provider);
            }
        }

        var result = new TokenUpkeepResult(refreshed, lost, failed);
        LogDone(logger, refreshed, lost, failed);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the {Provider} tokens of user {UserId} for now")]
    private static partial void LogFailed(ILogger logger, Exception exception, string userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token upkeep: {Refreshed} refreshed, {Lost} need a new sign-in, {Failed} failed for now")]
    private static partial void LogDone(ILogger logger, int refreshed, int lost, int failed);
}
