using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Maintenance;
using PushResume.Providers;
using PushResume.Providers.HeadHunter;
using PushResume.Providers.Sandbox;
using PushResume.Providers.SuperJob;
using PushResume.Publishing;
using PushResume.Resumes;
using PushResume.Security;
using PushResume.Stats;
using PushResume.Storage;

namespace PushResume;

public static class PushResumeServiceCollectionExtensions
{
    /// <summary>Everything the app needs, for every host: the Functions worker, the dev host and the tests.</summary>
    public static IServiceCollection AddPushResume(this IServiceCollection services, IConfiguration configuration)
    {
        // Executes the IActionResult each function returns.
        services.AddMvcCore();
        services.TryAddSingleton(TimeProvider.System);
        // The Azure SDK logs every storage request at Information; only its problems are worth reading.
        services.AddLogging(logging => logging.AddFilter("Azure.Core", LogLevel.Warning));

        services.AddValidatedOptions<JwtOptions, JwtOptionsValidator>(configuration.GetSection(JwtOptions.Section));
        services.AddValidatedOptions<FrontendOptions, FrontendOptionsValidator>(configuration);

        services.AddStorage(configuration);
        services.AddProviders(configuration);

        services.AddSingleton<ApiEndpoint>();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<SignInStateService>();
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<SignInService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ResumeService>();
        services.AddPublishing(configuration);
        services.AddSingleton<PushBuckets>();
        services.AddSingleton<StatsService>();
        services.AddSingleton<CleanupService>();
        return services;
    }

    private static void AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PublishingOptions, PublishingOptionsValidator>(configuration.GetSection(PublishingOptions.Section));
        services.AddSingleton<PushPlanner>();
        services.AddSingleton<ProviderThrottle>();
        services.AddSingleton<PublishScheduler>();
        services.AddSingleton<ResumePublisher>();
        services.AddSingleton<TokenUpkeep>();
    }

    private static void AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>(options => StorageClients.CreateTableServiceClient(configuration, options));
            clients.AddClient<QueueServiceClient, QueueClientOptions>(options => StorageClients.CreateQueueServiceClient(configuration, options));
            clients.ConfigureDefaults(options =>
            {
                // Fail over to a 503 within seconds instead of holding the request through long back-offs.
                options.Retry.MaxRetries = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
            });
        });
        services.AddValidatedOptions<TokenEncryptionOptions, TokenEncryptionOptionsValidator>(configuration.GetSection(TokenEncryptionOptions.Section));
        services.AddSingleton<TokenProtector>();
        services.AddSingleton<TokenKeyRotation>();
        services.AddSingleton<PushResumeTables>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<ResumeStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<PushLogStore>();
        services.AddSingleton<WorkQueues>();
        services.AddHostedService<StorageInitializer>();
    }

    /// <summary>Each site is switched on by its settings alone, so one can be turned off without a code change.</summary>
    private static void AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProviderHttpOptions, ProviderHttpOptionsValidator>(configuration.GetSection(ProviderHttpOptions.Section));

        var headHunter = configuration.GetSection(HeadHunterOptions.Section);
        services.AddValidatedOptions<HeadHunterOptions, HeadHunterOptionsValidator>(headHunter);
        if (headHunter.Get<HeadHunterOptions>() is { IsConfigured: true })
        {
            services.AddProviderHttpClients(HeadHunterProvider.ProviderName, (client, provider) =>
                client.DefaultRequestHeaders.Add("HH-User-Agent", provider.GetRequiredService<IOptions<HeadHunterOptions>>().Value.UserAgent));
            services.AddSingleton<IResumeProvider, HeadHunterProvider>();
        }

        var superJob = configuration.GetSection(SuperJobOptions.Section);
        services.AddValidatedOptions<SuperJobOptions, SuperJobOptionsValidator>(superJob);
        if (superJob.Get<SuperJobOptions>() is { IsConfigured: true })
        {
            // SuperJob's app header carries the app's secret key, which is also its OAuth client secret.
            services.AddProviderHttpClients(SuperJobProvider.ProviderName, (client, provider) =>
                client.DefaultRequestHeaders.Add("X-Api-App-Id", provider.GetRequiredService<IOptions<SuperJobOptions>>().Value.ClientSecret));
            services.AddSingleton<IResumeProvider, SuperJobProvider>();
        }

        services.AddValidatedOptions<SandboxOptions, SandboxOptionsValidator>(configuration.GetSection(SandboxOptions.Section));
        if (configuration.GetValue<bool>($"{SandboxOptions.Section}:Enabled"))
        {
            services.AddSingleton<IResumeProvider, SandboxProvider>();
        }

        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<ProviderSessions>();
    }

    /// <summary>
    /// The API client runs the standard pipeline (total time-out, retry, circuit breaker, attempt time-out) and
    /// retries only idempotent calls, with jittered exponential back-off that honours Retry-After. The token client
    /// has an attempt time-out and nothing else, and logs no URLs, because SuperJob's refresh carries secrets in
    /// its query. Both pipelines wait on the system clock: they wait for a remote server, which a simulated clock
    /// in a test would never let answer or time out.
    /// </summary>
    private static void AddProviderHttpClients(this IServiceCollection services, string provider, Action<HttpClient, IServiceProvider> configure)
    {
        services.AddHttpClient(ProviderClients.Api(provider), (serviceProvider, client) => Configure(client, serviceProvider))
            .AddResilienceHandler("api", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<ProviderHttpOptions>>().Value;
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = settings.RetryAttempts,
                    Delay = settings.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                };
                retry.DisableForUnsafeHttpMethods();
                pipeline.TimeProvider = TimeProvider.System;
                pipeline
                    .AddTimeout(settings.TotalTimeout)
                    .AddRetry(retry)
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * settings.AttemptTimeout.Ticks)),
                    })
                    .AddTimeout(settings.AttemptTimeout);
            });
        services.AddHttpClient(ProviderClients.Token(provider), (serviceProvider, client) => Configure(client, serviceProvider))
            .RemoveAllLoggers()
            .AddResilienceHandler("token", (pipeline, context) =>
            {
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<ProviderHttpOptions>>().Value.AttemptTimeout);
            });

        void Configure(HttpClient client, IServiceProvider serviceProvider)
        {
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            // Replies are small JSON documents; a runaway body should not fill memory.
            client.MaxResponseContentBufferSize = 4 * 1024 * 1024;
            configure(client, serviceProvider);
        }
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
