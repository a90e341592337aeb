using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PushResume.Security;

/// <summary>
/// Settings under <c>TokenEncryption</c>: the keys that encrypt provider tokens at rest. New values are written with
/// <see cref="CurrentKeyId"/>; every key listed still decrypts, so a key can be rotated while old rows are read.
/// </summary>
public sealed class TokenEncryptionOptions
{
    public const string Section = "TokenEncryption";
    public const int KeyBytes = 32;

    public string CurrentKeyId { get; set; } = string.Empty;

    /// <summary>Key id to base64 of 32 random bytes (<c>TokenEncryption__Keys__k1</c>).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
}

public sealed partial class TokenEncryptionOptionsValidator : IValidateOptions<TokenEncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenEncryptionOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CurrentKeyId))
        {
            failures.Add("TokenEncryption__CurrentKeyId is not set: name the key that encrypts provider tokens (e.g. k1)");
        }
        else if (!options.Keys.ContainsKey(options.CurrentKeyId))
        {
            failures.Add($"TokenEncryption__Keys__{options.CurrentKeyId} is not set: give it base64 of 32 random bytes (openssl rand -base64 32)");
        }

        foreach (var (id, key) in options.Keys)
        {
            if (!KeyIdPattern().IsMatch(id))
            {
                failures.Add($"TokenEncryption__Keys__{id}: key ids are 1-32 letters, digits or '-'");
            }

            if (Base64Secret.DecodedLength(key) != TokenEncryptionOptions.KeyBytes)
            {
                failures.Add($"TokenEncryption__Keys__{id} must be base64 of exactly {TokenEncryptionOptions.KeyBytes} random bytes");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}
