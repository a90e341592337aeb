using System.Reflection;
using Azure.Data.Tables;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Stats;

/// <summary>
/// Usage figures, computed from the tables at most once per <see cref="CacheFor"/> per instance; concurrent
/// callers share one computation.
/// </summary>
public sealed class StatsService(ProviderCatalog providers, PushResumeTables tables, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);

    public static string Version { get; } = ReadVersion();

    private readonly SemaphoreSlim gate = new(1, 1);
    private StatsView? cached;

    public async Task<StatsView> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } hit)
        {
            return hit;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return Fresh() ?? (cached = await ComputeAsync(cancellationToken));
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private StatsView? Fresh() => cached is { } view && time.GetUtcNow() - view.Updated < CacheFor ? view : null;

    private async Task<StatsView> ComputeAsync(CancellationToken cancellationToken)
    {
        var users = await CountByProviderAsync(tables.Users, cancellationToken);
        var resumes = await CountByProviderAsync(tables.Resumes, cancellationToken);
        var names = providers.Names.Union(users.Keys).Union(resumes.Keys).Order(StringComparer.Ordinal);
        return new StatsView(
            [.. names.Select(name => new ProviderStats(name, users.GetValueOrDefault(name), resumes.GetValueOrDefault(name)))],
            Version,
            time.GetUtcNow());
    }

    private static async Task<Dictionary<string, int>> CountByProviderAsync(TableClient table, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: [nameof(ResumeEntity.Provider)], cancellationToken: cancellationToken))
        {
            var provider = row.GetString(nameof(ResumeEntity.Provider)) ?? string.Empty;
            counts[provider] = counts.GetValueOrDefault(provider) + 1;
        }

        return counts;
    }

    /// <summary>The informational version, with the commit it was built from cut to a short hash.</summary>
    private static string ReadVersion()
    {
        var version = typeof(StatsService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..Math.Min(version.Length, plus + 8)];
    }
}
