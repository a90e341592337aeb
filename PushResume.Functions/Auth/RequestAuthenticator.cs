using PushResume.Http;
using PushResume.Storage;

namespace PushResume.Auth;

/// <summary>
/// Turns the <c>Authorization</c> header into the signed-in user. Functions call it themselves, so it runs the same
/// under the Functions host and the dev host.
/// </summary>
public sealed class RequestAuthenticator(AccessTokenService tokens, UserStore users)
{
    private const int MaxHeaderLength = 8 * 1024;
    private static readonly string[] Schemes = ["JWT", "Bearer"];

    public async Task<UserEntity> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            throw ApiException.Unauthorized("Missing Authorization header");
        }

        var token = headers.Count == 1 ? ParseToken(headers[0]) : null;
        if (token is null)
        {
            throw ApiException.Unauthorized("Authorization header must be 'JWT <token>'");
        }

        var userId = await tokens.ValidateAsync(token);
        return await users.FindAsync(userId, cancellationToken) ?? throw ApiException.Unauthorized("Unknown user");
    }

    private static string? ParseToken(string? header)
    {
        if (header is null || header.Length > MaxHeaderLength)
        {
            return null;
        }

        var parts = header.Split(' ');
        return parts.Length == 2
            && Schemes.Contains(parts[0], StringComparer.OrdinalIgnoreCase)
            && parts[1].Length > 0
            ? parts[1]
            : null;
    }
}
