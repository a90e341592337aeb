using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Reliability;

/// <summary>
/// A simulated day of the engine while both fake sites spoil a fifth of all calls (503, non-JSON 500, the
/// anti-bot page, replies slower than the time-out), then the faults stop.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ProviderChaosTests(ProviderSitesHost api, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ProviderSitesHost>
{
    private const double FaultRate = 0.2;

    [Fact]
    public async Task A_day_at_twenty_percent_faults_raises_nothing_twice_loses_no_toggle_shows_every_failure_and_recovers()
    {
        var (hh, hhToken) = await api.SignInToHeadHunterAsync("chaos");
        await api.GetJsonAsync<JsonArray>("/resume", hhToken);
        var sj = api.SuperJob.AddAccount(9101, resumes: 2);
        api.SuperJob.BrowserAccount = sj.Id;
        var sjToken = await api.SignInThroughSiteAsync("superjob");
        await api.GetJsonAsync<JsonArray>("/resume", sjToken);
        var hhUser = TestTokens.SubjectOf(hhToken);
        var sjUser = TestTokens.SubjectOf(sjToken);
        await api.SetEnabledAsync(hhToken, hh.Resumes[0].Id, true);
        await api.SetEnabledAsync(hhToken, hh.Resumes[5].Id, true);
        await api.SetEnabledAsync(sjToken, Id(sj.Resumes[0].Id), true);
        await api.SetEnabledAsync(sjToken, Id(sj.Resumes[1].Id), true);
        api.HeadHunter.SlowDelay = api.SuperJob.SlowDelay = TimeSpan.FromSeconds(2.5);
        api.HeadHunter.ChaosRate = api.SuperJob.ChaosRate = FaultRate;

        await api.RunEngineForAsync(TimeSpan.FromHours(12));
        // Switched off mid-day through the API, which needs no site: the engine must not raise it again.
        var switchedOffAt = api.Time.GetUtcNow();
        await api.SetEnabledAsync(TestTokens.Sign(sjUser, switchedOffAt), Id(sj.Resumes[1].Id), false);
        var raisesWhenSwitchedOff = sj.Resumes[1].Raises;
        await api.RunEngineForAsync(TimeSpan.FromHours(12));
        var spoiled = api.HeadHunter.ChaosFaults + api.SuperJob.ChaosFaults;
        api.HeadHunter.ChaosRate = api.SuperJob.ChaosRate = 0;
        await api.RunEngineForAsync(TimeSpan.FromMinutes(20));

        output.WriteLine($"Faults injected: {spoiled} of {api.HeadHunter.Requests.Count + api.SuperJob.Requests.Count} site calls; hh raises {hh.Resumes[0].Publishes}, {hh.Resumes[5].Publishes} (refused {hh.Resumes[0].RefusedPublishes}, {hh.Resumes[5].RefusedPublishes}); " +
            $"SuperJob raises {sj.Resumes[0].Raises}, {sj.Resumes[1].Raises} (refused {sj.Resumes[0].RefusedRaises}, {sj.Resumes[1].RefusedRaises}); failed outcomes logged {await FailedOutcomesAsync()}");
        Assert.True(spoiled >= 10, $"only {spoiled} faults were injected");

        // Raised through the day, and never twice in one window: the sites refused no raise as too early,
        // except where a reply slower than the time-out left the outcome unknown and the retry met the window.
        Assert.InRange(hh.Resumes[0].Publishes, 5, 7);
        Assert.InRange(hh.Resumes[5].Publishes, 5, 7);
        Assert.InRange(sj.Resumes[0].Raises, 20, 25);
        Assert.True(hh.Resumes[0].RefusedPublishes + hh.Resumes[5].RefusedPublishes + sj.Resumes[0].RefusedRaises <= api.HeadHunter.ChaosFaults + api.SuperJob.ChaosFaults);

        // No toggle lost.
        Assert.Equal(raisesWhenSwitchedOff, sj.Resumes[1].Raises);
        var off = await api.ResumeRowAsync(sjUser, Id(sj.Resumes[1].Id));
        Assert.False(off.Enabled);
        Assert.Null(off.NextPushAt);

        // Each fault was met by the queue's next try (PublishingEngineTests shows a failure recorded on the resume
        // and in poison when every try fails); once the faults stopped, everything switched on is raised or
        // waiting for its window, and nothing is left in poison.
        foreach (var (user, resume) in new[] { (hhUser, hh.Resumes[0].Id), (hhUser, hh.Resumes[5].Id), (sjUser, Id(sj.Resumes[0].Id)) })
        {
            var row = await api.ResumeRowAsync(user, resume);
            Assert.True(row.Enabled);
            Assert.NotNull(row.NextPushAt);
            Assert.Contains(row.LastResult, new[] { PushStatus.Published, PushStatus.TooEarly });
        }

        var poison = api.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(WorkQueues.PublishPoisonName);
        Assert.Equal(0, (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<int> FailedOutcomesAsync()
    {
        var failed = 0;
        await foreach (var row in api.Table("PushLog").QueryAsync<TableEntity>(r => r.GetString("Outcome") == PushStatus.Failed))
        {
            failed++;
        }

        return failed;
    }
}
