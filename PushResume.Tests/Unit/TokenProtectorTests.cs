using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PushResume.Security;

namespace PushResume.Tests.Unit;

public sealed class TokenProtectorTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Round_trips_and_never_contains_the_plaintext()
    {
        var protector = Protector("k1", ("k1", OldKey));

        var sealedValue = protector.Protect("hh-access-token-123", "user1|user|hh|access");

        Assert.StartsWith("v1.k1.", sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain("hh-access-token-123", sealedValue, StringComparison.Ordinal);
        Assert.Equal("hh-access-token-123", protector.Unprotect(sealedValue, "user1|user|hh|access"));
        Assert.NotEqual(sealedValue, protector.Protect("hh-access-token-123", "user1|user|hh|access"));
    }

    [Fact]
    public void A_value_moved_to_another_row_or_field_does_not_decrypt()
    {
        var protector = Protector("k1", ("k1", OldKey));
        var sealedValue = protector.Protect("secret", "user1|user|hh|access");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedValue, "user2|user|hh|access"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedValue, "user1|user|hh|refresh"));
    }

    [Fact]
    public void Any_flipped_bit_fails_closed()
    {
        var protector = Protector("k1", ("k1", OldKey));
        var sealedValue = protector.Protect("secret", "ctx");
        var bytes = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(sealedValue.Split('.')[2]);

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var value = $"v1.k1.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(tampered)}";
            Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(value, "ctx"));
        }
    }

    [Fact]
    public void After_rotation_old_values_still_decrypt_and_new_ones_use_the_new_key()
    {
        var before = Protector("k1", ("k1", OldKey)).Protect("secret", "ctx");
        var rotated = Protector("k2", ("k1", OldKey), ("k2", NewKey));

        Assert.Equal("secret", rotated.Unprotect(before, "ctx"));
        Assert.StartsWith("v1.k2.", rotated.Protect("secret", "ctx"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1.k9.AAAA")]
    [InlineData("plaintext-token")]
    [InlineData("v1.k1.***")]
    [InlineData("v1.k1.AAAA")]
    public void Unknown_keys_and_malformed_values_fail_closed(string value) =>
        Assert.ThrowsAny<CryptographicException>(() => Protector("k1", ("k1", OldKey)).Unprotect(value, "ctx"));

    private static TokenProtector Protector(string current, params (string Id, string Key)[] keys) =>
        new(Options.Create(new TokenEncryptionOptions { CurrentKeyId = current, Keys = keys.ToDictionary(k => k.Id, k => k.Key) }));
}
