using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Reliability;

/// <summary>
/// Azurite stopped and started again (its data on disk) in the middle of a toggle and of a scheduler run: the API
/// answers 503 while storage is down, and once it is back no work is lost and none is done twice.
/// </summary>
[Trait("Category", "StorageFaults")]
public sealed class StorageFaultTests(StorageFaultTests.RestartableStorageHost api) : IClassFixture<StorageFaultTests.RestartableStorageHost>
{
    [Fact]
    public async Task A_toggle_while_storage_is_down_is_a_503_and_the_same_toggle_works_once_it_is_back()
    {
        var token = await api.SignInAsync("storage-toggle");
        var uniq = (await api.GetJsonAsync<JsonArray>("/resume", token))[0]!["uniq"]!.GetValue<string>();

        await api.Azurite.StopAsync();
        using var whileDown = await api.SendAsync(HttpMethod.Post, "/resume", token, ApiHost.Json(new { uniq, enabled = true }));
        using var listWhileDown = await api.SendAsync(HttpMethod.Get, "/resume", token);
        var error = await whileDown.Content.ReadFromJsonAsync<JsonObject>();
        await api.Azurite.StartAsync();
        await api.SetEnabledAsync(token, uniq, true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileDown.StatusCode);
        Assert.Equal(503, error!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, listWhileDown.StatusCode);
        var row = await api.ResumeRowAsync(TestTokens.SubjectOf(token), uniq);
        Assert.True(row.Enabled);
        Assert.Single(api.Table("PublishSchedule").Query<ScheduleEntity>(r => r.UserId == row.PartitionKey && r.DueAt == row.NextPushAt));
    }

    [Fact]
    public async Task A_scheduler_run_cut_short_by_storage_loses_no_raise_and_repeats_none()
    {
        var resumes = new List<(string UserId, string Uniq)>();
        for (var user = 0; user < 10; user++)
        {
            var token = await api.SignInAsync($"storage-tick-{user}");
            foreach (var resume in await api.GetJsonAsync<JsonArray>("/resume", token))
            {
                var uniq = resume!["uniq"]!.GetValue<string>();
                await api.SetEnabledAsync(token, uniq, true);
                resumes.Add((TestTokens.SubjectOf(token), uniq));
            }
        }

        api.Time.Advance(TimeSpan.FromMinutes(1));
        var tick = api.Services.GetRequiredService<PublishScheduler>().RunAsync(CancellationToken.None);
        await Task.Delay(15);
        await api.Azurite.StopAsync();
        var cut = await Record.ExceptionAsync(() => tick);
        await api.Azurite.StartAsync();
        // The rows the cut run claimed without enqueuing come back once their claim is older than the in-flight time-out.
        await api.RunEngineForAsync(TimeSpan.FromMinutes(1));
        api.Time.Advance(new PublishingOptions().InFlightTimeout);
        await api.RunEngineForAsync(TimeSpan.FromMinutes(2));

        foreach (var (userId, uniq) in resumes)
        {
            var row = await api.ResumeRowAsync(userId, uniq);
            Assert.Equal(1, row.Pushes);
            Assert.Equal(PushStatus.Published, row.LastResult);
            Assert.NotNull(row.NextPushAt);
        }
        Assert.True(cut is null || StorageFailures.IsUnavailable(cut), $"the cut run failed with {cut}");
    }

    /// <summary>Azurite keeps its data on disk, so a restart in the middle of a test loses none of it.</summary>
    public sealed class RestartableStorageHost : ApiHost
    {
        protected override bool KeepStorageAcrossRestarts => true;
    }
}
