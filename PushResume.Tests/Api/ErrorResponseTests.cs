using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

/// <summary>Every documented error status, with the JSON error shape and no internal detail.</summary>
public sealed class ErrorResponseTests(ApiHost api) : IClassFixture<ApiHost>
{
    public static TheoryData<string?, string, string> BadSignInBodies => new()
    {
        { "application/json", "{\"code\": ", "Invalid JSON" },
        { "application/json", "", "Invalid JSON" },
        { "application/json", "[\"demo\"]", "Request body must be a JSON object" },
        { "application/json", "\"demo\"", "Request body must be a JSON object" },
        { "application/json", "{}", "'code' must be a non-empty string" },
        { "application/json", "{\"code\": 42}", "'code' must be a string" },
        { "application/json", "{\"code\": \"\"}", "'code' must be a non-empty string" },
        { "application/json", "{\"code\": null}", "'code' must be a non-empty string" },
        { "application/json", "{\"code\": \"demo\", \"state\": 7}", "'state' must be a string" },
        { "application/json", new string('[', 100) + new string(']', 100), "Invalid JSON" },
        { "text/plain", "{\"code\": \"demo\"}", "Content-Type must be application/json" },
        { "application/xml", "<code>demo</code>", "Content-Type must be application/json" },
        { null, "{\"code\": \"demo\"}", "Content-Type must be application/json" },
    };

    [Theory]
    [MemberData(nameof(BadSignInBodies))]
    public async Task Sign_in_with_a_bad_body_is_400_with_the_reason(string? contentType, string body, string message)
    {
        using var response = await api.Client.PostAsync("/auth/sandbox", Content(contentType, body));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Theory]
    [InlineData("{\"uniq\": 5}", "'uniq' must be a string")]
    [InlineData("{\"enabled\": true}", "'uniq' must be a non-empty string")]
    [InlineData("{\"uniq\": \"x\", \"enabled\": \"yes\"}", "'enabled' must be a boolean")]
    [InlineData("{\"uniq\": \"x\", \"enabled\": 1}", "'enabled' must be a boolean")]
    [InlineData("not json", "Invalid JSON")]
    public async Task Toggle_with_a_bad_body_is_400_with_the_reason(string body, string message)
    {
        var token = await api.SignInAsync("bad-toggle");

        using var response = await api.SendAsync(HttpMethod.Post, "/resume", token, Content("application/json", body));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task Toggle_with_a_wrong_content_type_is_400()
    {
        var token = await api.SignInAsync("wrong-type");

        using var response = await api.SendAsync(HttpMethod.Post, "/resume", token, Content("text/plain", "{\"uniq\":\"x\"}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "Content-Type must be application/json");
    }

    [Theory]
    [InlineData(64 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task A_body_over_64_KiB_is_413(int size)
    {
        var body = "{\"code\": \"" + new string('a', size) + "\"}";

        using var response = await api.Client.PostAsync("/auth/sandbox", Content("application/json", body));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request body must not exceed 65536 bytes");
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_413_too()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"code\": \"" + new string('a', 70 * 1024) + "\"}"));
        var content = new StreamContent(stream);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/sandbox") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await api.Client.SendAsync(request);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request body must not exceed 65536 bytes");
    }

    [Fact]
    public async Task A_body_of_exactly_64_KiB_is_read()
    {
        var padding = 64 * 1024 - "{\"code\":\"demo\",\"pad\":\"\"}".Length;
        var body = "{\"code\":\"demo\",\"pad\":\"" + new string('p', padding) + "\"}";

        using var response = await api.Client.PostAsync("/auth/sandbox", Content("application/json", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task An_unknown_provider_is_404(string method)
    {
        using var response = await api.SendAsync(new HttpMethod(method), "/auth/myspace", content: ApiHost.Json(new { code = "x" }));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "Provider not found");
    }

    [Fact]
    public async Task A_resume_the_user_never_listed_is_404()
    {
        var token = await api.SignInAsync("never-listed");
        await api.GetJsonAsync<JsonArray>("/resume", token);

        using var response = await api.SendAsync(HttpMethod.Post, "/resume", token, ApiHost.Json(new { uniq = "not-mine" }));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "Resume not found");
    }

    [Fact]
    public async Task Another_users_resume_is_404()
    {
        var owner = await api.SignInAsync("owner");
        var uniq = (await api.GetJsonAsync<JsonArray>("/resume", owner))[0]!["uniq"]!.GetValue<string>();
        var stranger = await api.SignInAsync("stranger");

        using var response = await api.SendAsync(HttpMethod.Post, "/resume", stranger, ApiHost.Json(new { uniq, enabled = true }));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "Resume not found");
        Assert.False((await api.GetJsonAsync<JsonArray>("/resume", owner))[0]!["enabled"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("a/b#c?d\\e%f")]
    [InlineData("\u0001\u007f")]
    public async Task Resume_ids_with_characters_tables_forbid_are_just_not_found(string uniq)
    {
        var token = await api.SignInAsync("odd-ids");

        using var response = await api.SendAsync(HttpMethod.Post, "/resume", token, ApiHost.Json(new { uniq }));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "Resume not found");
    }

    [Fact]
    public async Task A_code_the_provider_rejects_is_401()
    {
        using var response = await api.Client.PostAsync("/auth/sandbox", ApiHost.Json(new { code = "not a login!" }));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "The job site rejected the authorization code; sign in again");
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404_and_a_wrong_method_a_json_405_with_allow()
    {
        using var unknown = await api.Client.GetAsync("/api/resume");
        await ApiAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "Route not found");

        using var wrongMethod = await api.SendAsync(HttpMethod.Delete, "/stats");
        await ApiAssert.ErrorAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "Allowed methods: GET");
        Assert.Equal(["GET"], wrongMethod.Content.Headers.Allow);
    }

    [Fact]
    public async Task Storage_down_is_a_503_not_a_500()
    {
        var token = await api.SignInAsync("storage-down");
        await api.Azurite.StopAsync();
        try
        {
            using var response = await api.SendAsync(HttpMethod.Get, "/resume", token);

            await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "Storage is unavailable, try again later");
        }
        finally
        {
            await api.Azurite.StartAsync();
            foreach (var table in api.Tables.All)
            {
                await table.CreateIfNotExistsAsync();
            }
        }
    }

    private static StringContent Content(string? contentType, string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : new(contentType);
        return content;
    }
}
