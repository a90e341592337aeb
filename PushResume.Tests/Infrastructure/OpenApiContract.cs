using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// docs/openapi.yaml, used as a checker: every response a test receives must be one the document promises, with a
/// body that matches the promised schema, so the document cannot drift from the code.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonObject document;
    private readonly List<(string Template, Regex Pattern)> paths;

    private OpenApiContract(JsonObject document)
    {
        this.document = document;
        paths = [.. document["paths"]!.AsObject()
            .Select(p => (p.Key, new Regex("^" + Regex.Replace(p.Key, @"\{[^}]+\}", "[^/]+") + "$", RegexOptions.None, TimeSpan.FromSeconds(1))))
            // Literal segments win over parameters, as in the app's routing (/auth/providers before /auth/{provider}).
            .OrderBy(p => p.Key.Count(c => c == '{'))];
    }

    public static OpenApiContract Instance { get; } = Load(RepositoryPaths.Combine("docs", "openapi.yaml"));

    public JsonObject Document => document;

    public static OpenApiContract Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        return new OpenApiContract(ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>Returns what is wrong with the response, or null when the document allows it.</summary>
    public string? Check(string method, string path, int status, string? contentType, string body, IEnumerable<string> headerNames)
    {
        var operation = FindOperation(method, path);
        JsonNode? response;
        if (operation is null)
        {
            if (status is not (404 or 405))
            {
                return $"{method} {path} is not in the document, yet answered {status}";
            }

            response = Resolve(document["components"]!["responses"]!["Error"])!;
        }
        else
        {
            response = Resolve(operation["responses"]?[status.ToString(CultureInfo.InvariantCulture)] ?? operation["responses"]?["default"]);
            if (response is null)
            {
                return $"{method} {path} answered {status}, which the document does not list";
            }
        }

        foreach (var header in response["headers"]?.AsObject() ?? [])
        {
            if (!headerNames.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            {
                return $"{method} {path} answered {status} without the header {header.Key}";
            }
        }

        var schema = response["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            return body.Length == 0 ? null : $"{method} {path} answered {status} with a body the document does not describe";
        }

        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return $"{method} {path} answered {status} with Content-Type '{contentType}', not application/json";
        }

        var results = CompileSchema(schema).Evaluate(JsonNode.Parse(body), Evaluation);
        return results.IsValid
            ? null
            : $"{method} {path} answered {status} with a body that breaks the schema: " +
              string.Join("; ", results.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) +
              $"\nBody: {body}";
    }

    private JsonObject? FindOperation(string method, string path)
    {
        foreach (var (template, pattern) in paths)
        {
            if (pattern.IsMatch(path))
            {
                return document["paths"]![template]![method.ToLowerInvariant()]?.AsObject();
            }
        }

        return null;
    }

    private JsonNode? Resolve(JsonNode? node)
    {
        while (node?["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate<string, JsonNode?>(document, (current, segment) => current?[segment]);
        }

        return node;
    }

    private JsonSchema CompileSchema(JsonNode schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = RewriteReferences(document["components"]!["schemas"]!),
        };
        foreach (var (key, value) in RewriteReferences(schema).AsObject().ToList())
        {
            root[key] = value?.DeepClone();
        }

        return JsonSchema.FromText(root.ToJsonString());
    }

    private static JsonNode RewriteReferences(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!;

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => PlainScalar(scalar.Value!),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    /// <summary>Unquoted YAML scalars carry their type: numbers, booleans and null stay what they are.</summary>
    private static JsonValue? PlainScalar(string value) => value switch
    {
        "null" or "~" or "" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
        _ => JsonValue.Create(value),
    };
}

/// <summary>Checks every response against <see cref="OpenApiContract"/> before the test sees it.</summary>
public sealed class ContractCheckingHandler(OpenApiContract contract) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = contract.Check(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            body,
            response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)));
        return problem is null ? response : throw new OpenApiViolationException(problem);
    }
}

public sealed class OpenApiViolationException(string message) : Exception(message);
