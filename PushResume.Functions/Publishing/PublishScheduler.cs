using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushResume.Storage;

namespace PushResume.Publishing;

/// <param name="EntitiesRead">Index rows the tick read: the ones due within the lookahead, including those in flight.</param>
/// <param name="Recovered">Raises enqueued again because their earlier message never came back with an outcome.</param>
public sealed record SchedulerTick(int EntitiesRead, int PagesRead, int Enqueued, int Recovered);

/// <summary>
/// Finds the raises that are due, or will be before the next tick (<see cref="PublishingOptions.Lookahead"/>), and
/// puts one message per resume on the publish queue, hidden until its due time. It only reads the schedule index
/// and enqueues, never calls a site, so a tick takes milliseconds per due resume whatever the load.
/// </summary>
public sealed partial class PublishScheduler(
    ScheduleStore schedule,
    WorkQueues queues,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ILogger<PublishScheduler> logger)
{
    /// <summary>Claims and enqueues run this many at a time: each is two round trips to storage.</summary>
    private const int Parallelism = 16;

    public async Task<SchedulerTick> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lostBefore = now - options.Value.InFlightTimeout;
        var read = 0;
        var pages = 0;
        var due = new List<ScheduleEntity>();
        await foreach (Page<ScheduleEntity> page in schedule.QueryDueAsync(now + options.Value.Lookahead, cancellationToken).AsPages())
        {
            pages++;
            read += page.Values.Count;
            due.AddRange(page.Values.Where(r => !(r.EnqueuedAt > lostBefore)));
        }

        var enqueued = 0;
        var recovered = 0;
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                // The claim comes first: a tick that loses it leaves the row to the winner, and a message lost
                // after the claim is recovered once the claim is older than the in-flight time-out.
                if (!await schedule.TryClaimAsync(row, now, token))
                {
                    return;
                }

                var hiddenFor = row.DueAt > now ? row.DueAt - now : TimeSpan.Zero;
                await WorkQueues.SendAsync(queues.Publish, new PublishRequest(row.UserId, row.ResumeKey, row.DueAt), token, hiddenFor);
                Interlocked.Increment(ref enqueued);
                if (row.EnqueuedAt is not null)
                {
                    Interlocked.Increment(ref recovered);
                    LogRecovered(logger, row.UserId, row.ResumeKey, row.EnqueuedAt.Value);
                }
            });

        var tick = new SchedulerTick(read, pages, enqueued, recovered);
        if (enqueued > 0)
        {
            LogTick(logger, enqueued, recovered, read);
        }

        return tick;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Enqueued {Enqueued} due raises ({Recovered} recovered) after reading {Read} schedule rows")]
    private static partial void LogTick(ILogger logger, int enqueued, int recovered, int read);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The raise of resume {ResumeKey} of user {UserId} enqueued at {EnqueuedAt} never finished; enqueuing it again")]
    private static partial void LogRecovered(ILogger logger, string userId, string resumeKey, DateTimeOffset enqueuedAt);
}
