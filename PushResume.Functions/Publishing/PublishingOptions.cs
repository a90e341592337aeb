using Microsoft.Extensions.Options;

namespace PushResume.Publishing;

/// <summary>Settings under <c>Publishing</c>: how the engine spreads, limits and recovers its raises.</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>
    /// Each next raise is put off by a random part of this, so thousands of resumes switched on together do not
    /// reach a site in the same second.
    /// </summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Each scheduler tick also enqueues the raises due within this much time, hidden on the queue until their due
    /// time, so a raise happens the moment it is due rather than at the next tick. One tick interval is enough.
    /// </summary>
    public TimeSpan Lookahead { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Raises in flight at once per site and instance, kept below what the site tolerates.</summary>
    public int MaxConcurrentCallsPerProvider { get; set; } = 4;

    /// <summary>
    /// After this long on the queue without an outcome, a raise counts as lost and is enqueued again. Longer than
    /// all the queue's tries of one message take (host.json: maxDequeueCount × visibilityTimeout, plus the calls)
    /// plus the <see cref="Lookahead"/> it may wait hidden.
    /// </summary>
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long one delivery holds a resume while it calls the site: longer than a publish with a token refresh.</summary>
    public TimeSpan PushLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>When every try of a raise failed (the poison queue), the next one is this much later.</summary>
    public TimeSpan FailedRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A user whose sign-in has been dead (re-login required) this long is forgotten by the daily cleanup.</summary>
    public TimeSpan ForgetDeadSignInsAfter { get; set; } = TimeSpan.FromDays(30);
}

public sealed class PublishingOptionsValidator : IValidateOptions<PublishingOptions>
{
    private const string Prefix = "Publishing__";

    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        var failures = new List<string>();
        if (options.Jitter < TimeSpan.Zero || options.Jitter > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{Prefix}Jitter must be between 00:00:00 and 00:01:00");
        }

        if (options.MaxConcurrentCallsPerProvider < 1)
        {
            failures.Add($"{Prefix}MaxConcurrentCallsPerProvider must be at least 1");
        }

        if (options.Lookahead < TimeSpan.Zero || options.Lookahead > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Prefix}Lookahead must be between 00:00:00 and 00:10:00");
        }

        if (options.PushLease <= TimeSpan.Zero || options.InFlightTimeout <= options.PushLease + options.Lookahead)
        {
            failures.Add($"{Prefix}PushLease must be positive and {Prefix}InFlightTimeout longer than it plus {Prefix}Lookahead");
        }

        if (options.FailedRetryDelay <= TimeSpan.Zero || options.ForgetDeadSignInsAfter <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}FailedRetryDelay and {Prefix}ForgetDeadSignInsAfter must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
