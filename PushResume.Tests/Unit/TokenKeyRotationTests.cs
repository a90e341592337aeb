using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PushResume.Providers;
using PushResume.Security;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

/// <summary>Rotating the token-encryption key: old rows keep working, the sweep moves them, then the old key can go.</summary>
public sealed class TokenKeyRotationTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task The_sweep_moves_every_row_to_the_new_key_after_which_the_old_key_is_not_needed()
    {
        var before = Store(Protector("old", ("old", OldKey)));
        var users = new List<UserEntity>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await before.SignInAsync("rotation", new ProviderIdentity($"r{i}", "R"), new ProviderTokens($"access-{i}", $"refresh-{i}", DateTimeOffset.UtcNow.AddDays(1)), default));
        }

        var during = Protector("new", ("old", OldKey), ("new", NewKey));
        var readDuring = await Store(during).FindAsync(users[0].UserId, default);
        var first = await new TokenKeyRotation(Store(during), during, NullLogger<TokenKeyRotation>.Instance).RunAsync(default);
        var second = await new TokenKeyRotation(Store(during), during, NullLogger<TokenKeyRotation>.Instance).RunAsync(default);
        var after = Store(Protector("new", ("new", NewKey)));

        Assert.Equal("access-0", readDuring!.AccessToken);
        Assert.Equal(new TokenKeyRotationResult(3, 0, 0), first);
        Assert.Equal(new TokenKeyRotationResult(0, 3, 0), second);
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var raw = (await storage.Tables.Users.GetEntityAsync<TableEntity>(user.UserId, UserEntity.Row)).Value;
            Assert.StartsWith("v1.new.", raw.GetString(nameof(UserEntity.ProtectedAccessToken)), StringComparison.Ordinal);
            Assert.StartsWith("v1.new.", raw.GetString(nameof(UserEntity.ProtectedRefreshToken)), StringComparison.Ordinal);
            var read = await after.FindAsync(user.UserId, default);
            Assert.Equal($"access-{i}", read!.AccessToken);
            Assert.Equal($"refresh-{i}", read.RefreshToken);
            Assert.Equal(user.AccessTokenExpiresAt, read.AccessTokenExpiresAt);
        }
    }

    private UserStore Store(TokenProtector protector) =>
        new(storage.Tables, protector, TimeProvider.System, NullLogger<UserStore>.Instance);

    private static TokenProtector Protector(string current, params (string Id, string Key)[] keys) =>
        new(Options.Create(new TokenEncryptionOptions { CurrentKeyId = current, Keys = keys.ToDictionary(k => k.Id, k => k.Key) }));
}
