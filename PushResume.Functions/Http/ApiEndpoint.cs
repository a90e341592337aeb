using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using PushResume.Auth;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Http;

/// <summary>
/// Runs one HTTP function body and maps every failure to the documented JSON error. It is called from inside
/// each function rather than from host middleware, so it behaves the same under <c>func</c> and the dev host.
/// </summary>
public sealed partial class ApiEndpoint(RequestAuthenticator authenticator, ILogger<ApiEndpoint> logger)
{
    /// <summary>Like <see cref="RunAsync"/>, for a route that needs the signed-in user.</summary>
    public Task<IActionResult> RunAsUserAsync(HttpRequest request, Func<UserEntity, Task<IActionResult>> handler, CancellationToken cancellationToken) =>
        RunAsync(request, async () => await handler(await authenticator.AuthenticateAsync(request, cancellationToken)));

    public async Task<IActionResult> RunAsync(HttpRequest request, Func<Task<IActionResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (ApiException e)
        {
            return Fail(request, e.Status, e.Message);
        }
        catch (ProviderException e)
        {
            LogProviderFailure(logger, e.Provider, e.Failure, request.Path);
            return e.Failure == ProviderFailure.ReloginRequired
                ? Fail(request, StatusCodes.Status401Unauthorized, "The job site no longer accepts this sign-in; sign in again")
                : Fail(request, StatusCodes.Status503ServiceUnavailable, "Provider error");
        }
        catch (StorageContentionException e)
        {
            return Fail(request, StatusCodes.Status503ServiceUnavailable, e.Message + "; try again");
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e))
        {
            LogStorageUnavailable(logger, e, request.Path);
            return Fail(request, StatusCodes.Status503ServiceUnavailable, "Storage is unavailable, try again later");
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this response.
            return new EmptyResult();
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e, request.Method, request.Path);
            return Fail(request, StatusCodes.Status500InternalServerError, "Unexpected error");
        }
    }

    private static IActionResult Fail(HttpRequest request, int status, string message)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "JWT";
        }

        return ApiResults.Error(status, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} failed with {Failure} on {Path}")]
    private static partial void LogProviderFailure(ILogger logger, string provider, ProviderFailure failure, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable on {Path}")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
