using System.Text.Json.Nodes;

namespace PushResume.DevHost;

/// <summary>The parts of <c>host.json</c> that shape HTTP responses, read from the file the Functions host reads.</summary>
internal sealed record HostJson(string RoutePrefix, IReadOnlyDictionary<string, string> CustomHeaders)
{
    public static HostJson Load(string path)
    {
        var http = JsonNode.Parse(File.ReadAllText(path))?["extensions"]?["http"];
        var headers = http?["customHeaders"]?.AsObject()
            .ToDictionary(h => h.Key, h => h.Value?.ToString() ?? string.Empty) ?? [];
        // The Functions host's default prefix is "api" when host.json does not say.
        return new HostJson(http?["routePrefix"]?.GetValue<string>() ?? "api", headers);
    }

    public string Route(string functionRoute) =>
        RoutePrefix.Length == 0 ? functionRoute : $"{RoutePrefix.Trim('/')}/{functionRoute}";
}
