using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PushResume.Providers;
using PushResume.Security;

namespace PushResume.Storage;

public sealed partial class UserStore(PushResumeTables tables, TokenProtector protector, TimeProvider time, ILogger<UserStore> logger)
{
    public async Task<UserEntity?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var row = await tables.Users.GetEntityIfExistsAsync<UserEntity>(userId, UserEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? Open(row.Value!) : null;
    }

    /// <summary>
    /// The users whose grant is not known to be dead and whose access token expires before <paramref name="before"/>,
    /// their tokens decrypted as by <see cref="FindAsync"/>.
    /// </summary>
    public async IAsyncEnumerable<UserEntity> ListExpiringAsync(DateTimeOffset before, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var user in tables.Users.QueryAsync<UserEntity>(
            u => u.RowKey == UserEntity.Row && !u.ReloginRequired && u.AccessTokenExpiresAt < before,
            cancellationToken: cancellationToken))
        {
            yield return Open(user);
        }
    }

    /// <summary>
    /// Finds the user behind a provider account, creating one on first sign-in, and stores the fresh provider
    /// tokens. Two first sign-ins at once end with one user: the identity row is inserted, and the loser of the
    /// insert adopts the winner's user id.
    /// </summary>
    public async Task<UserEntity> SignInAsync(string provider, ProviderIdentity identity, ProviderTokens tokens, CancellationToken cancellationToken)
    {
        var userId = await ResolveUserIdAsync(provider, identity.Id, cancellationToken);
        var user = new UserEntity
        {
            PartitionKey = userId,
            Provider = provider,
            ProviderUserId = identity.Id,
            DisplayName = identity.DisplayName,
            SignedInAt = time.GetUtcNow(),
        };
        Apply(user, tokens);
        var response = await tables.Users.UpsertEntityAsync(user, TableUpdateMode.Replace, cancellationToken);
        user.ETag = response.Headers.ETag ?? ETag.All;
        return user;
    }

    /// <summary>Stores a new token pair over exactly the row that was read (see <see cref="ReplaceAsync"/>).</summary>
    public Task<UserEntity> SaveTokensAsync(UserEntity user, ProviderTokens tokens, CancellationToken cancellationToken)
    {
        Apply(user, tokens);
        return ReplaceAsync(user, cancellationToken);
    }

    /// <summary>
    /// Writes the user over exactly the row that was read: a 412 <see cref="RequestFailedException"/> means someone
    /// else wrote it first, and the caller should re-read rather than overwrite what they wrote.
    /// </summary>
    public async Task<UserEntity> ReplaceAsync(UserEntity user, CancellationToken cancellationToken)
    {
        var response = await tables.Users.UpdateEntityAsync(user, user.ETag, TableUpdateMode.Replace, cancellationToken);
        user.ETag = response.Headers.ETag ?? user.ETag;
        return user;
    }

    /// <summary>
    /// Every user row as stored, tokens still encrypted, for maintenance sweeps; read a user with
    /// <see cref="FindAsync"/> before using or rewriting their tokens.
    /// </summary>
    public IAsyncEnumerable<UserEntity> ListStoredAsync(CancellationToken cancellationToken) =>
        tables.Users.QueryAsync<UserEntity>(u => u.RowKey == UserEntity.Row, cancellationToken: cancellationToken);

    /// <summary>
    /// Deletes the identity that finds the user, then the user row itself. Callers delete the user's resumes first
    /// (<see cref="ResumeStore.DeleteAllAsync"/>): with the user row last, a delete cut short can be repeated with
    /// the same access token.
    /// </summary>
    public async Task DeleteAsync(UserEntity user, CancellationToken cancellationToken)
    {
        await tables.Identities.DeleteEntityAsync(IdentityEntity.KeyFor(user.Provider, user.ProviderUserId), IdentityEntity.Row, ETag.All, cancellationToken);
        await tables.Users.DeleteEntityAsync(user.PartitionKey, user.RowKey, ETag.All, cancellationToken);
    }

    private async Task<string> ResolveUserIdAsync(string provider, string providerUserId, CancellationToken cancellationToken)
    {
        var key = IdentityEntity.KeyFor(provider, providerUserId);
        var existing = await tables.Identities.GetEntityIfExistsAsync<IdentityEntity>(key, IdentityEntity.Row, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return existing.Value!.UserId;
        }

        var created = new IdentityEntity { PartitionKey = key, UserId = Guid.NewGuid().ToString("N") };
        try
        {
            await tables.Identities.AddEntityAsync(created, cancellationToken);
            return created.UserId;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var winner = await tables.Identities.GetEntityAsync<IdentityEntity>(key, IdentityEntity.Row, cancellationToken: cancellationToken);
            return winner.Value.UserId;
        }
    }

    private void Apply(UserEntity user, ProviderTokens tokens)
    {
        user.AccessToken = tokens.AccessToken;
        user.RefreshToken = tokens.RefreshToken;
        user.ProtectedAccessToken = protector.Protect(tokens.AccessToken, Context(user, "access"));
        user.ProtectedRefreshToken = protector.Protect(tokens.RefreshToken, Context(user, "refresh"));
        user.AccessTokenExpiresAt = tokens.ExpiresAt;
    }

    /// <summary>Decrypts the stored tokens in place; a value that fails to decrypt fails closed.</summary>
    private UserEntity Open(UserEntity user)
    {
        try
        {
            user.AccessToken = protector.Unprotect(user.ProtectedAccessToken, Context(user, "access"));
            user.RefreshToken = protector.Unprotect(user.ProtectedRefreshToken, Context(user, "refresh"));
        }
        catch (CryptographicException)
        {
            // Fail closed: the user signs in again; the row id is logged, never the value.
            LogUnreadableTokens(logger, user.UserId);
            user.AccessToken = user.RefreshToken = string.Empty;
        }

        return user;
    }

    /// <summary>Binds a protected token to its row, its provider and its field.</summary>
    private static string Context(UserEntity user, string field) => $"{user.PartitionKey}|{user.RowKey}|{user.Provider}|{field}";

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored provider tokens of user {UserId} could not be decrypted; the user must sign in again")]
    private static partial void LogUnreadableTokens(ILogger logger, string userId);
}
