using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace PushResume.Storage;

/// <summary>
/// Appends one row per finished push attempt, for the stats. Appending never contends, where a shared counter
/// would be written by every publisher at once; the stats job counts each five-minute bucket once.
/// </summary>
public sealed class PushLogStore(PushResumeTables tables)
{
    public static readonly TimeSpan BucketLength = TimeSpan.FromMinutes(5);

    public static DateTimeOffset BucketStart(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % BucketLength.Ticks), TimeSpan.Zero);

    public static string BucketKey(DateTimeOffset at) =>
        BucketStart(at).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public async Task RecordAsync(string provider, string outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        await tables.PushLog.AddEntityAsync(
            new PushLogEntity
            {
                PartitionKey = BucketKey(at),
                RowKey = $"{at.UtcTicks:D19}-{Guid.NewGuid():N}",
                Provider = provider,
                Outcome = outcome,
            },
            cancellationToken);

    /// <summary>The attempts of one bucket, counted per provider and outcome.</summary>
    public async Task<Dictionary<(string Provider, string Outcome), int>> CountAsync(DateTimeOffset bucketStart, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string, string), int>();
        var key = BucketKey(bucketStart);
        await foreach (var row in tables.PushLog.QueryAsync<PushLogEntity>(r => r.PartitionKey == key, select: [nameof(PushLogEntity.Provider), nameof(PushLogEntity.Outcome)], cancellationToken: cancellationToken))
        {
            counts[(row.Provider, row.Outcome)] = counts.GetValueOrDefault((row.Provider, row.Outcome)) + 1;
        }

        return counts;
    }

    /// <summary>Deletes the rows of buckets that started before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PurgeBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var old = new List<TableEntity>();
        await foreach (var row in tables.PushLog.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey lt {BucketKey(cutoff)}"),
            select: [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey)],
            cancellationToken: cancellationToken))
        {
            old.Add(row);
        }

        await TableTransactions.SubmitAsync(tables.PushLog, old.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);

        return old.Count;
    }
}
