using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.Timeout;

namespace PushResume.Providers;

/// <summary>A provider's reply, read in full: its status and its body as JSON, or null when the body is not JSON.</summary>
public sealed record ProviderReply(HttpStatusCode Status, JsonNode? Json)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public bool IsServerError => (int)Status >= 500;
}

/// <summary>Sends provider requests; the failures every site shares (network, time-outs, non-JSON pages) become Transient.</summary>
public static class ProviderHttp
{
    public static async Task<ProviderReply> SendAsync(HttpClient client, HttpRequestMessage request, string provider, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ProviderReply(response.StatusCode, ParseJson(body));
        }
        catch (HttpRequestException e)
        {
            throw new ProviderException(provider, ProviderFailure.Transient, "The job site could not be reached", e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ProviderException(provider, ProviderFailure.Transient, "The job site did not answer in time", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(provider, ProviderFailure.Transient, "The job site did not answer in time", e);
        }
    }

    /// <summary>A call on behalf of a user: both sites take the user's access token as a Bearer header.</summary>
    public static async Task<ProviderReply> SendAsUserAsync(HttpClient client, HttpMethod method, Uri url, string accessToken, string provider, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await SendAsync(client, request, provider, cancellationToken);
    }

    /// <summary>A person's display name from the site's first and last name fields, skipping the missing ones.</summary>
    public static string FullName(JsonNode? person, string firstName, string lastName) =>
        string.Join(' ', new[] { Text(person, firstName), Text(person, lastName) }.Where(n => !string.IsNullOrWhiteSpace(n)));

    /// <summary>Anti-bot pages, proxies and 5xx replies often carry HTML or text; those are not errors of the caller.</summary>
    private static JsonNode? ParseJson(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? WholeNumber(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    public static bool? Flag(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static IEnumerable<JsonObject> Objects(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonArray array ? array.OfType<JsonObject>() : [];
}
