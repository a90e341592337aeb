namespace PushResume.Http;

/// <summary>
/// An outcome the caller is meant to see: <see cref="ApiEndpoint"/> turns it into the JSON error body with this
/// status. Any other exception becomes a bare 500 so that no internal detail leaks.
/// </summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);

    public static ApiException Unauthorized(string message) => new(StatusCodes.Status401Unauthorized, message);

    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);

    public static ApiException ServiceUnavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, message);
}
