using System.Reflection;
using System.Text.Json;
using Azure.Data.Tables;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Stats;

/// <summary>
/// Usage figures. The stats timer computes them from the tables every five minutes into one entity;
/// <c>GET /stats</c> reads that entity with one point read, kept in memory for <see cref="CacheFor"/> as the JSON
/// it is stored as (so a request serializes nothing), and computes it only when no run has written it yet.
/// </summary>
public sealed class StatsService(ProviderCatalog providers, PushResumeTables tables, PushBuckets pushes, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    public static string Version { get; } = ReadVersion();

    private const string Partition = "stats";
    private const string Row = "current";

    private readonly SemaphoreSlim gate = new(1, 1);
    private (string Json, DateTimeOffset ReadAt)? cached;

    /// <summary>The figures as the JSON body of <c>GET /stats</c>.</summary>
    public async Task<string> GetJsonAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } hit)
        {
            return hit;
        }

        // Concurrent requests share one read (and, before the first run, one computation).
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } current)
            {
                return current;
            }

            var stored = await tables.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
            var json = stored.HasValue
                ? stored.Value!.GetString("View")!
                : JsonSerializer.Serialize(await ComputeAndStoreAsync(cancellationToken));
            cached = (json, time.GetUtcNow());
            return json;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Computes the figures from the source rows and stores them. Safe to run twice at once or after skipped runs:
    /// each run computes from scratch, and the later write wins.
    /// </summary>
    public async Task<StatsView> ComputeAndStoreAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = await CountByProviderAsync(tables.Users, cancellationToken);
        var resumes = await CountByProviderAsync(tables.Resumes, cancellationToken);
        var pushed = await pushes.SumAsync(now, cancellationToken);
        var names = providers.Names.Union(users.Keys).Union(resumes.Keys).Order(StringComparer.Ordinal);
        var view = new StatsView(
            [.. names.Select(name => new ProviderStats(
                name,
                users.GetValueOrDefault(name).All,
                resumes.GetValueOrDefault(name).All,
                resumes.GetValueOrDefault(name).Enabled,
                pushed.GetValueOrDefault(name, PushCounts.None)))],
            Version,
            now);
        var row = new TableEntity(Partition, Row) { ["View"] = JsonSerializer.Serialize(view) };
        await tables.Stats.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        return view;
    }

    public void Dispose() => gate.Dispose();

    private string? Fresh() => cached is { } hit && time.GetUtcNow() - hit.ReadAt < CacheFor ? hit.Json : null;

    /// <summary>Rows per provider, and how many of them are switched on (resume rows only have that flag).</summary>
    private static async Task<Dictionary<string, (int All, int Enabled)>> CountByProviderAsync(TableClient table, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (int All, int Enabled)>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(select: [nameof(ResumeEntity.Provider), nameof(ResumeEntity.Enabled)], cancellationToken: cancellationToken))
        {
            var provider = row.GetString(nameof(ResumeEntity.Provider)) ?? string.Empty;
            var (all, enabled) = result.GetValueOrDefault(provider);
            result[provider] = (all + 1, enabled + (row.GetBoolean(nameof(ResumeEntity.Enabled)) == true ? 1 : 0));
        }

        return result;
    }

    /// <summary>The informational version, with the commit it was built from cut to a short hash.</summary>
    private static string ReadVersion()
    {
        var version = typeof(StatsService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..Math.Min(version.Length, plus + 8)];
    }
}
