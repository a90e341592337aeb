using Azure;
using Azure.Data.Tables;

namespace PushResume.Storage;

/// <summary>The schedule index (<see cref="ScheduleEntity"/>): which raise is due when.</summary>
public sealed class ScheduleStore(PushResumeTables tables)
{
    /// <summary>Indexes the resume's <see cref="ResumeEntity.NextPushAt"/>; writing it again is harmless.</summary>
    public async Task PutAsync(ResumeEntity resume, CancellationToken cancellationToken)
    {
        var due = resume.NextPushAt ?? throw new ArgumentException("The resume is not scheduled", nameof(resume));
        var row = new ScheduleEntity
        {
            PartitionKey = ScheduleEntity.PartitionFor(due),
            RowKey = ScheduleEntity.RowFor(resume.PartitionKey, resume.RowKey),
            UserId = resume.PartitionKey,
            ResumeKey = resume.RowKey,
            DueAt = due,
        };
        await tables.Schedule.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Removes the index row of the raise due at <paramref name="due"/>, unless the raise scheduled now
    /// (<paramref name="current"/>) falls in the same minute and so owns that very row. Removing a row that is
    /// already gone is no error.
    /// </summary>
    public async Task RemoveAsync(string userId, string resumeKey, DateTimeOffset due, DateTimeOffset? current, CancellationToken cancellationToken)
    {
        if (current is { } scheduled && ScheduleEntity.PartitionFor(scheduled) == ScheduleEntity.PartitionFor(due))
        {
            return;
        }

        await tables.Schedule.DeleteEntityAsync(ScheduleEntity.PartitionFor(due), ScheduleEntity.RowFor(userId, resumeKey), ETag.All, cancellationToken);
    }

    /// <summary>
    /// The index rows due by <paramref name="until"/>: the raises to enqueue and the ones in flight. The key range
    /// ends at that minute, so the partitions of later minutes are never touched, and the time filter leaves out
    /// the rest of that minute.
    /// </summary>
    public AsyncPageable<ScheduleEntity> QueryDueAsync(DateTimeOffset until, CancellationToken cancellationToken) =>
        tables.Schedule.QueryAsync<ScheduleEntity>(
            TableClient.CreateQueryFilter($"PartitionKey le {ScheduleEntity.PartitionFor(until)} and DueAt le {until}"),
            cancellationToken: cancellationToken);

    /// <summary>
    /// Marks the row enqueued, on the condition that nobody changed it since it was read: of two scheduler ticks
    /// running at once, exactly one wins each row.
    /// </summary>
    public async Task<bool> TryClaimAsync(ScheduleEntity row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = new TableEntity(row.PartitionKey, row.RowKey) { [nameof(ScheduleEntity.EnqueuedAt)] = now };
        try
        {
            await tables.Schedule.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}
