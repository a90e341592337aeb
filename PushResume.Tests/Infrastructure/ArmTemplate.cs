using System.Text.Json.Nodes;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// The ARM JSON that <c>bicep build infra/main.bicep</c> produces (the test command writes it to
/// <c>.local/infra/main.json</c>): the main template, and each module's nested deployment and resources.
/// </summary>
public sealed class ArmTemplate
{
    private ArmTemplate(JsonObject root) => Root = root;

    public static ArmTemplate Main { get; } = Load();

    public JsonObject Root { get; }

    /// <summary>The whole template as text, for checks that nothing anywhere uses a construct.</summary>
    public string Text => Root.ToJsonString();

    /// <summary>The nested deployment of a module of main.bicep, by its deployment name.</summary>
    public JsonObject Module(string name) =>
        Resources(Root).Single(r => r["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == name);

    /// <summary>What main.bicep passes to a module parameter.</summary>
    public JsonNode Parameter(string module, string parameter) => Module(module)["properties"]!["parameters"]![parameter]!["value"]!;

    /// <summary>The resources a module declares, of one type.</summary>
    public IReadOnlyList<JsonObject> ModuleResources(string module, string type) =>
        [.. Resources(Module(module)["properties"]!["template"]!.AsObject()).Where(r => r["type"]!.GetValue<string>() == type)];

    public JsonObject ModuleResource(string module, string type) => Assert.Single(ModuleResources(module, type));

    /// <summary>Resources are an array, or an object keyed by symbolic name in templates of language version 2.</summary>
    private static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject map => map.Select(r => r.Value!.AsObject()),
        _ => [],
    };

    private static ArmTemplate Load()
    {
        var path = RepositoryPaths.Combine(".local", "infra", "main.json");
        return File.Exists(path)
            ? new ArmTemplate(JsonNode.Parse(File.ReadAllText(path))!.AsObject())
            : throw new InvalidOperationException($"{path} is missing: scripts/test.sh compiles infra/main.bicep into it before the tests run");
    }
}
