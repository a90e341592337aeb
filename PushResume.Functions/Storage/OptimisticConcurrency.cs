using Azure;

namespace PushResume.Storage;

/// <summary>
/// Runs a read-modify-write whose write carries the ETag it read. When another writer got there first (412) the
/// whole cycle runs again on fresh data, so no update is lost; a short random pause keeps the writers apart.
/// </summary>
public static class OptimisticConcurrency
{
    public const int MaxAttempts = 40;

    public static async Task<T> RunAsync<T>(Func<Task<T>> readModifyWrite, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await readModifyWrite();
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                var pause = Random.Shared.Next(1, 5 + (3 * Math.Min(attempt, 10)));
                await Task.Delay(TimeSpan.FromMilliseconds(pause), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StorageContentionException("Too many concurrent changes to the same record");
            }
        }
    }
}
