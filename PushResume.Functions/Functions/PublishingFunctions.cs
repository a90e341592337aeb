using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Functions;

/// <summary>
/// The engine: a timer enqueues the raises that are due, one queue message per resume, and a queue function raises
/// each. Timers never set <c>RunOnStartup</c>, which would run them again on every restart and scale-out; after
/// downtime the host fires one catch-up run (<c>IsPastDue</c>), and each run picks up whatever is overdue.
/// </summary>
public sealed partial class PublishingFunctions(PublishScheduler scheduler, ResumePublisher publisher, ILogger<PublishingFunctions> logger)
{
    [Function("EnqueueDuePublishes")]
    public async Task EnqueueDuePublishes(
        [TimerTrigger("%EnqueueDuePublishesSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        var tick = await scheduler.RunAsync(cancellationToken);
        if (timer.IsPastDue)
        {
            LogCatchUp(logger, tick.Enqueued);
        }
    }

    /// <summary>A failure is thrown on purpose: the queue tries again after host.json's visibilityTimeout.</summary>
    [Function("PublishResume")]
    public Task PublishResume(
        [QueueTrigger(WorkQueues.PublishName)] PublishRequest request,
        CancellationToken cancellationToken) =>
        publisher.PublishAsync(request, cancellationToken);

    [Function("RecordFailedPublish")]
    public Task RecordFailedPublish(
        [QueueTrigger(WorkQueues.PublishPoisonName)] PublishRequest request,
        CancellationToken cancellationToken) =>
        publisher.RecordFailureAsync(request, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up run after missed schedule slots enqueued {Enqueued} overdue raises")]
    private static partial void LogCatchUp(ILogger logger, int enqueued);
}
