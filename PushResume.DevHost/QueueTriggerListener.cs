using Azure;
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
        Exception? failure = null;
        try
        {
            await FunctionInvoker.InvokeQueueAsync(function, services, message.MessageText, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        try
        {
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            else if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await poison.SendMessageAsync(message.MessageText, cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                LogPoisoned(logger, failure, function.Name, message.MessageId, message.DequeueCount);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
                LogFailed(logger, failure, function.Name, message.MessageId, message.DequeueCount);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The receipt is stale (a retried delete that had already succeeded, or the message came back after
            // RunTimeout and another run took it): the message is gone or in other hands, as with the Functions host.
            LogReceiptLost(logger, function.Name, message.MessageId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function} failed on message {MessageId} (try {DequeueCount}); it will be tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on message {MessageId} {DequeueCount} times; moved it to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string function, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function}: message {MessageId} was no longer held when its run ended")]
    private static partial void LogReceiptLost(ILogger logger, string function, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not poll queue {Queue}")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string queue);
}
