using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushResume.Auth;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Providers.Sandbox;
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
        services.AddSingleton<ResumeService>();
        services.AddSingleton<StatsService>();
        return services;
    }

    private static void AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>(options => StorageClients.CreateTableServiceClient(configuration, options));
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
        services.AddSingleton<PushResumeTables>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<ResumeStore>();
        services.AddHostedService<StorageInitializer>();
    }

    private static void AddProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SandboxOptions, SandboxOptionsValidator>(configuration.GetSection(SandboxOptions.Section));
        if (configuration.GetValue<bool>($"{SandboxOptions.Section}:Enabled"))
        {
            services.AddSingleton<IResumeProvider, SandboxProvider>();
        }

        services.AddSingleton<ProviderCatalog>();
        services.AddSingleton<ProviderSessions>();
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
