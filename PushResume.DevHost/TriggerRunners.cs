using Azure.Storage.Queues;
using PushResume.Http;

namespace PushResume.DevHost;

/// <summary>
/// The non-HTTP functions of the app, ready to run: a runner per timer function and a listener per queue function.
/// Tests and benchmarks use them to drive the engine step by step.
/// </summary>
public sealed class TriggerRunners
{
    /// <summary>Set <c>DevHost__RunTriggers</c> to false to serve HTTP only and run triggers on demand.</summary>
    public const string RunTriggersSetting = "DevHost:RunTriggers";

    public TriggerRunners(IServiceProvider services, IConfiguration configuration, HostJson hostJson, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("PushResume.DevHost.Triggers");
        Timers = FunctionCatalog.All
            .Where(f => f.Timer is not null)
            .ToDictionary(f => f.Name, f => new TimerTriggerRunner(f, BindingExpressions.Resolve(f.Timer!.Schedule, configuration), services, time, logger), StringComparer.OrdinalIgnoreCase);
        var queues = services.GetRequiredService<QueueServiceClient>();
        Queues = FunctionCatalog.All
            .Where(f => f.Queue is not null)
            .ToDictionary(f => f.Name, f => new QueueTriggerListener(f, queues, hostJson.Queues, services, logger), StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, TimerTriggerRunner> Timers { get; }

    public IReadOnlyDictionary<string, QueueTriggerListener> Queues { get; }

    /// <summary>Runs a timer function once now, as the Functions host's admin API does.</summary>
    public Task RunTimerNowAsync(string name, CancellationToken cancellationToken) => Timers[name].RunNowAsync(cancellationToken);

    /// <summary>Runs every queue function until all their queues are empty (messages hidden after a failure wait).</summary>
    public async Task DrainQueuesAsync(CancellationToken cancellationToken)
    {
        int received;
        do
        {
            received = 0;
            foreach (var listener in Queues.Values)
            {
                received += await listener.RunOnceAsync(cancellationToken);
            }
        }
        while (received > 0);
    }
}

/// <summary>Runs every timer and queue function in the background unless <see cref="TriggerRunners.RunTriggersSetting"/> is false.</summary>
internal sealed class TriggerService(TriggerRunners runners, IConfiguration configuration) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration.GetValue(TriggerRunners.RunTriggersSetting, true)
            ? Task.WhenAll(runners.Timers.Values.Select(t => t.RunAsync(stoppingToken)).Concat(runners.Queues.Values.Select(q => q.RunAsync(stoppingToken))))
            : Task.CompletedTask;
}
