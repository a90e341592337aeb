using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// hh.ru's official OpenAPI 3.0 document (a copy in the team's shared reference folder), turned into JSON Schema
/// 2020-12 so the fake hh.ru's replies can be checked against the real API's schemas.
/// </summary>
public sealed class HhSpec
{
    private const string FileName = "hh-openapi.yaml";

    private static readonly Lazy<HhSpec?> Loaded = new(Load);

    private readonly JsonObject document;
    private readonly JsonObject definitions;

    private HhSpec(JsonObject document)
    {
        this.document = document;
        definitions = Convert(document["components"]!["schemas"]!).AsObject();
    }

    /// <summary>The spec, or null on a clone without the shared reference folder.</summary>
    public static HhSpec? Instance => Loaded.Value;

    /// <summary>Where the spec is looked for: <c>PUSHRESUME_REFERENCE_DIR</c>, else <c>shared/reference</c> beside or above the repository.</summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("PUSHRESUME_REFERENCE_DIR") is { Length: > 0 } configured)
        {
            return Path.Combine(configured, FileName);
        }

        for (var dir = new DirectoryInfo(RepositoryPaths.Root); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>What is wrong with <paramref name="body"/> as the spec's reply to this call, or null when it fits.</summary>
    public string? Check(string path, string method, int status, JsonNode? body)
    {
        var schema = document["paths"]?[path]?[method]?["responses"]?[status.ToString(CultureInfo.InvariantCulture)]?["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            return $"hh.ru's spec has no JSON reply {status} for {method.ToUpperInvariant()} {path}";
        }

        schema = ApplyDiscriminator(schema, body);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions.DeepClone(),
        };
        foreach (var (key, value) in Convert(schema).AsObject())
        {
            root[key] = value?.DeepClone();
        }

        var result = JsonSchema.FromText(root.ToJsonString()).Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? null
            : string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(10));
    }

    /// <summary>
    /// OpenAPI picks one branch of a <c>oneOf</c> by its discriminator property (<c>/me</c> answers by
    /// <c>auth_type</c>); JSON Schema would demand that exactly one branch match, which loose branches defeat.
    /// </summary>
    private JsonNode ApplyDiscriminator(JsonNode schema, JsonNode? body)
    {
        var target = schema["$ref"]?.GetValue<string>() is { } reference
            ? document["components"]!["schemas"]![reference.Split('/')[^1]]!
            : schema;
        return target["discriminator"] is { } discriminator
            && body?[discriminator["propertyName"]!.GetValue<string>()]?.GetValue<string>() is { } kind
            && discriminator["mapping"]?[kind]?.GetValue<string>() is { } mapped
                ? new JsonObject { ["$ref"] = mapped }
                : schema;
    }

    private static HhSpec? Load()
    {
        if (Locate() is not { } path || !File.Exists(path))
        {
            return null;
        }

        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        return new HhSpec(OpenApiContract.ToJson(yaml.Documents[0].RootNode)!.AsObject());
    }

    /// <summary>
    /// OpenAPI 3.0 marks null-allowed schemas with <c>nullable: true</c>, which JSON Schema does not know: such a
    /// schema becomes "null, or the schema". References move from components to <c>$defs</c>.
    /// </summary>
    private static JsonNode Convert(JsonNode node)
    {
        var copy = JsonNode.Parse(node.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!;
        return Rewrite(copy);
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        array[i] = Rewrite(item.DeepClone());
                    }
                }

                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is { } child)
                    {
                        obj[key] = Rewrite(child.DeepClone());
                    }
                }

                if (obj["nullable"] is JsonValue flag && flag.TryGetValue<bool>(out var nullable) && nullable)
                {
                    obj.Remove("nullable");
                    return new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, obj.DeepClone()) };
                }

                return obj;
            default:
                return node;
        }
    }
}
