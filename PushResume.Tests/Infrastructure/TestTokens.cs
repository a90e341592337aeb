using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PushResume.Tests.Infrastructure;

/// <summary>Hand-made tokens, good and bad, for the attacks the API must refuse.</summary>
public static class TestTokens
{
    public static string Sign(
        string subject,
        DateTimeOffset now,
        byte[]? key = null,
        string issuer = "pushresume",
        string audience = "pushresume",
        TimeSpan? lifetime = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject)]),
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromMinutes(15))).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? ApiHost.SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The classic <c>alg: none</c> forgery: a valid payload and no signature at all.</summary>
    public static string AlgNone(string subject, DateTimeOffset now)
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return $"{header}.{Base64UrlEncoder.Encode(Payload(subject, now))}.";
    }

    private static string Payload(string subject, DateTimeOffset now) =>
        $"{{\"sub\":\"{subject}\",\"iss\":\"pushresume\",\"aud\":\"pushresume\",\"nbf\":{now.ToUnixTimeSeconds()},\"exp\":{now.AddMinutes(15).ToUnixTimeSeconds()}}}";

    /// <summary>
    /// A genuine payload signed HS512 with the real key, made by hand because IdentityModel itself will not sign
    /// HS512 with a 256-bit key: only algorithm pinning stands between this token and acceptance.
    /// </summary>
    public static string Hs512(string subject, DateTimeOffset now)
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"HS512\",\"typ\":\"JWT\"}");
        var payload = Base64UrlEncoder.Encode(Payload(subject, now));
        var signature = HMACSHA512.HashData(ApiHost.SigningKey, Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>RS256 with a fresh RSA key: the server has no public key, so it must not accept it.</summary>
    public static string Rs256(string subject, DateTimeOffset now)
    {
        using var rsa = RSA.Create(2048);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject)]),
            Issuer = "pushresume",
            Audience = "pushresume",
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(15).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
        });
    }

    public static string SubjectOf(string token) => new JsonWebToken(token).Subject;

    /// <summary>The same token with <c>x</c> put before its subject, the signature left as it was.</summary>
    public static string Tamper(string token) => SwapSubject(token, "x" + SubjectOf(token));

    /// <summary>The same token claiming another subject, the signature left as it was.</summary>
    public static string SwapSubject(string token, string subject)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace($"\"sub\":\"{SubjectOf(token)}\"", $"\"sub\":\"{subject}\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
