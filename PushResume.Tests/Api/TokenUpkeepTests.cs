using PushResume.Providers;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>The token-upkeep timer against the fake sites: each site's refresh rule, and dead grants.</summary>
public sealed class TokenUpkeepTests(ProviderSitesHost api) : IClassFixture<ProviderSitesHost>
{
    [Fact]
    public async Task Token_upkeep_refreshes_hh_only_once_expired_and_superjob_shortly_before()
    {
        var (hhAccount, _) = await api.SignInToHeadHunterAsync("upkeep");
        var sjAccount = api.SuperJob.AddAccount(8101);
        api.SuperJob.BrowserAccount = sjAccount.Id;
        await api.SignInThroughSiteAsync("superjob");
        var upkeep = api.Services.GetRequiredService<TokenUpkeep>();

        var start = api.Time.GetUtcNow();
        var (hhBefore, sjBefore) = (api.HeadHunter.RefreshRequests, api.SuperJob.RefreshRequests);

        var fresh = await upkeep.RunAsync(CancellationToken.None);
        api.Time.Advance(api.SuperJob.AccessTokenLifetime - TimeSpan.FromMinutes(30));
        var sjNearExpiry = await upkeep.RunAsync(CancellationToken.None);
        var hhRefreshesBeforeExpiry = api.HeadHunter.RefreshRequests - hhBefore;
        var again = await upkeep.RunAsync(CancellationToken.None);
        api.Time.Advance(start + api.HeadHunter.AccessTokenLifetime + TimeSpan.FromMinutes(1) - api.Time.GetUtcNow());
        var hhExpired = await upkeep.RunAsync(CancellationToken.None);

        Assert.Equal(new TokenUpkeepResult(0, 0, 0), fresh);
        Assert.Equal(new TokenUpkeepResult(1, 0, 0), sjNearExpiry);
        Assert.Equal(0, hhRefreshesBeforeExpiry);
        Assert.Equal(new TokenUpkeepResult(0, 0, 0), again);
        Assert.Equal(1, api.HeadHunter.RefreshRequests - hhBefore);
        Assert.Equal(2, api.SuperJob.RefreshRequests - sjBefore);
        Assert.Equal(new TokenUpkeepResult(2, 0, 0), hhExpired);
        var user = await StoredUserAsync("headhunter", hhAccount.Id);
        Assert.False(user.ReloginRequired);
        Assert.True(user.AccessTokenExpiresAt > api.Time.GetUtcNow());
    }

    [Fact]
    public async Task Token_upkeep_marks_a_user_whose_refresh_is_refused_for_good()
    {
        var (account, _) = await api.SignInToHeadHunterAsync("upkeepdead");
        api.HeadHunter.RevokeGrants(account.Id, "token deactivated");
        api.Time.Advance(api.HeadHunter.AccessTokenLifetime + TimeSpan.FromMinutes(1));

        var result = await api.Services.GetRequiredService<TokenUpkeep>().RunAsync(CancellationToken.None);

        Assert.True(result.Lost >= 1);
        var user = await StoredUserAsync("headhunter", account.Id);
        Assert.True(user.ReloginRequired);
        Assert.Equal(api.Time.GetUtcNow(), user.ReloginRequiredSince);
    }

    private async Task<UserEntity> StoredUserAsync(string provider, string siteId) =>
        (await api.Table("Users").GetEntityAsync<UserEntity>(await api.UserIdAsync(provider, siteId), UserEntity.Row)).Value;
}
