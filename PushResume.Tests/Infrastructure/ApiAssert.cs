using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace PushResume.Tests.Infrastructure;

public static class ApiAssert
{
    /// <summary>The response is the JSON error with this status, its reason phrase and exactly this message.</summary>
    public static async Task ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((int)status, body!["status"]!.GetValue<int>());
        Assert.Equal(ReasonPhrases.GetReasonPhrase((int)status), body["error"]!.GetValue<string>());
        Assert.Equal(message, body["message"]!.GetValue<string>());
    }
}
