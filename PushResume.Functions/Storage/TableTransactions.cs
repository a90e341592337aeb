using Azure.Data.Tables;

namespace PushResume.Storage;

public static class TableTransactions
{
    /// <summary>A table transaction takes at most 100 entities, all of one partition.</summary>
    private const int Limit = 100;

    /// <summary>Submits the actions in as few transactions as the service allows: per partition, 100 at a time.</summary>
    public static async Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in actions.GroupBy(a => a.Entity.PartitionKey).SelectMany(partition => partition.Chunk(Limit)))
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }
}
