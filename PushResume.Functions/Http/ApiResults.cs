using Microsoft.AspNetCore.Mvc;

namespace PushResume.Http;

public static class ApiResults
{
    public static IActionResult Json(object body, int status = StatusCodes.Status200OK) =>
        new ObjectResult(body) { StatusCode = status, ContentTypes = { "application/json" } };

    public static IActionResult Error(int status, string message) => Json(ErrorBody.For(status, message), status);

    /// <summary>A body that is JSON already, such as a cached document, written as it is.</summary>
    public static IActionResult RawJson(string json) =>
        new ContentResult { Content = json, ContentType = "application/json; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
