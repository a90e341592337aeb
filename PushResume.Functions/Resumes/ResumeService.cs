using PushResume.Http;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Resumes;

public sealed class ResumeService(ProviderSessions sessions, ResumeStore store, PushPlanner planner)
{
    /// <summary>Longer ids are not resume ids of any supported site, and would not fit a table key once escaped.</summary>
    public const int MaxResumeIdLength = 128;

    /// <summary>Lists the user's resumes live from the site and remembers each one, switched off when new.</summary>
    public async Task<IReadOnlyList<ResumeView>> ListAsync(UserEntity user, CancellationToken cancellationToken)
    {
        var listed = await sessions.CallAsync(user, (provider, token) => provider.ListResumesAsync(token, cancellationToken), cancellationToken);
        var rows = await store.SyncAsync(user, listed, cancellationToken);
        return [.. rows.Select(ResumeView.From)];
    }

    /// <summary>
    /// Sets auto-publishing to <paramref name="enabled"/>, or flips it when that is null. Switching on makes the
    /// resume due at once, or at the time its site will next allow a raise.
    /// </summary>
    public async Task<bool> SetEnabledAsync(UserEntity user, string resumeId, bool? enabled, CancellationToken cancellationToken) =>
        resumeId.Length <= MaxResumeIdLength
        && await store.SetEnabledAsync(user.UserId, resumeId, enabled, planner.FirstPush, cancellationToken) is { } state
            ? state
            : throw ApiException.NotFound("Resume not found");
}
