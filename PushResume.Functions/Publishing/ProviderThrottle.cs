using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PushResume.Publishing;

/// <summary>Caps the raises in flight at once per site on this instance (<see cref="PublishingOptions.MaxConcurrentCallsPerProvider"/>).</summary>
public sealed class ProviderThrottle(IOptions<PublishingOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    public async Task<T> RunAsync<T>(string provider, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var gate = gates.GetOrAdd(provider, _ => new SemaphoreSlim(options.Value.MaxConcurrentCallsPerProvider));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await call();
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var gate in gates.Values)
        {
            gate.Dispose();
        }
    }
}
