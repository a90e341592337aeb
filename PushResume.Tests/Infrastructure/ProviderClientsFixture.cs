using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using PushResume.Providers;
using PushResume.Tests.Fakes;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// The providers exactly as the app wires them (named clients, headers, resilience handlers), pointed at fake
/// sites on loopback, for tests of each classified result without the HTTP API on top.
/// </summary>
public sealed class ProviderClientsFixture : IAsyncLifetime
{
    private ServiceProvider? services;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public FakeHeadHunter HeadHunter { get; private set; } = null!;

    public FakeSuperJob SuperJob { get; private set; } = null!;

    public IServiceProvider Services => services!;

    public IResumeProvider Provider(string name) => Services.GetServices<IResumeProvider>().Single(p => p.Name == name);

    public async Task InitializeAsync()
    {
        HeadHunter = new FakeHeadHunter(Time);
        SuperJob = new FakeSuperJob(Time);
        await HeadHunter.StartAsync();
        await SuperJob.StartAsync();
        var settings = ProviderSitesHost.ProviderSettings(HeadHunter, SuperJob)
            .ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddPushResume(configuration)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        await HeadHunter.DisposeAsync();
        await SuperJob.DisposeAsync();
    }
}
