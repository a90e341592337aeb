using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PushResume.Auth;
using PushResume.Security;

namespace PushResume.Functions;

public sealed partial class MaintenanceFunctions(SignInStateService states, TokenKeyRotation rotation, ILogger<MaintenanceFunctions> logger)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} spent sign-in states (past due: {IsPastDue})")]
    private static partial void LogPurged(ILogger logger, int count, bool isPastDue);
}
