using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PushResume.Http;

namespace PushResume.Auth;

/// <summary>Issues and checks the API's own access tokens; the subject is the internal user id.</summary>
public sealed class AccessTokenService
{
    private readonly JwtCodec codec;
    private readonly TimeSpan lifetime;

    public AccessTokenService(IOptions<JwtOptions> options, TimeProvider time)
    {
        var jwt = options.Value;
        codec = new JwtCodec(jwt.KeyBytes, jwt.Issuer, jwt.Audience, "JWT", time);
        lifetime = TimeSpan.FromMinutes(jwt.LifetimeMinutes);
    }

    public string Issue(string userId) =>
        codec.Create([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))], lifetime);

    /// <summary>Returns the user id the token was issued to, or throws a 401 that says what is wrong with it.</summary>
    public async Task<string> ValidateAsync(string token)
    {
        var result = await codec.ValidateAsync(token);
        if (!result.IsValid)
        {
            throw ApiException.Unauthorized(result.Exception is SecurityTokenExpiredException ? "Token has expired" : "Invalid token");
        }

        return result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var subject) && subject is string { Length: > 0 } userId
            ? userId
            : throw ApiException.Unauthorized("Invalid token");
    }
}
