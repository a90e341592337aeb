namespace PushResume.Providers;

/// <summary>How a provider call failed, in terms the callers can act on without reading the site's reply.</summary>
public enum ProviderFailure
{
    /// <summary>The access token has expired; a refresh should fix it.</summary>
    AccessTokenExpired,

    /// <summary>The grant is gone (revoked, already used, password changed): the user must sign in again.</summary>
    ReloginRequired,

    /// <summary>The resume exists but the site will not raise it (unfinished, blocked, on moderation).</summary>
    ResumeUnusable,

    /// <summary>The resume no longer exists or is not the user's.</summary>
    ResumeGone,

    /// <summary>Worth trying again later: 5xx, time-outs, anti-bot pages, global rate limits.</summary>
    Transient,
}

public sealed class ProviderException(string provider, ProviderFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Provider { get; } = provider;

    public ProviderFailure Failure { get; } = failure;
}
