using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Time.Testing;
using PushResume.DevHost;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Bench;

public enum Policy
{
    /// <summary>This service: a scheduler tick every minute enqueues what is due; the queue publisher raises it.</summary>
    PushResume,

    /// <summary>The 2018 service: every 30 minutes, push every enabled resume.</summary>
    Original,
}

/// <param name="TickReads">Table entities read by each tick (the scheduler's, or the original's 30-minute run).</param>
/// <param name="IdleTickPages">Query pages read by the ticks that found nothing due.</param>
public sealed record Figures(
    Policy Policy,
    int Resumes,
    TimeSpan Simulated,
    int Raises,
    int Refused,
    IReadOnlyList<double> Delays,
    IReadOnlyList<long> TickReads,
    IReadOnlyList<long> IdleTickPages,
    long EntitiesRead,
    TimeSpan Wall);

/// <summary>
/// One simulated run of a policy against a fresh Azurite and an hh.ru-like site, with the app's real services
/// (<see cref="PushResumeServiceCollectionExtensions.AddPushResume"/>) on a simulated clock.
/// </summary>
public static class Simulation
{
    public const int ResumesPerUser = 2;

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan OriginalPeriod = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan AzuriteStallTimeout = TimeSpan.FromMinutes(3);

    public static async Task<Figures> RunAsync(Policy policy, int resumes, TimeSpan simulated, int seed, CancellationToken cancellationToken)
    {
        await using var azurite = await AzuriteServer.StartNewAsync();
        var time = new FakeTimeProvider(Start);
        var site = new HhLikeSite(time);
        var reads = new EntityReadCounter();
        await using var services = BuildServices(azurite.ConnectionString, time, site, reads);
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken);
        }

        await SeedAsync(services, site, resumes, seed, cancellationToken);
        var tickReads = new List<long>();
        var idlePages = new List<long>();
        var readsBefore = reads.Entities;
        var wall = Stopwatch.StartNew();
        for (var elapsed = TimeSpan.Zero; elapsed < simulated; elapsed += Tick)
        {
            time.Advance(Tick);
            var (entities, pages) = (reads.Entities, reads.Pages);
            if (policy == Policy.PushResume)
            {
                var tick = await services.GetRequiredService<PublishScheduler>().RunAsync(cancellationToken);
                tickReads.Add(reads.Entities - entities);
                if (tick.Enqueued == 0)
                {
                    idlePages.Add(reads.Pages - pages);
                }

                await services.GetRequiredService<TriggerRunners>().DrainQueuesAsync(cancellationToken);
            }
            else if ((elapsed + Tick).Ticks % OriginalPeriod.Ticks == 0)
            {
                await PushEveryEnabledResumeAsync(services, cancellationToken);
                tickReads.Add(reads.Entities - entities);
            }
        }

        wall.Stop();
        return new Figures(policy, resumes, simulated, site.Raises, site.Refused, site.Delays, tickReads, idlePages, reads.Entities - readsBefore, wall.Elapsed);
    }

    private static ServiceProvider BuildServices(string storage, TimeProvider time, HhLikeSite site, EntityReadCounter reads)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(LocalSettings.SampleSchedules())
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageClients.Setting] = storage,
                ["Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                ["FrontendUrl"] = "http://127.0.0.1:4280",
                ["TokenEncryption:CurrentKeyId"] = "bench",
                ["TokenEncryption:Keys:bench"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                // The simulated clock stands still while a minute's queue drains; failures do not happen here.
                ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
                // Azurite hides a message enqueued ahead on its own real clock, which the simulated one cannot
                // move, so raises are enqueued once due: the delays measured are the upper bound without lookahead.
                ["Publishing:Lookahead"] = "00:00:00",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(time);
        // Only trouble is worth reading in a run of thousands of raises.
        // Only trouble is worth reading in a run of thousands of raises; it goes to stderr, away from the report.
        services.AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddSingleton<IResumeProvider>(site);
        services.AddPushResume(configuration);
        // The app's clients, with the counter on the table client and a patient time-out: a large in-memory
        // Azurite stalls now and then for longer than the app's 10 s. The last registration is the one resolved.
        var tableOptions = new TableClientOptions();
        tableOptions.Retry.NetworkTimeout = AzuriteStallTimeout;
        tableOptions.AddPolicy(reads, HttpPipelinePosition.PerCall);
        services.AddSingleton(StorageClients.CreateTableServiceClient(configuration, tableOptions));
        var queueOptions = new QueueClientOptions();
        queueOptions.Retry.NetworkTimeout = AzuriteStallTimeout;
        services.AddSingleton(StorageClients.CreateQueueServiceClient(configuration, queueOptions));
        services.AddSingleton(HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json"), configuration));
        services.AddSingleton<TriggerRunners>();
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Users with <see cref="ResumesPerUser"/> resumes each, all switched on at the start, each resume's window
    /// at a random point of its 4 hours (the same points for both policies), as in a service that has been running.
    /// </summary>
    private static async Task SeedAsync(IServiceProvider services, HhLikeSite site, int resumes, int seed, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserStore>();
        var store = services.GetRequiredService<ResumeStore>();
        var planner = services.GetRequiredService<PushPlanner>();
        var time = services.GetRequiredService<TimeProvider>();
        var random = new Random(seed);
        var windows = Enumerable.Range(0, resumes).Select(_ => random.NextDouble()).ToArray();
        var userCount = (resumes + ResumesPerUser - 1) / ResumesPerUser;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, userCount),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (u, token) =>
            {
                var accessToken = HhLikeSite.UserToken(u);
                var user = await users.SignInAsync(site.Name, new ProviderIdentity(accessToken, "Bench User"), site.Tokens(accessToken), token);
                var now = time.GetUtcNow();
                var listed = new List<ProviderResume>();
                for (var i = 0; i < ResumesPerUser && (u * ResumesPerUser) + i < resumes; i++)
                {
                    var id = HhLikeSite.ResumeId(u, i);
                    var allowedAt = now - HhLikeSite.Window + (2 * HhLikeSite.Window * windows[(u * ResumesPerUser) + i]);
                    site.Seed(id, allowedAt);
                    site.MarkEnabled(id, now);
                    listed.Add(new ProviderResume(id, "Developer", "Bench User", new Uri($"https://hh.invalid/resume/{id}"), allowedAt - HhLikeSite.Window, allowedAt));
                }

                await store.SyncAsync(user, listed, token);
                foreach (var resume in listed)
                {
                    await store.SetEnabledAsync(user.UserId, resume.Id, true, planner.FirstPush, token);
                }
            });
    }

    /// <summary>The original policy: read every enabled resume and push each, whether or not the site will take it.</summary>
    private static async Task PushEveryEnabledResumeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var tables = services.GetRequiredService<PushResumeTables>();
        var users = services.GetRequiredService<UserStore>();
        var sessions = services.GetRequiredService<ProviderSessions>();
        var enabled = new List<ResumeEntity>();
        await foreach (var row in tables.Resumes.QueryAsync<ResumeEntity>(r => r.Enabled, cancellationToken: cancellationToken))
        {
            enabled.Add(row);
        }

        await Parallel.ForEachAsync(
            enabled.GroupBy(r => r.PartitionKey),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                var user = (await users.FindAsync(group.Key, token))!;
                foreach (var resume in group)
                {
                    await sessions.CallAsync(user, (provider, accessToken) => provider.PublishAsync(accessToken, resume.ResumeId, token), token);
                }
            });
    }
}
