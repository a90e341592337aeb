using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PushResume.Maintenance;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>The daily cleanup, and SuperJob's fixed interval, against the fake sites.</summary>
public sealed class MaintenanceTests(ProviderSitesHost api) : IClassFixture<ProviderSitesHost>
{
    [Fact]
    public async Task Cleanup_forgets_resumes_the_site_dropped_but_keeps_those_merely_switched_off()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("cleanup");
        await api.GetJsonAsync<JsonArray>("/resume", token);
        var dropped = account.Resumes[0];
        await api.SetEnabledAsync(token, dropped.Id, true);
        account.Resumes.Remove(dropped);

        var result = await RunCleanupAsync();

        var userId = await api.UserIdAsync("headhunter", account.Id);
        var kept = api.Table("Resumes").Query<ResumeEntity>(r => r.PartitionKey == userId).Select(r => r.ResumeId).ToList();
        Assert.True(result.UsersQueued >= 1);
        Assert.Equal(account.Resumes.Select(r => r.Id).Order(StringComparer.Ordinal), kept.Order(StringComparer.Ordinal));
        Assert.Empty(api.Table("PublishSchedule").Query<ScheduleEntity>(r => r.UserId == userId));
    }

    [Fact]
    public async Task Cleanup_forgets_a_user_whose_sign_in_stayed_dead_past_the_retention()
    {
        var (account, _) = await api.SignInToHeadHunterAsync("cleanupdead");
        api.HeadHunter.RevokeGrants(account.Id);
        api.Time.Advance(api.HeadHunter.AccessTokenLifetime + TimeSpan.FromMinutes(1));
        await api.Services.GetRequiredService<TokenUpkeep>().RunAsync(CancellationToken.None);
        var userId = await api.UserIdAsync("headhunter", account.Id);
        var whileRecent = await RunCleanupAsync();
        var keptWhileRecent = await api.Table("Users").GetEntityIfExistsAsync<UserEntity>(userId, UserEntity.Row);
        api.Time.Advance(new PublishingOptions().ForgetDeadSignInsAfter);
        var afterRetention = await RunCleanupAsync();

        Assert.Equal(0, whileRecent.UsersForgotten);
        Assert.True(afterRetention.UsersForgotten >= 1);
        Assert.True(keptWhileRecent.HasValue);
        Assert.False((await api.Table("Users").GetEntityIfExistsAsync<UserEntity>(userId, UserEntity.Row)).HasValue);
        Assert.Empty(api.Table("Resumes").Query<ResumeEntity>(r => r.PartitionKey == userId));
    }

    [Fact]
    public async Task Superjob_resumes_are_raised_once_per_minimum_interval()
    {
        var account = api.SuperJob.AddAccount(8201, resumes: 1);
        api.SuperJob.BrowserAccount = account.Id;
        var token = await api.SignInThroughSiteAsync("superjob");
        await api.GetJsonAsync<JsonArray>("/resume", token);
        await api.SetEnabledAsync(token, account.Resumes[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), true);

        await api.RunEngineForAsync(TimeSpan.FromHours(3));

        // Raised at once, then at 1 h and 2 h after (plus a minute's tick and the jitter each time).
        Assert.Equal(3, account.Resumes[0].Raises);
        Assert.Equal(0, account.Resumes[0].RefusedRaises);
    }

    [Fact]
    public async Task Cleanup_keeps_every_resume_when_the_site_cannot_list_them()
    {
        var (account, token) = await api.SignInToHeadHunterAsync("cleanupdown");
        await api.GetJsonAsync<JsonArray>("/resume", token);
        account.Resumes.RemoveAt(0);
        api.HeadHunter.Inject(Fault.ServiceUnavailable, times: 10, pathPrefix: "/resumes/mine");

        await RunCleanupAsync();
        api.HeadHunter.ClearFaults();

        var userId = await api.UserIdAsync("headhunter", account.Id);
        Assert.Equal(account.Resumes.Count + 1, api.Table("Resumes").Query<ResumeEntity>(r => r.PartitionKey == userId).Count());
    }

    /// <summary>The daily timer, then the per-user messages it fanned out.</summary>
    private async Task<CleanupResult> RunCleanupAsync()
    {
        var result = await api.Services.GetRequiredService<CleanupService>().RunAsync(CancellationToken.None);
        await api.Services.GetRequiredService<DevHost.TriggerRunners>().DrainQueuesAsync(CancellationToken.None);
        return result;
    }

}
