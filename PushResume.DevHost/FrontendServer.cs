using System.Text.Json.Nodes;
using Microsoft.Extensions.FileProviders;

namespace PushResume.DevHost;

/// <summary>
/// Serves <c>web/</c> locally the way Static Web Apps serves it in Azure: its files; the navigation fallback to
/// <c>index.html</c> (so <c>/auth/headhunter?code=...</c> loads the app); the <c>globalHeaders</c> of
/// <c>staticwebapp.config.json</c>, with the API's origin in the Content-Security-Policy as the deploy hook writes
/// it; and a <c>config.json</c> that points at the local API.
/// </summary>
public static class FrontendServer
{
    public const string ApiOriginPlaceholder = "__API_ORIGIN__";

    /// <param name="apiBaseUrl">Read per request, so a test can start the frontend before the API it points at.</param>
    public static WebApplication Create(string webRoot, string urls, Func<Uri> apiBaseUrl)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = webRoot, WebRootPath = webRoot });
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        var swaConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(webRoot, "staticwebapp.config.json")))!;
        var headers = swaConfig["globalHeaders"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());
        var files = new PhysicalFileProvider(webRoot);

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var apiOrigin = apiBaseUrl().GetLeftPart(UriPartial.Authority);
                foreach (var (name, value) in headers)
                {
                    context.Response.Headers[name] = value.Replace(ApiOriginPlaceholder, apiOrigin, StringComparison.Ordinal);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        app.MapGet("/config.json", () => Results.Json(new { apiBaseUrl = apiBaseUrl().ToString().TrimEnd('/') }));
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        // Like navigationFallback: a path without a file extension is a page of the app; a missing file is a 404.
        app.MapFallback(context =>
        {
            if (Path.HasExtension(context.Request.Path.Value))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        });
        return app;
    }
}
