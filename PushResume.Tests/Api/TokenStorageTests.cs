using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>Provider tokens never sit in the table in plain text, and a ciphertext is bound to its row.</summary>
public sealed class TokenStorageTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task The_raw_user_row_holds_no_plaintext_token()
    {
        var userId = TestTokens.SubjectOf(await api.SignInAsync("raw-row"));

        var raw = (await api.Tables.Users.GetEntityAsync<TableEntity>(userId, UserEntity.Row)).Value;

        var everything = string.Join("\n", raw.Select(p => $"{p.Key}={p.Value}"));
        Assert.DoesNotContain("sbx-access", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("sbx-refresh", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(raw.Keys, k => k is nameof(UserEntity.AccessToken) or nameof(UserEntity.RefreshToken));
        Assert.StartsWith("v1.", raw.GetString(nameof(UserEntity.ProtectedAccessToken)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ciphertext_copied_to_another_user_does_not_decrypt_and_that_user_must_sign_in_again()
    {
        var victim = TestTokens.SubjectOf(await api.SignInAsync("victim"));
        var attackerToken = await api.SignInAsync("attacker");
        var attacker = TestTokens.SubjectOf(attackerToken);
        var stolen = (await api.Tables.Users.GetEntityAsync<TableEntity>(victim, UserEntity.Row)).Value;
        var row = (await api.Tables.Users.GetEntityAsync<TableEntity>(attacker, UserEntity.Row)).Value;
        row[nameof(UserEntity.ProtectedAccessToken)] = stolen[nameof(UserEntity.ProtectedAccessToken)];
        row[nameof(UserEntity.ProtectedRefreshToken)] = stolen[nameof(UserEntity.ProtectedRefreshToken)];
        await api.Tables.Users.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        using var response = await api.SendAsync(HttpMethod.Get, "/resume", attackerToken);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "The job site no longer accepts this sign-in; sign in again");
        Assert.Equal(3, (await api.GetJsonAsync<JsonArray>("/resume", await api.SignInAsync("attacker"))).Count);
    }
}
