using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PushResume.Auth;
using PushResume.Maintenance;
using PushResume.Providers;
using PushResume.Security;
using PushResume.Stats;
using PushResume.Storage;

namespace PushResume.Functions;

/// <summary>
/// Periodic upkeep. Every run works from the stored rows as they are, so a skipped slot is made up by the next
/// run and a catch-up run after downtime (<c>IsPastDue</c>) is an ordinary run; none sets <c>RunOnStartup</c>.
/// </summary>
public sealed partial class MaintenanceFunctions(
    SignInStateService states,
    TokenKeyRotation rotation,
    TokenUpkeep tokens,
    CleanupService cleanup,
    StatsService stats,
    ILogger<MaintenanceFunctions> logger)
{
    /// <summary>Spent sign-in states only matter until they expire; this keeps their table small.</summary>
    [Function("PurgeSpentSignInStates")]
    public async Task PurgeSpentSignInStates(
        [TimerTrigger("%PurgeSpentSignInStatesSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        var purged = await states.PurgeExpiredAsync(cancellationToken);
        LogPurged(logger, purged, timer.IsPastDue);
    }

    /// <summary>
    /// After <c>TokenEncryption__CurrentKeyId</c> names a new key, moves stored tokens onto it; the old key can be
    /// removed once a run reports nothing left to move and nothing unreadable.
    /// </summary>
    [Function("ReencryptProviderTokens")]
    public Task ReencryptProviderTokens(
        [TimerTrigger("%ReencryptProviderTokensSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        rotation.RunAsync(cancellationToken);

    [Function("RefreshProviderTokens")]
    public Task RefreshProviderTokens(
        [TimerTrigger("%RefreshProviderTokensSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        tokens.RunAsync(cancellationToken);

    [Function("CleanUp")]
    public Task CleanUp(
        [TimerTrigger("%CleanupSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);

    [Function("CleanUpUser")]
    public Task CleanUpUser(
        [QueueTrigger(WorkQueues.CleanupName)] CleanupRequest request,
        CancellationToken cancellationToken) =>
        cleanup.CleanUpUserAsync(request, cancellationToken);

    /// <summary>The original API promised figures updated every 5 minutes, so this schedule is fixed.</summary>
    [Function("RefreshStats")]
    public Task RefreshStats(
        [TimerTrigger("0 */5 * * * *")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        stats.ComputeAndStoreAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} spent sign-in states (past due: {IsPastDue})")]
    private static partial void LogPurged(ILogger logger, int count, bool isPastDue);
}
