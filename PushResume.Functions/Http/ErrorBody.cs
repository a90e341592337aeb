using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace PushResume.Http;

/// <summary>The error shape every client of the original service already parses.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message)
{
    public static ErrorBody For(int status, string message) => new(status, ReasonPhrases.GetReasonPhrase(status), message);
}
