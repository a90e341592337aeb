using Microsoft.Extensions.Options;
using PushResume.Security;

namespace PushResume.Auth;

/// <summary>Settings under <c>Jwt</c> (environment form <c>Jwt__SigningKey</c> and so on).</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public const int MinimumKeyBytes = 32;

    /// <summary>Base64 of at least 32 random bytes. There is no default: a generated key would sign everyone out on restart.</summary>
    public string SigningKey { get; set; } = string.Empty;

    public string Issuer { get; set; } = "pushresume";

    public string Audience { get; set; } = "pushresume";

    public int LifetimeMinutes { get; set; } = 15;

    public byte[] KeyBytes => Convert.FromBase64String(SigningKey);
}

public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add("Jwt__SigningKey is not set: give it base64 of at least 32 random bytes (openssl rand -base64 32)");
        }
        else if (Base64Secret.DecodedLength(options.SigningKey) is not { } length)
        {
            failures.Add("Jwt__SigningKey is not valid base64");
        }
        else if (length < JwtOptions.MinimumKeyBytes)
        {
            failures.Add($"Jwt__SigningKey is {length} bytes; at least {JwtOptions.MinimumKeyBytes} random bytes are required");
        }

        if (options.LifetimeMinutes is < 1 or > 24 * 60)
        {
            failures.Add("Jwt__LifetimeMinutes must be between 1 and 1440");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Jwt__Issuer and Jwt__Audience must not be empty");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
