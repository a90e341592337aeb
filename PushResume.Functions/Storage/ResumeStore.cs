using Azure;
using Azure.Data.Tables;
using PushResume.Providers;

namespace PushResume.Storage;

public sealed class ResumeStore(PushResumeTables tables, ScheduleStore schedule)
{
    public async Task<List<ResumeEntity>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = new List<ResumeEntity>();
        await foreach (var row in tables.Resumes.QueryAsync<ResumeEntity>(r => r.PartitionKey == userId, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<ResumeEntity?> FindAsync(string userId, string resumeKey, CancellationToken cancellationToken)
    {
        var row = await tables.Resumes.GetEntityIfExistsAsync<ResumeEntity>(userId, resumeKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Deletes every resume row of the user, and their places in the schedule.</summary>
    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken) =>
        await DeleteAsync(await ListAsync(userId, cancellationToken), cancellationToken);

    /// <summary>
    /// Forgets the user's resumes that the site no longer lists, whether switched on or off; returns how many.
    /// </summary>
    public async Task<int> ForgetUnlistedAsync(string userId, IReadOnlyCollection<ProviderResume> listed, CancellationToken cancellationToken)
    {
        var ids = listed.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var gone = (await ListAsync(userId, cancellationToken)).Where(r => !ids.Contains(r.ResumeId)).ToList();
        await DeleteAsync(gone, cancellationToken);
        return gone.Count;
    }

    /// <summary>
    /// Writes the resume over exactly the row that was read (a 412 means someone else wrote it first), keeping the
    /// schedule index in step: the new index row is written before the resume row, so a resume that is scheduled
    /// always has one, and the index row of <paramref name="previousDue"/> is removed after. An index row whose
    /// time no longer matches its resume is stale, and the publisher drops it when it comes due.
    /// </summary>
    public async Task CommitAsync(ResumeEntity row, DateTimeOffset? previousDue, CancellationToken cancellationToken)
    {
        if (row.NextPushAt is not null && row.NextPushAt != previousDue)
        {
            await schedule.PutAsync(row, cancellationToken);
        }

        var response = await tables.Resumes.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        row.ETag = response.Headers.ETag ?? row.ETag;
        if (previousDue is { } old)
        {
            await schedule.RemoveAsync(row.PartitionKey, row.RowKey, old, row.NextPushAt, cancellationToken);
        }
    }

    /// <summary>
    /// Schedules again the user's resumes that are switched on but were paused because the site refused the
    /// grant; called once the user has signed in again.
    /// </summary>
    public async Task ResumePausedAsync(string userId, Func<ResumeEntity, DateTimeOffset> firstPush, CancellationToken cancellationToken)
    {
        foreach (var paused in (await ListAsync(userId, cancellationToken)).Where(r => r.Enabled && r.NextPushAt is null))
        {
            await OptimisticConcurrency.RunAsync(
                async () =>
                {
                    var row = await FindAsync(userId, paused.RowKey, cancellationToken);
                    if (row is { Enabled: true, NextPushAt: null })
                    {
                        row.NextPushAt = firstPush(row);
                        await CommitAsync(row, previousDue: null, cancellationToken);
                    }

                    return true;
                },
                cancellationToken);
        }
    }

    /// <summary>
    /// Records what the site listed: new resumes are added switched off, changed details replace the old ones
    /// (a detail the site no longer gives, such as a next raise time, is cleared). Each replace carries the ETag
    /// the row was read with, so a toggle racing with a listing is never undone: the listing runs again instead.
    /// Returns the rows of the listed resumes, in the site's order.
    /// </summary>
    public async Task<IReadOnlyList<ResumeEntity>> SyncAsync(UserEntity user, IReadOnlyList<ProviderResume> listed, CancellationToken cancellationToken)
    {
        try
        {
            return await OptimisticConcurrency.RunAsync(() => SyncOnceAsync(user, listed, cancellationToken), cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // A concurrent listing added the same new rows first; this pass sees them as existing.
            return await OptimisticConcurrency.RunAsync(() => SyncOnceAsync(user, listed, cancellationToken), cancellationToken);
        }
    }

    /// <summary>
    /// Switches auto-publishing of one resume on or off (<paramref name="enabled"/>), or flips it when that is
    /// null. Switching on schedules the first raise at <paramref name="firstPush"/>; switching off unschedules it,
    /// so no raise starts after the answer. Returns the new state, or null when the user never listed that resume.
    /// </summary>
    public Task<bool?> SetEnabledAsync(
        string userId,
        string resumeId,
        bool? enabled,
        Func<ResumeEntity, DateTimeOffset> firstPush,
        CancellationToken cancellationToken) =>
        OptimisticConcurrency.RunAsync<bool?>(
            async () =>
            {
                var row = await FindAsync(userId, TableKey.Escape(resumeId), cancellationToken);
                if (row is null)
                {
                    return null;
                }

                var next = enabled ?? !row.Enabled;
                // Switching on what is on but paused (waiting for a sign-in, or stopped by the site) schedules it again.
                if (next != row.Enabled || (next && row.NextPushAt is null))
                {
                    var previousDue = row.NextPushAt;
                    row.Enabled = next;
                    row.NextPushAt = next ? firstPush(row) : null;
                    await CommitAsync(row, previousDue, cancellationToken);
                }

                return next;
            },
            cancellationToken);

    private async Task<IReadOnlyList<ResumeEntity>> SyncOnceAsync(UserEntity user, IReadOnlyList<ProviderResume> listed, CancellationToken cancellationToken)
    {
        var known = (await ListAsync(user.UserId, cancellationToken)).ToDictionary(r => r.ResumeId, StringComparer.Ordinal);
        var actions = new List<TableTransactionAction>();
        var result = new List<ResumeEntity>(listed.Count);
        foreach (var resume in listed)
        {
            if (known.TryGetValue(resume.Id, out var row))
            {
                if (Describe(row, resume))
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag));
                }
            }
            else
            {
                row = new ResumeEntity
                {
                    PartitionKey = user.UserId,
                    RowKey = TableKey.Escape(resume.Id),
                    Provider = user.Provider,
                    ResumeId = resume.Id,
                };
                Describe(row, resume);
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
            }

            result.Add(row);
        }

        await TableTransactions.SubmitAsync(tables.Resumes, actions, cancellationToken);
        return result;
    }

    private async Task DeleteAsync(IReadOnlyCollection<ResumeEntity> rows, CancellationToken cancellationToken)
    {
        await TableTransactions.SubmitAsync(tables.Resumes, rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        foreach (var row in rows.Where(r => r.NextPushAt is not null))
        {
            await schedule.RemoveAsync(row.PartitionKey, row.RowKey, row.NextPushAt!.Value, current: null, cancellationToken);
        }
    }

    /// <summary>Copies the site's details onto the row; true when anything changed.</summary>
    private static bool Describe(ResumeEntity row, ProviderResume resume)
    {
        var link = resume.Link.ToString();
        var changed = row.Title != resume.Title || row.Name != resume.Name || row.Link != link
            || row.Published != resume.Published || row.NextPublishAt != resume.NextPublishAt || row.CanPublish != resume.CanPublish;
        row.Title = resume.Title;
        row.Name = resume.Name;
        row.Link = link;
        row.Published = resume.Published;
        row.NextPublishAt = resume.NextPublishAt;
        row.CanPublish = resume.CanPublish;
        return changed;
    }
}
