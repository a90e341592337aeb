using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PushResume.Http;

namespace PushResume.Functions;

/// <summary>
/// Catches every request no other function routes (a catch-all has the lowest route precedence), so an unknown
/// path is a JSON 404 and a known path with the wrong method is a JSON 405 listing the allowed methods.
/// </summary>
public static class FallbackFunctions
{
    [Function("Fallback")]
    public static IActionResult Fallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "{*path}")] HttpRequest request)
    {
        var allowed = FunctionCatalog.AllowedMethods(request.Path);
        if (allowed.Count == 0)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "Route not found");
        }

        request.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiResults.Error(StatusCodes.Status405MethodNotAllowed, $"Allowed methods: {string.Join(", ", allowed)}");
    }
}
