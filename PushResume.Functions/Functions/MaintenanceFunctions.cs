using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PushResume.Auth;

namespace PushResume.Functions;

public sealed partial class MaintenanceFunctions(SignInStateService states, ILogger<MaintenanceFunctions> logger)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} spent sign-in states (past due: {IsPastDue})")]
    private static partial void LogPurged(ILogger logger, int count, bool isPastDue);
}
