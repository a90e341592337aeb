using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Maintenance;

/// <param name="UsersForgotten">Users whose sign-in had been dead longer than <see cref="PublishingOptions.ForgetDeadSignInsAfter"/>.</param>
/// <param name="ResumesForgotten">Resumes the site no longer lists.</param>
/// <param name="UsersUnreachable">Users whose resume list could not be read this time.</param>
/// <param name="PushLogRowsPurged">Push log rows older than the stats look back.</param>
public sealed record CleanupResult(int UsersForgotten, int ResumesForgotten, int UsersUnreachable, int PushLogRowsPurged);

/// <summary>
/// The daily sweep: forgets resumes the site no longer lists (switched on or off alike, but never one merely
/// because it is off) and users who have not signed in again for long after their grant died.
/// </summary>
public sealed partial class CleanupService(
    UserStore users,
    ResumeStore resumes,
    ProviderSessions sessions,
    AccountService accounts,
    PushLogStore pushLog,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ILogger<CleanupService> logger)
{
    /// <summary>The stats count the last 24 hours; an hour more leaves room for a late stats run.</summary>
    public static readonly TimeSpan PushLogRetention = TimeSpan.FromHours(25);

    public async Task<CleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int usersForgotten = 0, resumesForgotten = 0, unreachable = 0;
        await foreach (var stored in users.ListStoredAsync(cancellationToken))
        {
            if (stored.ReloginRequired)
            {
                var since = stored.ReloginRequiredSince ?? stored.Timestamp ?? now;
                if (now - since >= options.Value.ForgetDeadSignInsAfter)
                {
                    await accounts.ForgetAsync(stored, cancellationToken);
                    usersForgotten++;
                }

                continue;
            }

            if (await users.FindAsync(stored.UserId, cancellationToken) is not { } user)
            {
                continue;
            }

            try
            {
                var listed = await sessions.CallAsync(user, (provider, accessToken) => provider.ListResumesAsync(accessToken, cancellationToken), cancellationToken);
                resumesForgotten += await resumes.ForgetUnlistedAsync(user.UserId, listed, cancellationToken);
            }
            catch (Exception e) when (e is ProviderException or ApiException)
            {
                // Nothing is forgotten on a failed listing: an outage must not look like deleted resumes.
                unreachable++;
                LogUnreachable(logger, e, user.UserId, user.Provider);
            }
        }

        var purged = await pushLog.PurgeBeforeAsync(now - PushLogRetention, cancellationToken);
        var result = new CleanupResult(usersForgotten, resumesForgotten, unreachable, purged);
        LogDone(logger, usersForgotten, resumesForgotten, unreachable, purged);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleanup could not list the {Provider} resumes of user {UserId}; keeping them")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleanup: forgot {Users} users and {Resumes} resumes, {Unreachable} users unreachable, purged {Purged} push log rows")]
    private static partial void LogDone(ILogger logger, int users, int resumes, int unreachable, int purged);
}
