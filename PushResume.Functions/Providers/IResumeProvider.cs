namespace PushResume.Providers;

/// <summary>
/// One job site. Everything above this interface is site-neutral: a provider turns the site's HTTP replies into
/// these records, or into a <see cref="ProviderException"/> that says what kind of failure it was.
/// </summary>
public interface IResumeProvider
{
    /// <summary>The lower-case name used in routes and stored with each user (<c>headhunter</c>, <c>superjob</c>).</summary>
    string Name { get; }

    /// <summary>How long after a raise the site is assumed to refuse the next one, when it does not say.</summary>
    TimeSpan MinimumInterval { get; }

    /// <summary>
    /// How long before the access token expires it may be refreshed. hh.ru refuses a refresh before expiry
    /// (<c>token not expired</c>) and each refresh token works once, so there it is zero.
    /// </summary>
    TimeSpan RefreshAhead { get; }

    /// <summary>Where the browser goes to grant access; the site sends it back to <paramref name="redirectUri"/>.</summary>
    Uri GetAuthorizationUrl(Uri redirectUri, string state);

    Task<ProviderTokens> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken);

    /// <summary>
    /// Trades the refresh token for a new pair. Null means the site says the current access token has not expired
    /// yet (hh.ru's <c>token not expired</c>): keep using it.
    /// </summary>
    Task<ProviderTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken);

    /// <summary>Invalidates the grant at the site where the site supports that; otherwise does nothing.</summary>
    Task RevokeAsync(string accessToken, CancellationToken cancellationToken);

    Task<ProviderIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProviderResume>> ListResumesAsync(string accessToken, CancellationToken cancellationToken);

    Task<PublishResult> PublishAsync(string accessToken, string resumeId, CancellationToken cancellationToken);
}

/// <param name="ExpiresAt">When the access token stops working, as the site announced it.</param>
public sealed record ProviderTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

/// <param name="Id">The site's stable user id: e-mail addresses change or are missing, ids do not.</param>
public sealed record ProviderIdentity(string Id, string DisplayName);

/// <param name="Published">When the site last raised the resume, in the site's own offset.</param>
/// <param name="NextPublishAt">The earliest moment the site will accept the next raise, when it says.</param>
/// <param name="CanPublish">Whether the site would accept a raise now, when it says (hh.ru's <c>can_publish_or_update</c>).</param>
public sealed record ProviderResume(
    string Id,
    string Title,
    string Name,
    Uri Link,
    DateTimeOffset? Published,
    DateTimeOffset? NextPublishAt,
    bool? CanPublish = null);

public enum PublishOutcome
{
    Published,
    TooEarly,
}

/// <param name="NextAllowedAt">When the site will accept the next raise, if it says.</param>
public sealed record PublishResult(PublishOutcome Outcome, DateTimeOffset? NextAllowedAt);
