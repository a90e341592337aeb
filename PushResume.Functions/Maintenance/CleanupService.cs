using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Stats;
using PushResume.Storage;

namespace PushResume.Maintenance;

/// <param name="UsersForgotten">Users whose sign-in had been dead longer than <see cref="PublishingOptions.ForgetDeadSignInsAfter"/>.</param>
/// <param name="UsersQueued">Users whose resume lists are to be checked, one queue message each.</param>
/// <param name="PushLogRowsPurged">Push log rows older than the stats look back.</param>
public sealed record CleanupResult(int UsersForgotten, int UsersQueued, int PushLogRowsPurged);

/// <summary>One user's resume list to check against the site.</summary>
public sealed record CleanupRequest([property: JsonPropertyName("userId")] string UserId);

/// <summary>
/// The daily sweep: forgets users who have not signed in again for long after their grant died, and fans out one
/// message per other user, whose handler forgets the resumes the site no longer lists (switched on or off alike,
/// but never one merely because it is off). Fanning out keeps the timer run short however many users there are,
/// and spreads the listing calls over the queue's instances.
/// </summary>
public sealed partial class CleanupService(
    UserStore users,
    ResumeStore resumes,
    ProviderSessions sessions,
    AccountService accounts,
    PushLogStore pushLog,
    WorkQueues queues,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ILogger<CleanupService> logger)
{
    /// <summary>The window the stats count, and an hour more for a late stats run.</summary>
    public static readonly TimeSpan PushLogRetention = PushBuckets.Window + TimeSpan.FromHours(1);

    public async Task<CleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int forgotten = 0, queued = 0;
        await foreach (var stored in users.ListStoredAsync(cancellationToken))
        {
            if (!stored.ReloginRequired)
            {
                await WorkQueues.SendAsync(queues.Cleanup, new CleanupRequest(stored.UserId), cancellationToken);
                queued++;
            }
            else if (now - (stored.ReloginRequiredSince ?? stored.Timestamp ?? now) >= options.Value.ForgetDeadSignInsAfter)
            {
                await accounts.ForgetAsync(stored, cancellationToken);
                forgotten++;
            }
        }

        var purged = await pushLog.PurgeBeforeAsync(now - PushLogRetention, cancellationToken);
        var result = new CleanupResult(forgotten, queued, purged);
        LogDone(logger, forgotten, queued, purged);
        return result;
    }

    /// <summary>
    /// Forgets the user's resumes that the site no longer lists; returns how many. A failed listing forgets
    /// nothing and is not retried: an outage must not look like deleted resumes, and tomorrow's run asks again.
    /// </summary>
    public async Task<int> CleanUpUserAsync(CleanupRequest request, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(request.UserId, cancellationToken) is not { ReloginRequired: false } user)
        {
            return 0;
        }

        try
        {
            var listed = await sessions.CallAsync(user, (provider, accessToken) => provider.ListResumesAsync(accessToken, cancellationToken), cancellationToken);
            var gone = await resumes.ForgetUnlistedAsync(user.UserId, listed, cancellationToken);
            if (gone > 0)
            {
                LogForgotten(logger, gone, user.UserId);
            }

            return gone;
        }
        catch (Exception e) when (e is ProviderException or ApiException)
        {
            LogUnreachable(logger, e, user.UserId, user.Provider);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} resumes of user {UserId} that the site no longer lists")]
    private static partial void LogForgotten(ILogger logger, int count, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleanup could not list the {Provider} resumes of user {UserId}; keeping them")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: forgot {Users} users with dead sign-ins, queued {Queued} users' resume lists, purged {Purged} push log rows")]
    private static partial void LogDone(ILogger logger, int users, int queued, int purged);
}
