using Microsoft.Extensions.Logging;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Auth;

/// <summary>What a user can do to their account as a whole.</summary>
public sealed partial class AccountService(ProviderSessions sessions, UserStore users, ResumeStore resumes, ILogger<AccountService> logger)
{
    /// <summary>
    /// Revokes the grant at the site where the site supports it, then forgets the user. Revoking is best effort:
    /// a site that is down must not keep a person's data here against their wish, and once the tokens are deleted
    /// nobody holds them.
    /// </summary>
    public async Task DeleteAsync(UserEntity user, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.CallAsync(
                user,
                async (provider, accessToken) =>
                {
                    await provider.RevokeAsync(accessToken, cancellationToken);
                    return true;
                },
                cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or Http.ApiException)
        {
            // ApiException: the provider was switched off on this deployment since the user signed in.
            LogRevokeFailed(logger, e, user.Provider, user.UserId);
        }

        await ForgetAsync(user, cancellationToken);
    }

    /// <summary>Deletes the user's rows here, without telling the site.</summary>
    public async Task ForgetAsync(UserEntity user, CancellationToken cancellationToken)
    {
        await resumes.DeleteAllAsync(user.UserId, cancellationToken);
        await users.DeleteAsync(user, cancellationToken);
        LogDeleted(logger, user.UserId, user.Provider);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke the {Provider} grant of user {UserId}; deleting the user anyway")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception, string provider, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted user {UserId} of {Provider} and all their rows")]
    private static partial void LogDeleted(ILogger logger, string userId, string provider);
}
