using Microsoft.Extensions.Logging;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Security;

/// <summary>What a rotation sweep found: a retired key may be removed once no row needs it any more.</summary>
/// <param name="Moved">Rows re-encrypted with the current key by this sweep.</param>
/// <param name="Current">Rows that were already on the current key.</param>
/// <param name="Unreadable">Rows no configured key opens; their users must sign in again, which rewrites them.</param>
public sealed record TokenKeyRotationResult(int Moved, int Current, int Unreadable);

/// <summary>
/// Moves every user's stored provider tokens onto <c>TokenEncryption__CurrentKeyId</c>. Each row is rewritten with
/// the ETag it was read with, so a sweep never overwrites tokens refreshed meanwhile.
/// </summary>
public sealed partial class TokenKeyRotation(UserStore users, TokenProtector protector, ILogger<TokenKeyRotation> logger)
{
    public async Task<TokenKeyRotationResult> RunAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<RowOutcome, int>();
        await foreach (var stored in users.ListStoredAsync(cancellationToken))
        {
            // Only rows on an old key are read again and decrypted.
            var outcome = IsCurrent(stored)
                ? RowOutcome.Current
                : await OptimisticConcurrency.RunAsync(() => MoveAsync(stored.UserId, cancellationToken), cancellationToken);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }

        var result = new TokenKeyRotationResult(
            counts.GetValueOrDefault(RowOutcome.Moved),
            counts.GetValueOrDefault(RowOutcome.Current),
            counts.GetValueOrDefault(RowOutcome.Unreadable));
        LogSwept(logger, result.Moved, protector.CurrentKeyId, result.Current, result.Unreadable);
        return result;
    }

    private async Task<RowOutcome> MoveAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(userId, cancellationToken);
        if (user is null || IsCurrent(user))
        {
            return RowOutcome.Current;
        }

        if (user.AccessToken.Length == 0)
        {
            return RowOutcome.Unreadable;
        }

        await users.SaveTokensAsync(user, new ProviderTokens(user.AccessToken, user.RefreshToken, user.AccessTokenExpiresAt), cancellationToken);
        return RowOutcome.Moved;
    }

    private bool IsCurrent(UserEntity user) =>
        protector.IsCurrent(user.ProtectedAccessToken) && protector.IsCurrent(user.ProtectedRefreshToken);

    private enum RowOutcome
    {
        Moved,
        Current,
        Unreadable,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token key rotation: {Moved} users moved to key {KeyId}, {Current} already on it, {Unreadable} unreadable")]
    private static partial void LogSwept(ILogger logger, int moved, string keyId, int current, int unreadable);
}
