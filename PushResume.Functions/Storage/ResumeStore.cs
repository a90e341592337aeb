using Azure;
using Azure.Data.Tables;
using PushResume.Providers;

namespace PushResume.Storage;

public sealed class ResumeStore(PushResumeTables tables)
{
    /// <summary>A table transaction takes at most 100 entities.</summary>
    private const int BatchLimit = 100;

    public async Task<List<ResumeEntity>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = new List<ResumeEntity>();
        await foreach (var row in tables.Resumes.QueryAsync<ResumeEntity>(r => r.PartitionKey == userId, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Deletes every resume row of the user.</summary>
    public async Task DeleteAllAsync(string userId, CancellationToken cancellationToken)
    {
        var deletes = new List<TableTransactionAction>();
        await foreach (var row in tables.Resumes.QueryAsync<TableEntity>(r => r.PartitionKey == userId, select: [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey)], cancellationToken: cancellationToken))
        {
            deletes.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
        }

        await SubmitInBatchesAsync(deletes, cancellationToken);
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
    /// null. Returns the new state, or null when the user never listed that resume.
    /// </summary>
    public Task<bool?> SetEnabledAsync(string userId, string resumeId, bool? enabled, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RunAsync<bool?>(
            async () =>
            {
                var row = await tables.Resumes.GetEntityIfExistsAsync<ResumeEntity>(userId, TableKey.Escape(resumeId), cancellationToken: cancellationToken);
                if (!row.HasValue)
                {
                    return null;
                }

                var current = row.Value!;
                var next = enabled ?? !current.Enabled;
                if (next != current.Enabled)
                {
                    var change = new TableEntity(current.PartitionKey, current.RowKey) { [nameof(ResumeEntity.Enabled)] = next };
                    await tables.Resumes.UpdateEntityAsync(change, current.ETag, TableUpdateMode.Merge, cancellationToken);
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

        await SubmitInBatchesAsync(actions, cancellationToken);
        return result;
    }

    private async Task SubmitInBatchesAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.Chunk(BatchLimit))
        {
            await tables.Resumes.SubmitTransactionAsync(batch, cancellationToken);
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
