using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace PushResume;

public static class PushResumeTelemetry
{
    private const string ConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    private const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// Sends the worker's logs and telemetry to Application Insights when the deployment names one. The resource
    /// has local (key) authentication off, so the worker signs in with the app's managed identity, named in
    /// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=...;Authorization=AAD</c>) as the host reads it.
    /// </summary>
    public static IServiceCollection AddPushResumeTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration[ConnectionSetting]))
        {
            return services;
        }

        services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        if (ManagedIdentityClientId(configuration[AuthenticationSetting]) is { } clientId)
        {
            services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))));
        }

        // The Application Insights provider adds a Warning-level default rule of its own, which would drop the
        // app's Information logs ("Published resume ..."); host.json's levels should decide instead.
        services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => r.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName);
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });
        return services;
    }

    private static string? ManagedIdentityClientId(string? authentication) =>
        authentication?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1];
}
