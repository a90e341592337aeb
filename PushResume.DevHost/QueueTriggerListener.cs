using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using PushResume.Http;

namespace PushResume.DevHost;

/// <summary>
/// Feeds a queue function from its Storage queue the way the Functions host does, with host.json's settings: up
/// to <c>batchSize</c> messages at once; a message that succeeds is deleted; one that fails comes back after
/// <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> tries it moves to <c>{queue}-poison</c>. An idle
/// queue is polled less and less often, up to <c>maxPollingInterval</c>.
/// </summary>
public sealed partial class QueueTriggerListener(FunctionEntry function, QueueServiceClient queues, QueueSettings settings, IServiceProvider services, ILogger logger)
{
    /// <summary>A received message stays hidden this long while it runs, as with the Functions host.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private readonly QueueClient queue = queues.GetQueueClient(function.Queue!.QueueName);
    private readonly QueueClient poison = queues.GetQueueClient(function.Queue!.QueueName + "-poison");

    /// <summary>Receives one batch and runs it; returns how many messages it received.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(settings.BatchSize, RunTimeout, cancellationToken);
        await Task.WhenAll(messages.Select(m => ProcessAsync(m, cancellationToken)));
        return messages.Length;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idle = MinPollingInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = 0;
            try
            {
                received = await RunOnceAsync(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogPollFailed(logger, e, queue.Name);
            }

            if (received > 0)
            {
                idle = MinPollingInterval;
                continue;
            }

            // Real time: this waits for Azurite, not for the app's clock.
            await Task.Delay(idle, cancellationToken);
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await FunctionInvoker.InvokeQueueAsync(function, services, message.MessageText, cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.MessageText, cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                LogPoisoned(logger, e, function.Name, message.MessageId, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
                LogFailed(logger, e, function.Name, message.MessageId, message.DequeueCount);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} failed on message {MessageId} (try {DequeueCount}); it will be tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on message {MessageId} {DequeueCount} times; moved it to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not poll queue {Queue}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);
}
