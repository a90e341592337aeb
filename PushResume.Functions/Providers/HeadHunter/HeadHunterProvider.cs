using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static PushResume.Providers.ProviderHttp;

namespace PushResume.Providers.HeadHunter;

/// <summary>
/// hh.ru (api.hh.ru): OAuth 2 code flow, <c>GET /me</c>, <c>GET /resumes/mine</c> and
/// <c>POST /resumes/{id}/publish</c>. hh.ru reports auth failures as 403 with <c>errors[].type = oauth</c>, and
/// token-endpoint failures as RFC 6749 <c>error</c> codes; both are turned into <see cref="ProviderFailure"/> here.
/// </summary>
public sealed partial class HeadHunterProvider(
    IHttpClientFactory http,
    IOptions<HeadHunterOptions> options,
    TimeProvider time,
    ILogger<HeadHunterProvider> logger) : IResumeProvider
{
    public const string ProviderName = "headhunter";

    /// <summary>hh.ru writes offsets without a colon (<c>+0300</c>); the second form is ISO 8601 as .NET writes it.</summary>
    private static readonly string[] DateFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ssK"];

    /// <summary>A job seeker has a handful of resumes; this only stops a site that keeps announcing more pages.</summary>
    private const int MaxPages = 20;

    private readonly HeadHunterOptions settings = options.Value;

    public string Name => ProviderName;

    public TimeSpan MinimumInterval => settings.MinimumInterval;

    public TimeSpan RefreshAhead => TimeSpan.Zero;

    public Uri GetAuthorizationUrl(Uri redirectUri, string state) =>
        new(QueryHelpers.AddQueryString(settings.AuthorizeUrl!.ToString(), new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["state"] = state,
            // A user already signed in to hh.ru who has granted access goes straight back to us.
            ["skip_choose_account"] = "true",
        }));

    public async Task<ProviderTokens> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken) =>
        await RequestTokensAsync(
            [
                new("grant_type", "authorization_code"),
                new("client_id", settings.ClientId),
                new("client_secret", settings.ClientSecret),
                new("code", code),
                new("redirect_uri", redirectUri.ToString()),
            ],
            cancellationToken) ?? throw new ProviderException(Name, ProviderFailure.Transient, "hh.ru answered a code exchange with 'token not expired'");

    public Task<ProviderTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokensAsync([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken);

    public async Task RevokeAsync(string accessToken, CancellationToken cancellationToken)
    {
        var reply = await SendApiAsync(HttpMethod.Delete, "oauth/token", accessToken, cancellationToken);
        // 403 means the token was already dead, which is what revoking wants.
        if (!reply.IsSuccess && reply.Status != HttpStatusCode.Forbidden)
        {
            throw ApiFailure(reply, "DELETE /oauth/token");
        }
    }

    public async Task<ProviderIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken)
    {
        var reply = await SendApiAsync(HttpMethod.Get, "me", accessToken, cancellationToken);
        if (!reply.IsSuccess)
        {
            throw ApiFailure(reply, "GET /me");
        }

        // The id is the stable key: e-mail may be null and can change.
        var id = Text(reply.Json, "id")
            ?? throw new ProviderException(Name, ProviderFailure.Transient, "hh.ru answered GET /me without an id");
        return new ProviderIdentity(id, FullName(reply.Json));
    }

    public async Task<IReadOnlyList<ProviderResume>> ListResumesAsync(string accessToken, CancellationToken cancellationToken)
    {
        var resumes = new List<ProviderResume>();
        for (var page = 0; page < MaxPages; page++)
        {
            var path = page == 0 ? "resumes/mine" : $"resumes/mine?page={page.ToString(CultureInfo.InvariantCulture)}";
            var reply = await SendApiAsync(HttpMethod.Get, path, accessToken, cancellationToken);
            if (!reply.IsSuccess)
            {
                throw ApiFailure(reply, "GET /resumes/mine");
            }

            resumes.AddRange(Objects(reply.Json, "items").Select(ToResume).OfType<ProviderResume>());
            if (page + 1 >= (WholeNumber(reply.Json, "pages") ?? 1))
            {
                break;
            }
        }

        return resumes;
    }

    public async Task<PublishResult> PublishAsync(string accessToken, string resumeId, CancellationToken cancellationToken)
    {
        var reply = await SendApiAsync(HttpMethod.Post, $"resumes/{Uri.EscapeDataString(resumeId)}/publish", accessToken, cancellationToken);
        return reply.Status switch
        {
            _ when reply.IsSuccess => new PublishResult(PublishOutcome.Published, null),
            // The 429 of the per-resume limit names itself; any other 429 is hh.ru's global rate limit.
            HttpStatusCode.TooManyRequests when HasError(reply, "resumes", "touch_limit_exceeded") => new PublishResult(PublishOutcome.TooEarly, null),
            HttpStatusCode.BadRequest when HasError(reply, "bad_request", null) =>
                throw new ProviderException(Name, ProviderFailure.ResumeUnusable, "hh.ru cannot publish this resume (unfinished, blocked or on moderation)"),
            HttpStatusCode.NotFound => throw new ProviderException(Name, ProviderFailure.ResumeGone, "hh.ru does not know this resume for this user"),
            _ => throw ApiFailure(reply, "POST /resumes/{id}/publish"),
        };
    }

    private ProviderResume? ToResume(JsonObject item)
    {
        if (Text(item, "id") is not { Length: > 0 } id)
        {
            return null;
        }

        // alternate_url is the page people read; url is the API address the original service wrongly showed.
        var link = Uri.TryCreate(Text(item, "alternate_url"), UriKind.Absolute, out var site) ? site : new Uri($"https://hh.ru/resume/{Uri.EscapeDataString(id)}");
        return new ProviderResume(
            id,
            Text(item, "title") ?? string.Empty,
            FullName(item),
            link,
            ParseDate(Text(item, "updated_at")),
            ParseDate(Text(item, "next_publish_at")),
            Flag(item, "can_publish_or_update"));
    }

    public static DateTimeOffset? ParseDate(string? value) =>
        DateTimeOffset.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;

    private static string FullName(JsonNode? person) => ProviderHttp.FullName(person, "first_name", "last_name");

    private Task<ProviderReply> SendApiAsync(HttpMethod method, string path, string accessToken, CancellationToken cancellationToken) =>
        SendAsUserAsync(http.CreateClient(ProviderClients.Api(Name)), method, settings.ApiEndpoint(path), accessToken, Name, cancellationToken);

    private async Task<ProviderTokens?> RequestTokensAsync(KeyValuePair<string, string>[] form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        var reply = await SendAsync(http.CreateClient(ProviderClients.Token(Name)), request, Name, cancellationToken);
        if (reply.IsSuccess)
        {
            return Text(reply.Json, "access_token") is { Length: > 0 } access
                && Text(reply.Json, "refresh_token") is { Length: > 0 } refresh
                && WholeNumber(reply.Json, "expires_in") is { } seconds
                    ? new ProviderTokens(access, refresh, time.GetUtcNow().AddSeconds(seconds))
                    : throw new ProviderException(Name, ProviderFailure.Transient, "hh.ru answered the token call without a full token pair");
        }

        var error = Text(reply.Json, "error");
        var description = Text(reply.Json, "error_description") ?? string.Empty;
        if (error == "invalid_grant" && description == "token not expired")
        {
            return null;
        }

        var failure = ClassifyTokenError(reply.Status, error, description);
        if (failure == ProviderFailure.Transient && error is not null)
        {
            LogTokenEndpointRefusal(logger, error, description);
        }

        return failure == ProviderFailure.ReloginRequired
            ? throw new ProviderException(Name, failure, $"hh.ru refused the grant: {error} ({description})")
            : throw new ProviderException(Name, failure, $"hh.ru token call failed with {(int)reply.Status} {error}");
    }

    /// <summary>
    /// A dead code or refresh token, or a locked account, needs the user; a wrong client id, secret or redirect URL
    /// is this deployment's fault, and marking every user for re-login over it would be far worse than waiting.
    /// </summary>
    private static ProviderFailure ClassifyTokenError(HttpStatusCode status, string? error, string description) => (status, error, description) switch
    {
        (HttpStatusCode.BadRequest, "invalid_grant", _) => ProviderFailure.ReloginRequired,
        (HttpStatusCode.BadRequest, "invalid_request", "account not found" or "bad redirect url") => ProviderFailure.Transient,
        (HttpStatusCode.BadRequest, "invalid_request", _) => ProviderFailure.ReloginRequired,
        _ => ProviderFailure.Transient,
    };

    private ProviderException ApiFailure(ProviderReply reply, string call)
    {
        var failure = reply switch
        {
            { Status: HttpStatusCode.Forbidden } when HasError(reply, "oauth", "token_expired") => ProviderFailure.AccessTokenExpired,
            { Status: HttpStatusCode.Forbidden } when HasError(reply, "oauth", "bad_authorization") || HasError(reply, "oauth", "token_revoked") => ProviderFailure.ReloginRequired,
            // A token without job-seeker rights: only signing in with a job-seeker account helps.
            { Status: HttpStatusCode.Forbidden } when HasError(reply, "forbidden", null) => ProviderFailure.ReloginRequired,
            // 5xx, global 429, anti-bot HTML pages, captcha, and our own misconfiguration (bad_user_agent,
            // application_not_found) all clear up without the user.
            _ => ProviderFailure.Transient,
        };
        var first = Objects(reply.Json, "errors").FirstOrDefault();
        return new ProviderException(Name, failure, $"hh.ru answered {call} with {(int)reply.Status} {Text(first, "type")}/{Text(first, "value")}");
    }

    private static bool HasError(ProviderReply reply, string type, string? value) =>
        Objects(reply.Json, "errors").Any(e => Text(e, "type") == type && (value is null || Text(e, "value") == value));

    [LoggerMessage(Level = LogLevel.Error, Message = "hh.ru refused a token call with {Error} ({Description}): check Providers__HeadHunter settings")]
    private static partial void LogTokenEndpointRefusal(ILogger logger, string error, string description);
}
