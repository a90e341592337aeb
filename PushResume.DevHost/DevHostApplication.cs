using Microsoft.Extensions.Configuration.Memory;
using PushResume.Http;

namespace PushResume.DevHost;

/// <summary>
/// Serves the Functions app without Azure Functions Core Tools: the same service registration, the functions read
/// from their attributes, settings read the way <c>func</c> reads them, and host.json's route prefix and headers.
/// </summary>
public static partial class DevHostApplication
{
    /// <param name="customize">Runs before the app's services are registered; tests use it to swap the clock or settings.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        var settingsFile = LocalSettings.Find(builder.Configuration["settings"], builder.Environment.ContentRootPath);
        if (settingsFile is not null)
        {
            // First source, so environment variables and the command line override the file, as with func.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LocalSettings.Load(settingsFile) });
        }

        customize?.Invoke(builder);
        builder.Services.AddPushResume(builder.Configuration);
        builder.Services.AddCors();
        var hostJson = HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json"), builder.Configuration);
        builder.Services.AddSingleton(hostJson);
        builder.Services.AddSingleton<TriggerRunners>();
        builder.Services.AddHostedService<TriggerService>();

        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                foreach (var (name, value) in hostJson.CustomHeaders)
                {
                    context.Response.Headers[name] = value;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseCors(policy => AllowOrigins(policy, app.Configuration["Host:CORS"]));
        MapFunctions(app, hostJson);
        LogStarting(app.Logger, settingsFile ?? "environment only", FunctionCatalog.All.Count);
        return app;
    }

    private static void MapFunctions(WebApplication app, HostJson hostJson)
    {
        foreach (var function in FunctionCatalog.All)
        {
            FunctionInvoker.EnsureSupported(function);
            if (function.Http is { } trigger)
            {
                var route = hostJson.Route(trigger.Route ?? function.Name);
                RequestDelegate handler = context => FunctionInvoker.InvokeHttpAsync(function, context);
                var endpoint = function.HttpMethods.Count == 0 ? app.Map(route, handler) : app.MapMethods(route, function.HttpMethods, handler);
                endpoint.WithDisplayName(function.Name);
            }
        }

        // Like the Functions host's admin API: run a timer function now. The answer comes once the run has ended.
        app.MapPost("/admin/functions/{name}", async (string name, HttpContext context) =>
        {
            var runners = context.RequestServices.GetRequiredService<TriggerRunners>();
            if (!runners.Timers.ContainsKey(name))
            {
                return Results.NotFound();
            }

            await runners.RunTimerNowAsync(name, context.RequestAborted);
            return Results.Accepted();
        }).WithDisplayName("Admin: run function");
    }

    private static void AllowOrigins(Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder policy, string? origins)
    {
        var list = (origins ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Contains("*"))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            policy.WithOrigins(list);
        }

        policy.AllowAnyHeader().AllowAnyMethod();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PushResume dev host: settings from {SettingsFile}; {FunctionCount} functions")]
    private static partial void LogStarting(ILogger logger, string settingsFile, int functionCount);
}
