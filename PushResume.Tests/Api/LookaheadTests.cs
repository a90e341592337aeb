using Azure.Storage.Queues;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>
/// The scheduler's lookahead against Azurite's real queue: a raise due before the next tick is enqueued now,
/// hidden until its due time, so it happens on time rather than a tick late.
/// </summary>
public sealed class LookaheadTests(LookaheadTests.LookaheadHost api) : IClassFixture<LookaheadTests.LookaheadHost>
{
    [Fact]
    public async Task A_raise_due_before_the_next_tick_is_enqueued_hidden_until_due_and_later_ones_are_not_read()
    {
        var now = api.Time.GetUtcNow();
        var soon = await IndexAsync("soon", now.AddSeconds(5));
        await IndexAsync("later", now.AddMinutes(2));
        var queue = api.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(WorkQueues.PublishName);

        var tick = await api.Services.GetRequiredService<PublishScheduler>().RunAsync(CancellationToken.None);
        var visibleAtOnce = (await queue.PeekMessagesAsync(32)).Value.Length;
        var shown = await WaitForMessageAsync(queue);

        Assert.Equal(new SchedulerTick(EntitiesRead: 1, PagesRead: 1, Enqueued: 1, Recovered: 0), tick);
        Assert.Equal(0, visibleAtOnce);
        Assert.Equal(new PublishRequest(soon.UserId, soon.ResumeKey, soon.DueAt), shown);
    }

    private async Task<ScheduleEntity> IndexAsync(string name, DateTimeOffset due)
    {
        var row = new ScheduleEntity
        {
            PartitionKey = ScheduleEntity.PartitionFor(due),
            RowKey = ScheduleEntity.RowFor(name, "r1"),
            UserId = name,
            ResumeKey = "r1",
            DueAt = due,
        };
        await api.Table("PublishSchedule").AddEntityAsync(row);
        return row;
    }

    /// <summary>Real time: the queue service shows the message when its hiding time is over.</summary>
    private static async Task<PublishRequest> WaitForMessageAsync(QueueClient queue)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var peeked = (await queue.PeekMessagesAsync(32)).Value;
            if (peeked.Length > 0 || DateTime.UtcNow > deadline)
            {
                return System.Text.Json.JsonSerializer.Deserialize<PublishRequest>(Assert.Single(peeked).MessageText)!;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The production default: a minute's lookahead.</summary>
    public sealed class LookaheadHost : ApiHost
    {
        public override Dictionary<string, string> Settings()
        {
            var settings = base.Settings();
            settings["Publishing__Lookahead"] = "00:01:00";
            return settings;
        }
    }
}
