using Microsoft.Azure.Functions.Worker;
using NCrontab;
using PushResume.Http;

namespace PushResume.DevHost;

/// <summary>
/// Fires a timer function on its NCRONTAB schedule (six fields, with seconds, in UTC), with the clock the app uses,
/// one run at a time as the Functions host does. Like the host without a schedule monitor, a missed slot is not
/// made up, so runs are never past due.
/// </summary>
public sealed partial class TimerTriggerRunner(FunctionEntry function, string schedule, IServiceProvider services, TimeProvider time, ILogger logger)
{
    private readonly CrontabSchedule crontab = Parse(schedule);

    private static CrontabSchedule Parse(string schedule) =>
        CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    /// <summary>One run now, outside the schedule.</summary>
    public Task RunNowAsync(CancellationToken cancellationToken) =>
        FunctionInvoker.InvokeTimerAsync(function, services, new TimerInfo(), cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTime? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // Strictly after the last slot: a delay that ends a moment early must not fire the same slot twice.
            var next = crontab.GetNextOccurrence(last is { } previous && previous > now ? previous : now);
            await Task.Delay(next - now, time, cancellationToken);
            var timer = new TimerInfo
            {
                ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = crontab.GetNextOccurrence(next), LastUpdated = next },
            };
            try
            {
                await FunctionInvoker.InvokeTimerAsync(function, services, timer, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, e, function.Name);
            }

            last = next;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed; it runs again at its next slot")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
