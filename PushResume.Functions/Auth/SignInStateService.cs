using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using PushResume.Http;
using PushResume.Storage;

namespace PushResume.Auth;

/// <summary>
/// The OAuth <c>state</c>: a signed token naming the provider, valid for 10 minutes and accepted once. Its key is
/// derived from the JWT key for this purpose alone, and its audience and type differ from access tokens', so
/// neither kind of token passes for the other.
/// </summary>
public sealed class SignInStateService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string ProviderClaim = "prv";
    private static readonly byte[] KeyPurpose = Encoding.UTF8.GetBytes("PushResume sign-in state v1");

    private readonly JwtCodec codec;
    private readonly PushResumeTables tables;
    private readonly TimeProvider time;

    public SignInStateService(IOptions<JwtOptions> options, PushResumeTables tables, TimeProvider time)
    {
        var jwt = options.Value;
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, jwt.KeyBytes, 32, info: KeyPurpose);
        codec = new JwtCodec(key, jwt.Issuer, $"{jwt.Audience}/sign-in-state", "sign-in-state+jwt", time);
        this.tables = tables;
        this.time = time;
    }

    public string Create(string provider) =>
        codec.Create([new Claim(ProviderClaim, provider), new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N"))], Lifetime);

    /// <summary>Accepts a state once, for the provider it was made for; anything else is a 400.</summary>
    public async Task ConsumeAsync(string provider, string state, CancellationToken cancellationToken)
    {
        var result = await codec.ValidateAsync(state);
        if (!result.IsValid
            || !result.Claims.TryGetValue(JwtRegisteredClaimNames.Jti, out var jti) || jti is not string { Length: > 0 } id)
        {
            throw ApiException.BadRequest("Sign-in state is invalid or expired; start the sign-in again");
        }

        if (!result.Claims.TryGetValue(ProviderClaim, out var issuedFor) || !provider.Equals(issuedFor as string, StringComparison.Ordinal))
        {
            throw ApiException.BadRequest("Sign-in state was issued for another provider");
        }

        try
        {
            await tables.SpentStates.AddEntityAsync(
                new SpentStateEntity { PartitionKey = id, Provider = provider, ExpiresAt = time.GetUtcNow() + Lifetime + TimeSpan.FromMinutes(1) },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw ApiException.BadRequest("Sign-in state has already been used; start the sign-in again");
        }
    }

    /// <summary>Deletes the markers of states that have expired anyway; returns how many went.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var purged = 0;
        await foreach (var row in tables.SpentStates.QueryAsync<SpentStateEntity>(r => r.ExpiresAt < now, cancellationToken: cancellationToken))
        {
            await tables.SpentStates.DeleteEntityAsync(row, ETag.All, cancellationToken);
            purged++;
        }

        return purged;
    }
}
