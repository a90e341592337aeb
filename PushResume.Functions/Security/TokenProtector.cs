using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace PushResume.Security;

/// <summary>
/// AES-256-GCM for provider tokens at rest. A protected value is <c>v1.{keyId}.{base64url(nonce|ciphertext|tag)}</c>:
/// the key id lets keys rotate, a fresh random nonce per value keeps GCM safe, and the caller's context (the row and
/// field the value belongs to) is bound as associated data, so a value copied to another row does not decrypt.
/// </summary>
public sealed class TokenProtector(IOptions<TokenEncryptionOptions> options)
{
    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Dictionary<string, byte[]> keys =
        options.Value.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);

    private readonly string currentKeyId = options.Value.CurrentKeyId;

    public string Protect(string plaintext, string context)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedValue = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedValue.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys[currentKeyId], TagBytes);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceBytes, plain.Length), sealedValue.AsSpan(NonceBytes + plain.Length), AssociatedData(currentKeyId, context));
        return $"{Version}.{currentKeyId}.{Base64UrlEncoder.Encode(sealedValue)}";
    }

    /// <summary>Whether the value was written with the current key; rows where it was not are what a rotation sweep rewrites.</summary>
    public bool IsCurrent(string protectedValue) => protectedValue.StartsWith($"{Version}.{currentKeyId}.", StringComparison.Ordinal);

    public string CurrentKeyId => currentKeyId;

    /// <summary>Fails closed: a tampered value, a wrong context or an unknown key is a <see cref="CryptographicException"/>.</summary>
    public string Unprotect(string protectedValue, string context)
    {
        var parts = protectedValue.Split('.');
        if (parts.Length != 3 || parts[0] != Version || !keys.TryGetValue(parts[1], out var key))
        {
            throw new CryptographicException("The value was not protected by a key this app knows");
        }

        var sealedValue = DecodeOrThrow(parts[2]);
        if (sealedValue.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The protected value is truncated");
        }

        var cipherLength = sealedValue.Length - NonceBytes - TagBytes;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(
            sealedValue.AsSpan(0, NonceBytes),
            sealedValue.AsSpan(NonceBytes, cipherLength),
            sealedValue.AsSpan(NonceBytes + cipherLength),
            plain,
            AssociatedData(parts[1], context));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] AssociatedData(string keyId, string context) => Encoding.UTF8.GetBytes($"{Version}|{keyId}|{context}");

    private static byte[] DecodeOrThrow(string value)
    {
        try
        {
            return Base64UrlEncoder.DecodeBytes(value);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The protected value is not base64url", e);
        }
    }
}
