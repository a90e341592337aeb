using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using PushResume.Http;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>
/// The engine end to end against the fake hh.ru: the scheduler timer, the publish queue with host.json's retry
/// rules, the publisher and the poison handler, on a simulated clock that runs days in seconds.
/// </summary>
public sealed class PublishingEngineTests(ProviderSitesHost api) : IClassFixture<ProviderSitesHost>
{
    [Fact]
    public async Task A_resume_is_raised_once_per_window_and_never_early_through_a_simulated_day()
    {
        var (account, token) = await SignInAndListAsync("engday");
        var resume = account.Resumes[0];

        await api.SetEnabledAsync(token, resume.Id, true);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));
        var afterFirst = await ResumeViewAsync(token, resume.Id);
        await api.RunEngineForAsync(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));

        // Raised at once, then each time its 4-hour window opened: 6 raises in 24 hours, none refused.
        Assert.Equal(6, resume.Publishes);
        Assert.Equal(0, resume.RefusedPublishes);
        Assert.Equal(1, afterFirst["pushes"]!.GetValue<int>());
        Assert.Equal(PushStatus.Published, afterFirst["last_result"]!["status"]!.GetValue<string>());
        var firstPush = afterFirst["last_push"]!.GetValue<DateTimeOffset>();
        Assert.InRange(afterFirst["next_push"]!.GetValue<DateTimeOffset>() - firstPush, api.HeadHunter.PublishInterval, api.HeadHunter.PublishInterval + TimeSpan.FromSeconds(5));
        var row = await ResumeRowAsync(account, resume.Id);
        Assert.Equal(6, row.Pushes);
        Assert.Equal(PushStatus.Published, row.LastResult);
        Assert.InRange(row.NextPushAt!.Value - row.LastPushAt!.Value, api.HeadHunter.PublishInterval, api.HeadHunter.PublishInterval + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_resume_the_site_raised_recently_waits_for_its_next_publish_at()
    {
        var (account, token) = await SignInAndListAsync("engwait");
        var recent = account.Resumes[1];
        var allowedAt = recent.UpdatedAt!.Value + api.HeadHunter.PublishInterval;

        await api.SetEnabledAsync(token, recent.Id, true);
        var nextPush = (await ResumeRowAsync(account, recent.Id)).NextPushAt!.Value;
        await api.RunEngineForAsync(allowedAt - api.Time.GetUtcNow() - TimeSpan.FromMinutes(1));
        var beforeWindow = recent.Publishes;
        await api.RunEngineForAsync(TimeSpan.FromMinutes(2));

        Assert.InRange(nextPush, allowedAt.AddSeconds(-1), allowedAt.AddSeconds(6));
        Assert.Equal(0, beforeWindow);
        Assert.Equal(1, recent.Publishes);
        Assert.Equal(0, recent.RefusedPublishes);
    }

    [Fact]
    public async Task Switching_off_stops_the_next_raise_and_unschedules_it()
    {
        var (account, token) = await SignInAndListAsync("engoff");
        var resume = account.Resumes[0];
        await api.SetEnabledAsync(token, resume.Id, true);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));

        await api.SetEnabledAsync(token, resume.Id, false);
        await api.RunEngineForAsync(TimeSpan.FromHours(5));

        Assert.Equal(1, resume.Publishes);
        var row = await ResumeRowAsync(account, resume.Id);
        Assert.False(row.Enabled);
        Assert.Null(row.NextPushAt);
        Assert.Empty(await ScheduleRowsAsync(await api.UserIdAsync("headhunter", account.Id)));
    }

    [Fact]
    public async Task A_duplicate_or_late_message_publishes_once()
    {
        var (account, token) = await SignInAndListAsync("engdup");
        var resume = account.Resumes[0];
        await api.SetEnabledAsync(token, resume.Id, true);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        await api.RunTimerAsync("EnqueueDuePublishes");
        var queue = Queue(WorkQueues.PublishName);
        var userId = await api.UserIdAsync("headhunter", account.Id);
        var message = (await QueuedRequestsAsync()).Single(m => m.Request.UserId == userId).Text;
        await queue.SendMessageAsync(message);
        await queue.SendMessageAsync(message);

        await api.Services.GetRequiredService<DevHost.TriggerRunners>().DrainQueuesAsync(CancellationToken.None);
        api.Time.Advance(TimeSpan.FromMinutes(30));
        await queue.SendMessageAsync(message);
        await api.TickAsync();

        Assert.Equal(1, resume.Publishes);
        Assert.Equal(0, resume.RefusedPublishes);
        Assert.Equal(1, (await ResumeRowAsync(account, resume.Id)).Pushes);
    }

    [Fact]
    public async Task A_site_outage_ends_in_the_poison_queue_with_the_reason_recorded_and_the_resume_rescheduled()
    {
        var (account, token) = await SignInAndListAsync("engdown");
        var resume = account.Resumes[0];
        var publishPath = $"/resumes/{resume.Id}/publish";
        api.HeadHunter.Inject(Fault.ServiceUnavailable, times: 100, pathPrefix: publishPath);
        await api.SetEnabledAsync(token, resume.Id, true);

        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));

        // host.json's maxDequeueCount tries, each one POST (publishing is never retried inside a try).
        Assert.Equal(5, api.HeadHunter.Count("POST", publishPath));
        var view = await ResumeViewAsync(token, resume.Id);
        Assert.Equal(PushStatus.Failed, view["last_result"]!["status"]!.GetValue<string>());
        Assert.Contains("503", view["last_result"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(view["enabled"]!.GetValue<bool>());
        var retryAt = view["next_push"]!.GetValue<DateTimeOffset>();
        Assert.InRange(retryAt - api.Time.GetUtcNow(), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(5));
        Assert.Equal(0, (await Queue(WorkQueues.PublishPoisonName).GetPropertiesAsync()).Value.ApproximateMessagesCount);

        api.HeadHunter.ClearFaults();
        await api.RunEngineForAsync(TimeSpan.FromMinutes(16));

        Assert.Equal(1, resume.Publishes);
        Assert.Equal(PushStatus.Published, (await ResumeRowAsync(account, resume.Id)).LastResult);
    }

    [Fact]
    public async Task A_dead_grant_pauses_the_user_until_they_sign_in_again()
    {
        var (account, token) = await SignInAndListAsync("engdead");
        var resume = account.Resumes[0];
        await api.SetEnabledAsync(token, resume.Id, true);
        api.HeadHunter.RevokeGrants(account.Id);

        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));
        var userId = await api.UserIdAsync("headhunter", account.Id);
        var paused = await api.ResumeRowAsync(userId, resume.Id);
        var user = (await api.Table("Users").GetEntityAsync<UserEntity>(userId, UserEntity.Row)).Value;
        var publishPath = $"/resumes/{resume.Id}/publish";
        var callsWhilePaused = api.HeadHunter.Count("POST", publishPath);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(10));

        Assert.True(user.ReloginRequired);
        Assert.Equal(PushStatus.ReloginRequired, paused.LastResult);
        Assert.True(paused.Enabled);
        Assert.Null(paused.NextPushAt);
        Assert.Equal(callsWhilePaused, api.HeadHunter.Count("POST", publishPath));
        Assert.Equal(0, resume.Publishes);

        api.HeadHunter.BrowserAccount = account.Id;
        var again = await api.SignInThroughSiteAsync("headhunter");
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, resume.Publishes);
        Assert.Equal(PushStatus.Published, (await ResumeViewAsync(again, resume.Id))["last_result"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resume_the_site_will_not_raise_is_switched_off_with_the_reason()
    {
        var (account, token) = await SignInAndListAsync("engblock");
        var blocked = account.Resumes[3];
        await api.SetEnabledAsync(token, blocked.Id, true);

        await api.RunEngineForAsync(TimeSpan.FromMinutes(10));

        var view = await ResumeViewAsync(token, blocked.Id);
        Assert.False(view["enabled"]!.GetValue<bool>());
        Assert.Null(view["next_push"]);
        Assert.Equal(PushStatus.Unusable, view["last_result"]!["status"]!.GetValue<string>());
        Assert.Contains("cannot publish", view["last_result"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, api.HeadHunter.Count("POST", $"/resumes/{blocked.Id}/publish"));
    }

    [Fact]
    public async Task Two_scheduler_ticks_at_once_enqueue_each_due_resume_once()
    {
        var (account, token) = await SignInAndListAsync("engtwice");
        await api.SetEnabledAsync(token, account.Resumes[0].Id, true);
        await api.SetEnabledAsync(token, account.Resumes[5].Id, true);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));
        api.Time.Advance(api.HeadHunter.PublishInterval + TimeSpan.FromMinutes(1));
        var scheduler = api.Services.GetRequiredService<PublishScheduler>();

        var ticks = await Task.WhenAll(scheduler.RunAsync(CancellationToken.None), scheduler.RunAsync(CancellationToken.None));

        // Other tests' resumes may be due too: each due resume, theirs included, is on the queue exactly once.
        var queued = await QueuedRequestsAsync();
        var userId = await api.UserIdAsync("headhunter", account.Id);
        Assert.Equal(ticks.Sum(t => t.Enqueued), queued.Count);
        Assert.Equal(queued.Count, queued.Select(m => m.Request).Distinct().Count());
        Assert.Equal(2, queued.Count(m => m.Request.UserId == userId));
        await api.TickAsync();
        Assert.Equal(2, account.Resumes[0].Publishes);
        Assert.Equal(2, account.Resumes[5].Publishes);
    }

    [Fact]
    public async Task A_lost_message_is_enqueued_again_once_the_in_flight_time_out_passes()
    {
        var (account, token) = await SignInAndListAsync("englost");
        var resume = account.Resumes[0];
        await api.SetEnabledAsync(token, resume.Id, true);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        await api.RunTimerAsync("EnqueueDuePublishes");
        await Queue(WorkQueues.PublishName).ClearMessagesAsync();
        var scheduler = api.Services.GetRequiredService<PublishScheduler>();

        api.Time.Advance(TimeSpan.FromMinutes(1));
        var whileInFlight = await scheduler.RunAsync(CancellationToken.None);
        api.Time.Advance(new PublishingOptions().InFlightTimeout);
        var afterTimeout = await scheduler.RunAsync(CancellationToken.None);
        await api.Services.GetRequiredService<DevHost.TriggerRunners>().DrainQueuesAsync(CancellationToken.None);

        Assert.Equal(0, whileInFlight.Enqueued);
        Assert.Equal(1, afterTimeout.Recovered);
        Assert.Equal(1, resume.Publishes);
    }

    [Fact]
    public async Task A_tick_with_nothing_due_reads_one_empty_page()
    {
        var (account, token) = await SignInAndListAsync("engidle");
        await api.SetEnabledAsync(token, account.Resumes[0].Id, true);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(2));

        var idle = await api.Services.GetRequiredService<PublishScheduler>().RunAsync(CancellationToken.None);

        Assert.Equal(new SchedulerTick(EntitiesRead: 0, PagesRead: 1, Enqueued: 0, Recovered: 0), idle);
        Assert.NotEmpty(await ScheduleRowsAsync(await api.UserIdAsync("headhunter", account.Id)));
    }

    [Fact]
    public async Task Stats_count_the_pushes_of_the_last_24_hours()
    {
        var (account, token) = await SignInAndListAsync("engstats");
        await api.SetEnabledAsync(token, account.Resumes[0].Id, true);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));
        var published = (await ResumeRowAsync(account, account.Resumes[0].Id)).LastPushAt;

        api.Time.Advance(TimeSpan.FromMinutes(7));
        var recent = await HeadHunterPushesAsync();
        api.Time.Advance(TimeSpan.FromHours(24));
        var dayLater = await HeadHunterPushesAsync();

        Assert.True(recent["ok"]!.GetValue<int>() >= 1, $"published at {published}");
        Assert.True(dayLater["ok"]!.GetValue<int>() < recent["ok"]!.GetValue<int>());
    }

    [Fact]
    public void No_timer_runs_on_start_up()
    {
        var timers = FunctionCatalog.All.Where(f => f.Timer is not null).ToList();

        Assert.Equal(6, timers.Count);
        Assert.All(timers, f => Assert.False(f.Timer!.RunOnStartup, f.Name));
    }

    [Fact]
    public async Task A_catch_up_run_after_downtime_raises_everything_overdue_once()
    {
        var (account, token) = await SignInAndListAsync("engcatch");
        await api.SetEnabledAsync(token, account.Resumes[0].Id, true);
        await api.SetEnabledAsync(token, account.Resumes[5].Id, true);

        api.Time.Advance(TimeSpan.FromHours(3));
        await ActivatorUtilities.CreateInstance<Functions.PublishingFunctions>(api.Services)
            .EnqueueDuePublishes(new TimerInfo { IsPastDue = true }, CancellationToken.None);
        await api.Services.GetRequiredService<DevHost.TriggerRunners>().DrainQueuesAsync(CancellationToken.None);
        await api.TickAsync();

        Assert.Equal(1, account.Resumes[0].Publishes);
        Assert.Equal(1, account.Resumes[5].Publishes);
    }

    [Fact]
    public async Task A_cancelled_tick_enqueues_nothing_and_the_next_one_catches_up()
    {
        var (account, token) = await SignInAndListAsync("engcancel");
        await api.SetEnabledAsync(token, account.Resumes[0].Id, true);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Services.GetRequiredService<PublishScheduler>().RunAsync(cancelled.Token));
        var userId = await api.UserIdAsync("headhunter", account.Id);
        var queuedAfterCancel = (await QueuedRequestsAsync()).Count(m => m.Request.UserId == userId);
        await api.TickAsync();

        Assert.Equal(0, queuedAfterCancel);
        Assert.Equal(1, account.Resumes[0].Publishes);
    }

    [Fact]
    public async Task A_message_shown_a_little_before_its_due_time_waits_for_it()
    {
        var (account, token) = await SignInAndListAsync("engearly");
        var resume = account.Resumes[0];
        await api.SetEnabledAsync(token, resume.Id, true);
        var store = api.Services.GetRequiredService<ResumeStore>();
        var row = await ResumeRowAsync(account, resume.Id);
        var previousDue = row.NextPushAt;
        row.NextPushAt = api.Time.GetUtcNow().AddSeconds(3);
        await store.CommitAsync(row, previousDue, CancellationToken.None);

        var publishing = api.Services.GetRequiredService<ResumePublisher>()
            .PublishAsync(new PublishRequest(row.PartitionKey, row.RowKey, row.NextPushAt.Value), CancellationToken.None);
        await Task.Delay(200);
        var finishedBeforeDue = publishing.IsCompleted;
        api.Time.Advance(TimeSpan.FromSeconds(3));

        Assert.False(finishedBeforeDue);
        Assert.Equal(PushStatus.Published, await publishing);
        Assert.Equal(1, resume.Publishes);
    }

    private async Task<JsonObject> HeadHunterPushesAsync()
    {
        await api.RunTimerAsync("RefreshStats");
        api.Time.Advance(Stats.StatsService.CacheFor);
        var stats = await api.GetJsonAsync<JsonObject>("/stats");
        return stats["providers"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "headhunter")!["pushes"]!.AsObject();
    }

    private async Task<(FakeHeadHunter.Account Account, string Token)> SignInAndListAsync(string accountId)
    {
        var (account, token) = await api.SignInToHeadHunterAsync(accountId);
        await api.GetJsonAsync<JsonArray>("/resume", token);
        return (account, token);
    }


    private async Task<JsonObject> ResumeViewAsync(string token, string uniq) =>
        (await api.GetJsonAsync<JsonArray>("/resume", token)).Single(r => r!["uniq"]!.GetValue<string>() == uniq)!.AsObject();

    private async Task<ResumeEntity> ResumeRowAsync(FakeHeadHunter.Account account, string resumeId) =>
        await api.ResumeRowAsync(await api.UserIdAsync("headhunter", account.Id), resumeId);

    private async Task<List<TableEntity>> ScheduleRowsAsync(string userId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in api.Table("PublishSchedule").QueryAsync<TableEntity>(r => r.GetString(nameof(ScheduleEntity.UserId)) == userId))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<(string Text, PublishRequest Request)>> QueuedRequestsAsync() =>
        [.. (await Queue(WorkQueues.PublishName).PeekMessagesAsync(32)).Value
            .Select(m => (m.MessageText, System.Text.Json.JsonSerializer.Deserialize<PublishRequest>(m.MessageText)!))];

    private QueueClient Queue(string name) => api.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(name);
}
