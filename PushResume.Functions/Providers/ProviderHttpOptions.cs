using Microsoft.Extensions.Options;

namespace PushResume.Providers;

/// <summary>Settings under <c>Providers:Http</c>: how long to wait for a job site and how often to try again.</summary>
public sealed class ProviderHttpOptions
{
    public const string Section = "Providers:Http";

    /// <summary>One attempt; a token call gets exactly one.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>All attempts of one API call together, back-off included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of an idempotent API call (GET) after a 5xx, 408, 429 or network failure.</summary>
    public int RetryAttempts { get; set; } = 2;

    /// <summary>The first back-off; later ones grow exponentially with jitter, unless the site sends Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class ProviderHttpOptionsValidator : IValidateOptions<ProviderHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderHttpOptions options)
    {
        var failures = new List<string>();
        if (options.AttemptTimeout <= TimeSpan.Zero || options.TotalTimeout <= options.AttemptTimeout)
        {
            failures.Add("Providers__Http__AttemptTimeout must be positive and shorter than Providers__Http__TotalTimeout");
        }

        if (options.RetryAttempts is < 1 or > 10)
        {
            failures.Add("Providers__Http__RetryAttempts must be between 1 and 10");
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            failures.Add("Providers__Http__RetryDelay must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
