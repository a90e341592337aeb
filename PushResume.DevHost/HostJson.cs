using System.Globalization;
using System.Text.Json.Nodes;

namespace PushResume.DevHost;

/// <summary>
/// The parts of <c>host.json</c> the dev host acts on, read from the file the Functions host reads: the route
/// prefix and headers of HTTP responses, and the queue trigger's settings.
/// </summary>
public sealed record HostJson(string RoutePrefix, IReadOnlyDictionary<string, string> CustomHeaders, QueueSettings Queues)
{
    /// <summary>
    /// Reads the file, then lets app settings override any value as the Functions host does
    /// (<c>AzureFunctionsJobHost__extensions__queues__visibilityTimeout</c>).
    /// </summary>
    public static HostJson Load(string path, IConfiguration? overrides = null)
    {
        var extensions = JsonNode.Parse(File.ReadAllText(path))?["extensions"];
        var http = extensions?["http"];
        var headers = http?["customHeaders"]?.AsObject()
            .ToDictionary(h => h.Key, h => h.Value?.ToString() ?? string.Empty) ?? [];
        var queues = extensions?["queues"];
        var queueOverrides = overrides?.GetSection("AzureFunctionsJobHost:extensions:queues");
        string? Queue(string name) => queueOverrides?[name] ?? queues?[name]?.ToString();
        var defaults = new QueueSettings();
        var settings = new QueueSettings
        {
            BatchSize = Parse(Queue("batchSize"), int.Parse, defaults.BatchSize),
            MaxDequeueCount = Parse(Queue("maxDequeueCount"), int.Parse, defaults.MaxDequeueCount),
            VisibilityTimeout = Parse(Queue("visibilityTimeout"), TimeSpan.Parse, defaults.VisibilityTimeout),
            MaxPollingInterval = Parse(Queue("maxPollingInterval"), TimeSpan.Parse, defaults.MaxPollingInterval),
        };

        // The Functions host's default prefix is "api" when host.json does not say.
        return new HostJson(http?["routePrefix"]?.GetValue<string>() ?? "api", headers, settings);
    }

    public string Route(string functionRoute) =>
        RoutePrefix.Length == 0 ? functionRoute : $"{RoutePrefix.Trim('/')}/{functionRoute}";

    private static T Parse<T>(string? value, Func<string, IFormatProvider, T> parse, T fallback) =>
        value is null ? fallback : parse(value, CultureInfo.InvariantCulture);
}

/// <summary>host.json's <c>extensions.queues</c>, with the Functions host's defaults.</summary>
public sealed record QueueSettings
{
    public int BatchSize { get; init; } = 16;

    /// <summary>Tries of one message, the first included, before it moves to the poison queue.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before its next try.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
}
