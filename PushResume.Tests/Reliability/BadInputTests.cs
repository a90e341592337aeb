using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CsCheck;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Reliability;

/// <summary>
/// Ten thousand generated requests across every route: random and truncated JSON, wrong types, deep nesting,
/// huge strings, Unicode and control characters in <c>uniq</c>, <c>code</c>, <c>state</c> and the provider
/// segment, odd methods, duplicate and missing headers, random Authorization values. None may answer 5xx, every
/// answer carries the security headers and every 4xx the JSON error shape, no rejected request writes to storage,
/// and the app works afterwards.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class BadInputTests(ApiHost api, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ApiHost>
{
    public const int Requests = 10_000;

    private static readonly string[] Tables = ["Users", "Identities", "Resumes", "SpentStates", "PublishSchedule", "PushLog"];

    private static readonly Gen<string> Nasty = Gen.OneOf(
        Gen.String[0, 40],
        Gen.Char[(char)0, (char)31].Array[1, 20].Select(chars => new string(chars)),
        Gen.OneOf("", " ", "%00", "../../etc/passwd", "%2F%2e%2e", "☃💥", "\u202e\u0000", "null", "<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}", new string('x', 5_000)));

    private static readonly Gen<string> Body = Gen.OneOf(
        Gen.OneOf("", "{", "{\"uniq\":", "[]", "null", "true", "1", "\"x\"", "{\"uniq\":1}", "{\"uniq\":null}", "{\"uniq\":[],\"enabled\":\"yes\"}", "{\"code\":{}}", "{\"code\":\"a\",\"state\":7}"),
        Nasty.Select(s => JsonSerializer.Serialize(new { uniq = s, enabled = true })),
        Nasty.Select(s => JsonSerializer.Serialize(new { uniq = s })),
        // Sign-in codes always carry a character no site's login accepts, so no generated sign-in succeeds.
        Gen.Select(Nasty, Nasty, (code, state) => JsonSerializer.Serialize(new { code = "!" + code, state })),
        Nasty.Select(code => JsonSerializer.Serialize(new { code = "!" + code })),
        Gen.Int[1, 300].Select(depth => new string('[', depth) + new string(']', depth)),
        Gen.Int[1, 300].Select(depth => string.Concat(Enumerable.Repeat("{\"uniq\":", depth)) + "1" + new string('}', depth)),
        Gen.String[0, 200],
        Gen.Const(new string('a', 70_000)));

    private static readonly Gen<string> Path = Gen.OneOf(
        Gen.OneOf("/auth/providers", "/auth/refresh", "/resume", "/user", "/stats", "/auth/sandbox", "/auth/headhunter", "/auth/superjob", "/", "/api/resume"),
        Nasty.Select(segment => "/auth/" + Uri.EscapeDataString(segment)),
        Nasty.Select(segment => "/" + Uri.EscapeDataString(segment)));

    [Fact]
    public async Task Ten_thousand_malformed_requests_get_no_5xx_a_json_error_each_and_write_nothing()
    {
        var token = await api.SignInAsync("fuzzed");
        await api.GetJsonAsync<JsonArray>("/resume", token);
        await api.GetJsonAsync<JsonObject>("/stats");
        var before = await CountRowsAsync();
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var authorization = Gen.OneOf(
            Gen.Const((string?)null),
            Gen.OneOf<string?>("JWT", "JWT ", "Bearer", "JWT a.b.c", "JWT eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic dXNlcjpwYXNz"),
            Nasty.Select(s => (string?)("JWT " + s)),
            Gen.Const<string?>($"JWT {token}"));
        var request = Gen.Select(
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
            Path,
            Body,
            authorization,
            Gen.OneOf<string?>(null, "application/json", "text/plain", "application/json; charset=utf-16", "application/xml"),
            Gen.Bool,
            (method, path, body, auth, contentType, twice) => new FuzzRequest(method, path, body, auth, contentType, twice));
        var sent = 0;
        var refusedByServer = 0;
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var failures = new List<string>();

        await request.SampleAsync(
            async fuzz =>
            {
                // The user's own DELETE would be an accepted request that writes; every other one must be refused.
                if (fuzz.Method == "DELETE" && fuzz.Authorization == $"JWT {token}")
                {
                    return;
                }

                using var response = await client.SendAsync(fuzz.ToMessage());
                Interlocked.Increment(ref sent);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                // Kestrel (under the Functions host too) refuses a path holding an encoded NUL with an empty 400
                // before any app code runs; that is the one 4xx the app cannot shape.
                if (fuzz.Path.Contains("%00", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.BadRequest
                    && (await response.Content.ReadAsByteArrayAsync()).Length == 0)
                {
                    Interlocked.Increment(ref refusedByServer);
                    return;
                }

                if (await ProblemAsync(response) is { } problem)
                {
                    lock (failures)
                    {
                        failures.Add($"{fuzz}: {problem}");
                    }
                }
            },
            iter: Requests + (Requests / 10),
            threads: 4);

        output.WriteLine($"Sent {sent}; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; refused by Kestrel before the app: {refusedByServer}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
        Assert.True(sent >= Requests, $"only {sent} requests were sent");
        Assert.True(refusedByServer < sent / 10, $"{refusedByServer} of {sent} were refused by the server before the app");
        Assert.Equal(before, await CountRowsAsync());
        var again = await api.SignInAsync("fuzzed-after");
        Assert.Equal(3, (await api.GetJsonAsync<JsonArray>("/resume", again)).Count);
    }

    /// <summary>
    /// What is wrong with the answer, or null: no 5xx, host.json's security headers on every answer, and a 4xx
    /// with the API's JSON error body.
    /// </summary>
    private static async Task<string?> ProblemAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"answered {status}";
        }

        if (!response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) || nosniff.Single() != "nosniff"
            || !response.Headers.TryGetValues("X-Frame-Options", out var frames) || frames.Single() != "DENY"
            || !response.Headers.Contains("Content-Security-Policy"))
        {
            return $"{status} without the security headers";
        }

        if (status < 400)
        {
            return null;
        }

        var text = await response.Content.ReadAsStringAsync();
        try
        {
            var body = JsonNode.Parse(text)!.AsObject();
            return body["status"]?.GetValue<int>() == status && body["error"] is JsonValue && body["message"] is JsonValue
                ? null
                : $"{status} with an error body of the wrong shape: {text}";
        }
        catch (JsonException)
        {
            return $"{status} without a JSON error body: {text[..Math.Min(text.Length, 200)]}";
        }
    }

    private async Task<Dictionary<string, int>> CountRowsAsync()
    {
        var counts = new Dictionary<string, int>();
        foreach (var table in Tables)
        {
            var count = 0;
            await foreach (var _ in api.Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }

            counts[table] = count;
        }

        return counts;
    }

    private sealed record FuzzRequest(string Method, string Path, string Body, string? Authorization, string? ContentType, bool TwoAuthorizationHeaders)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Method is not ("GET" or "OPTIONS") || Body.Length % 3 == 0)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
                if (ContentType is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            if (Authorization is not null)
            {
                // A header value cannot carry line breaks or other control characters on the wire at all.
                var value = new string([.. Authorization.Where(c => c is >= ' ' and <= '~')]);
                message.Headers.TryAddWithoutValidation("Authorization", value);
                if (TwoAuthorizationHeaders)
                {
                    message.Headers.TryAddWithoutValidation("Authorization", "JWT second");
                }
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return message;
        }

        public override string ToString() =>
            $"{Method} {Path[..Math.Min(Path.Length, 80)]} auth={Authorization?[..Math.Min(Authorization.Length, 40)]} type={ContentType} body={Body[..Math.Min(Body.Length, 80)]}";
    }
}
