using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using PushResume.DevHost;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>The dev host serves exactly what the Functions host would, with host.json's headers and local CORS.</summary>
public sealed class DevHostTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public void Routes_served_are_exactly_the_ones_in_functions_metadata()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray();
        var declared = metadata
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .Select(b => Describe(b!["route"]!.GetValue<string>(), b["methods"]?.AsArray().Select(m => m!.GetValue<string>())))
            .Order(StringComparer.Ordinal)
            .ToList();

        var served = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/admin/", StringComparison.Ordinal))
            .Select(e => Describe(e.RoutePattern.RawText!, e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(18, metadata.Count);
        Assert.Equal(declared, served);
    }

    [Fact]
    public async Task Every_timer_function_in_functions_metadata_runs_through_the_admin_api()
    {
        var timers = FunctionsWithTrigger("timerTrigger");
        using var admin = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal(6, timers.Count);
        Assert.Equal(timers, api.Services.GetRequiredService<TriggerRunners>().Timers.Keys.Order(StringComparer.Ordinal));
        foreach (var name in timers)
        {
            using var response = await admin.PostAsync($"/admin/functions/{name}", null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        using var unknown = await admin.PostAsync("/admin/functions/NoSuchFunction", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public void Every_queue_function_in_functions_metadata_has_a_listener_on_its_queue()
    {
        var queues = FunctionsWithTrigger("queueTrigger");

        Assert.Equal(["CleanUpUser", "PublishResume", "RecordFailedPublish"], queues);
        Assert.Equal(queues, api.Services.GetRequiredService<TriggerRunners>().Queues.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/stats")]
    [InlineData("/auth/providers")]
    [InlineData("/resume")]
    [InlineData("/no/such/route")]
    public async Task Host_json_security_headers_are_on_every_response(string path)
    {
        using var response = await api.Client.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_grants_exactly_the_frontend_origin()
    {
        using var allowed = await PreflightAsync(ApiHost.FrontendUrl);
        Assert.Equal(ApiHost.FrontendUrl, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var refused = await PreflightAsync("http://evil.example");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/resume");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        return await client.SendAsync(request);
    }

    private static List<string> FunctionsWithTrigger(string type) =>
        [.. JsonNode.Parse(File.ReadAllText(MetadataPath))!.AsArray()
            .Where(f => f!["bindings"]!.AsArray().Any(b => b!["type"]!.GetValue<string>() == type))
            .Select(f => f!["name"]!.GetValue<string>())
            .Order(StringComparer.Ordinal)];

    private static string MetadataPath =>
        RepositoryPaths.Combine("PushResume.Functions", "bin", RepositoryPaths.Configuration, "net10.0", "functions.metadata");

    private static string Describe(string route, IEnumerable<string>? methods) =>
        $"{route.TrimStart('/')} [{string.Join(",", (methods ?? []).Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal))}]";
}
