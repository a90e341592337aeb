using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PushResume.Auth;

/// <summary>
/// Signs and checks one kind of HS256 token. Validation pins the algorithm, the token type, issuer, audience and
/// lifetime (30 s of clock skew) against the clock of the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class JwtCodec
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials credentials;
    private readonly TokenValidationParameters parameters;
    private readonly string issuer;
    private readonly string audience;
    private readonly string tokenType;
    private readonly TimeProvider time;

    public JwtCodec(byte[] key, string issuer, string audience, string tokenType, TimeProvider time)
    {
        var securityKey = new SymmetricSecurityKey(key);
        credentials = new SigningCredentials(securityKey, SecurityAlgorithms.HmacSha256);
        this.issuer = issuer;
        this.audience = audience;
        this.tokenType = tokenType;
        this.time = time;
        parameters = new TokenValidationParameters
        {
            IssuerSigningKey = securityKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidTypes = [tokenType],
            ValidIssuer = issuer,
            ValidAudience = audience,
            ClockSkew = ClockSkew,
            // The library's own clock is not injectable; this check reads the app's TimeProvider instead.
            LifetimeValidator = ValidateLifetime,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
    }

    public string Create(IEnumerable<Claim> claims, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            TokenType = tokenType,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = credentials,
        });
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters validation)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry");
        }

        if (notBefore > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet");
        }

        return expires >= now - ClockSkew ? true : throw new SecurityTokenExpiredException("The token has expired");
    }

    /// <summary>The handler reports a bad token in the result instead of throwing; callers branch on IsValid.</summary>
    public Task<TokenValidationResult> ValidateAsync(string token) => handler.ValidateTokenAsync(token, parameters);
}
