using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;

namespace PushResume.Http;

/// <summary>Reads a JSON object body the way the API promises: JSON only, at most 64 KiB, and typed fields.</summary>
public static class JsonRequest
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 32 };

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            throw ApiException.BadRequest("Content-Type must be application/json");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        var body = await ReadLimitedAsync(request.Body, cancellationToken);
        try
        {
            return JsonNode.Parse(body, documentOptions: ParseOptions) as JsonObject
                ?? throw ApiException.BadRequest("Request body must be a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("Invalid JSON");
        }
    }

    public static string RequiredString(JsonObject body, string name) =>
        OptionalString(body, name) is { Length: > 0 } value
            ? value
            : throw ApiException.BadRequest($"'{name}' must be a non-empty string");

    public static string? OptionalString(JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw ApiException.BadRequest($"'{name}' must be a string"),
        };

    public static bool? OptionalBoolean(JsonObject body, string name) =>
        body[name] switch
        {
            null => null,
            JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
            _ => throw ApiException.BadRequest($"'{name}' must be a boolean"),
        };

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"Request body must not exceed {MaxBodyBytes} bytes");
}
