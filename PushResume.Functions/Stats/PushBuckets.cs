using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PushResume.Storage;

namespace PushResume.Stats;

/// <summary>
/// The push counts of the last 24 hours, kept as one summary row per five-minute bucket of the push log. Each
/// complete bucket is counted once, by whichever stats run first finds it missing; a skipped run is caught up by
/// the next, and two runs at once write the same figures.
/// </summary>
public sealed class PushBuckets(PushResumeTables tables, PushLogStore pushLog)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private const string Partition = "pushes";

    /// <summary>A bucket is counted this long after it ends, so pushes being written at its end are in it.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public async Task<Dictionary<string, PushCounts>> SumAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = PushLogStore.BucketStart(now - Grace);
        var from = until - Window;
        var summaries = new Dictionary<string, Dictionary<string, PushCounts>>(StringComparer.Ordinal);
        var stale = new List<TableEntity>();
        await foreach (var row in tables.Stats.QueryAsync<TableEntity>(r => r.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (string.CompareOrdinal(row.RowKey, PushLogStore.BucketKey(from)) < 0)
            {
                stale.Add(row);
            }
            else
            {
                summaries[row.RowKey] = JsonSerializer.Deserialize<Dictionary<string, PushCounts>>(row.GetString("Counts") ?? "{}") ?? [];
            }
        }

        for (var bucket = from; bucket < until; bucket += PushLogStore.BucketLength)
        {
            var key = PushLogStore.BucketKey(bucket);
            if (!summaries.ContainsKey(key))
            {
                summaries[key] = await SummarizeAsync(bucket, key, cancellationToken);
            }
        }

        foreach (var row in stale)
        {
            // A stats run at the same time may have removed it first; deleting a missing row is no error.
            await tables.Stats.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }

        return summaries.Values.SelectMany(s => s)
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(PushCounts.None, (sum, p) => sum + p.Value), StringComparer.Ordinal);
    }

    private async Task<Dictionary<string, PushCounts>> SummarizeAsync(DateTimeOffset bucket, string key, CancellationToken cancellationToken)
    {
        var counts = (await pushLog.CountAsync(bucket, cancellationToken))
            .GroupBy(c => c.Key.Provider, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(PushCounts.None, (sum, c) => sum + PushCounts.Of(c.Key.Outcome, c.Value)), StringComparer.Ordinal);
        var row = new TableEntity(Partition, key) { ["Counts"] = JsonSerializer.Serialize(counts) };
        await tables.Stats.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        return counts;
    }
}
