using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PushResume.Providers.Sandbox;

/// <summary>
/// A job site that lives in this process, so the whole product can be tried with no job-site account. The
/// authorization code is the sandbox login (letters, digits, <c>-</c>, <c>_</c>), each login owns three
/// deterministic resumes, and a resume can be raised once per <see cref="SandboxOptions.MinimumInterval"/>.
/// Raise times are kept in memory: a restart forgets them, which is fine for a sandbox.
/// </summary>
public sealed partial class SandboxProvider(IOptions<SandboxOptions> options, TimeProvider time) : IResumeProvider
{
    public const string ProviderName = "sandbox";

    /// <summary>The login the sandbox's own authorization page signs in as.</summary>
    public const string DemoLogin = "demo";

    private const string AccessPrefix = "sbx-access";
    private const string RefreshPrefix = "sbx-refresh";

    private static readonly string[] Titles = ["Senior .NET Developer", "Azure Cloud Engineer", "Site Reliability Engineer"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> lastRaised = new(StringComparer.Ordinal);

    public string Name => ProviderName;

    public TimeSpan MinimumInterval => options.Value.MinimumInterval;

    public TimeSpan RefreshAhead => TimeSpan.Zero;

    public Uri GetAuthorizationUrl(Uri redirectUri, string state) =>
        new(QueryHelpers.AddQueryString(redirectUri.ToString(), new Dictionary<string, string?>
        {
            ["code"] = DemoLogin,
            ["state"] = state,
        }));

    public Task<ProviderTokens> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken) =>
        LoginPattern().IsMatch(code)
            ? Task.FromResult(IssueTokens(code))
            : throw new ProviderException(Name, ProviderFailure.ReloginRequired, "The sandbox rejected the authorization code");

    public Task<ProviderTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult<ProviderTokens?>(IssueTokens(ParseLogin(refreshToken, RefreshPrefix)));

    public Task RevokeAsync(string accessToken, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ProviderIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult(new ProviderIdentity(LoginFromAccessToken(accessToken), "Sandbox User"));

    public Task<IReadOnlyList<ProviderResume>> ListResumesAsync(string accessToken, CancellationToken cancellationToken)
    {
        var login = LoginFromAccessToken(accessToken);
        IReadOnlyList<ProviderResume> resumes = [.. Enumerable.Range(0, Titles.Length).Select(i => Describe(login, i))];
        return Task.FromResult(resumes);
    }

    public Task<PublishResult> PublishAsync(string accessToken, string resumeId, CancellationToken cancellationToken)
    {
        var login = LoginFromAccessToken(accessToken);
        var index = Enumerable.Range(0, Titles.Length).FirstOrDefault(i => ResumeId(login, i) == resumeId, -1);
        if (index < 0)
        {
            throw new ProviderException(Name, ProviderFailure.ResumeGone, "The sandbox has no such resume");
        }

        var now = Now();
        var interval = options.Value.MinimumInterval;
        lock (gate)
        {
            if (lastRaised.TryGetValue(resumeId, out var last) && now < last + interval)
            {
                return Task.FromResult(new PublishResult(PublishOutcome.TooEarly, last + interval));
            }

            lastRaised[resumeId] = now;
        }

        return Task.FromResult(new PublishResult(PublishOutcome.Published, now + interval));
    }

    private ProviderResume Describe(string login, int index)
    {
        var id = ResumeId(login, index);
        var now = Now();
        DateTimeOffset published;
        lock (gate)
        {
            // A resume seen for the first time counts as raised long enough ago to be raised at once.
            if (!lastRaised.TryGetValue(id, out published))
            {
                published = now - options.Value.MinimumInterval - TimeSpan.FromHours(index);
                lastRaised[id] = published;
            }
        }

        return new ProviderResume(
            id,
            Titles[index],
            "Sandbox User",
            new Uri($"https://sandbox.pushresume.invalid/resume/{id}"),
            published,
            published + options.Value.MinimumInterval);
    }

    /// <summary>Whole seconds, as job sites report raise times.</summary>
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());

    private ProviderTokens IssueTokens(string login)
    {
        var expiresAt = time.GetUtcNow() + options.Value.AccessTokenLifetime;
        var access = string.Join('.', AccessPrefix, login, expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return new ProviderTokens(access, $"{RefreshPrefix}.{login}", expiresAt);
    }

    private string LoginFromAccessToken(string accessToken)
    {
        var login = ParseLogin(accessToken, AccessPrefix, out var rest);
        if (!long.TryParse(rest, CultureInfo.InvariantCulture, out var expires)
            || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            throw new ProviderException(Name, ProviderFailure.AccessTokenExpired, "The sandbox access token has expired");
        }

        return login;
    }

    private string ParseLogin(string token, string prefix) => ParseLogin(token, prefix, out _);

    private string ParseLogin(string token, string prefix, out string rest)
    {
        var parts = token.Split('.', 3);
        if (parts.Length < 2 || parts[0] != prefix || !LoginPattern().IsMatch(parts[1]))
        {
            throw new ProviderException(Name, ProviderFailure.ReloginRequired, "The sandbox does not know this token");
        }

        rest = parts.Length == 3 ? parts[2] : string.Empty;
        return parts[1];
    }

    private static string ResumeId(string login, int index) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login)))[..16] + index.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex LoginPattern();
}
