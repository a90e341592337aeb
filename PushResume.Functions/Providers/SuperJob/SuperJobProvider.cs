using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using static PushResume.Providers.ProviderHttp;

namespace PushResume.Providers.SuperJob;

/// <summary>
/// SuperJob (api.superjob.ru/2.0): every method URL ends with a slash and every call carries <c>X-Api-App-Id</c>
/// (set on both named clients). SuperJob's error codes are poorly documented, so a failure is classified by the
/// status first and, for the "too early" 401, by the text of its message.
/// </summary>
public sealed partial class SuperJobProvider(IHttpClientFactory http, IOptions<SuperJobOptions> options, TimeProvider time) : IResumeProvider
{
    public const string ProviderName = "superjob";

    private const int PageSize = 100;

    /// <summary>Whether <c>user_cvs</c> pages at all is unconfirmed; this only stops a site that keeps saying "more".</summary>
    private const int MaxPages = 20;

    private readonly SuperJobOptions settings = options.Value;

    public string Name => ProviderName;

    public TimeSpan MinimumInterval => settings.MinimumInterval;

    public TimeSpan RefreshAhead => TimeSpan.FromHours(1);

    public Uri GetAuthorizationUrl(Uri redirectUri, string state) =>
        new(QueryHelpers.AddQueryString(settings.AuthorizeUrl!.ToString(), new Dictionary<string, string?>
        {
            ["client_id"] = settings.ClientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["state"] = state,
        }));

    public Task<ProviderTokens> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint("oauth2/access_token/"))
        {
            Content = new FormUrlEncodedContent(
            [
                new("code", code),
                new("redirect_uri", redirectUri.ToString()),
                new("client_id", settings.ClientId),
                new("client_secret", settings.ClientSecret),
            ]),
        };
        return RequestTokensAsync(request, cancellationToken);
    }

    public async Task<ProviderTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        await RequestTokensAsync(
            new HttpRequestMessage(HttpMethod.Get, Endpoint("oauth2/refresh_token/", new()
            {
                ["refresh_token"] = refreshToken,
                ["client_id"] = settings.ClientId,
                ["client_secret"] = settings.ClientSecret,
            })),
            cancellationToken);

    /// <summary>SuperJob documents no way to revoke a user token; forgetting it is all that can be done.</summary>
    public Task RevokeAsync(string accessToken, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ProviderIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken)
    {
        var reply = await SendApiAsync(HttpMethod.Get, Endpoint("user/current/"), accessToken, cancellationToken);
        if (!reply.IsSuccess)
        {
            throw ApiFailure(reply, "GET /user/current/");
        }

        var id = WholeNumber(reply.Json, "id") ?? throw new ProviderException(Name, ProviderFailure.Transient, "SuperJob answered GET /user/current/ without an id");
        return new ProviderIdentity(id.ToString(CultureInfo.InvariantCulture), Text(reply.Json, "name") ?? string.Empty);
    }

    public async Task<IReadOnlyList<ProviderResume>> ListResumesAsync(string accessToken, CancellationToken cancellationToken)
    {
        var resumes = new List<ProviderResume>();
        for (var page = 0; page < MaxPages; page++)
        {
            var url = Endpoint("user_cvs/", new()
            {
                ["page"] = page.ToString(CultureInfo.InvariantCulture),
                ["count"] = PageSize.ToString(CultureInfo.InvariantCulture),
            });
            var reply = await SendApiAsync(HttpMethod.Get, url, accessToken, cancellationToken);
            if (!reply.IsSuccess)
            {
                throw ApiFailure(reply, "GET /user_cvs/");
            }

            resumes.AddRange(Objects(reply.Json, "objects").Select(ToResume).OfType<ProviderResume>());
            if (Flag(reply.Json, "more") != true)
            {
                break;
            }
        }

        return resumes;
    }

    public async Task<PublishResult> PublishAsync(string accessToken, string resumeId, CancellationToken cancellationToken)
    {
        var reply = await SendApiAsync(HttpMethod.Post, Endpoint($"user_cvs/update_datepub/{Uri.EscapeDataString(resumeId)}/"), accessToken, cancellationToken);
        var now = time.GetUtcNow();
        var message = ErrorText(reply);
        return reply.Status switch
        {
            _ when reply.IsSuccess => new PublishResult(PublishOutcome.Published, now + settings.MinimumInterval),
            HttpStatusCode.Unauthorized when IsTooEarly(message) => new PublishResult(PublishOutcome.TooEarly, WaitFrom(message, now)),
            HttpStatusCode.NotFound => throw new ProviderException(Name, ProviderFailure.ResumeGone, "SuperJob does not know this resume for this user"),
            HttpStatusCode.BadRequest => throw new ProviderException(Name, ProviderFailure.ResumeUnusable, "SuperJob cannot raise this resume"),
            _ => throw ApiFailure(reply, "POST /user_cvs/update_datepub/{id}/"),
        };
    }

    private ProviderResume? ToResume(JsonObject item)
    {
        if (WholeNumber(item, "id") is not { } id || !Uri.TryCreate(Text(item, "link"), UriKind.Absolute, out var link))
        {
            return null;
        }

        // date_published is a unix time; SuperJob gives no next time, so the configured interval stands in.
        DateTimeOffset? published = WholeNumber(item, "date_published") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        return new ProviderResume(
            id.ToString(CultureInfo.InvariantCulture),
            Text(item, "profession") ?? string.Empty,
            FullName(item, "firstname", "lastname"),
            link,
            published,
            published + settings.MinimumInterval);
    }

    private async Task<ProviderTokens> RequestTokensAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var reply = await SendAsync(http.CreateClient(ProviderClients.Token(Name)), request, Name, cancellationToken);
            if (reply.IsSuccess)
            {
                var now = time.GetUtcNow();
                DateTimeOffset? expiresAt = WholeNumber(reply.Json, "expires_in") is { } seconds ? now.AddSeconds(seconds)
                    : WholeNumber(reply.Json, "ttl") is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;
                return Text(reply.Json, "access_token") is { Length: > 0 } access
                    && Text(reply.Json, "refresh_token") is { Length: > 0 } refresh
                    && expiresAt is { } expiry
                        ? new ProviderTokens(access, refresh, expiry)
                        : throw new ProviderException(Name, ProviderFailure.Transient, "SuperJob answered the token call without a full token pair");
            }

            // A refused code or refresh token is a 4xx with an error object; anything else is the site's trouble.
            var failure = (int)reply.Status is >= 400 and < 500 && reply.Json is not null && reply.Status != HttpStatusCode.TooManyRequests
                ? ProviderFailure.ReloginRequired
                : ProviderFailure.Transient;
            throw new ProviderException(Name, failure, $"SuperJob token call failed with {(int)reply.Status}");
        }
    }

    private ProviderException ApiFailure(ProviderReply reply, string call)
    {
        var failure = reply switch
        {
            // SuperJob does not tell an expired token from an unknown one: refresh, and let the refresh decide.
            { Status: HttpStatusCode.Unauthorized, Json: not null } => ProviderFailure.AccessTokenExpired,
            // A blocked account (user_blocked_by_admin and the like) names a reason; the user has to act.
            { Status: HttpStatusCode.Forbidden } when Objects(reply.Json?["error"], "errors").Any(e => Text(e, "reason") is not null) => ProviderFailure.ReloginRequired,
            _ => ProviderFailure.Transient,
        };
        return new ProviderException(Name, failure, $"SuperJob answered {call} with {(int)reply.Status}");
    }

    /// <summary>
    /// SuperJob answers a raise that comes too soon with 401 and a message such as "Обновление резюме возможно через
    /// 40 минут"; the stem "обновлени" is what other clients match, since 401 also means a bad token.
    /// </summary>
    private static bool IsTooEarly(string text) => text.Contains("обновлени", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset? WaitFrom(string text, DateTimeOffset now)
    {
        var match = WaitPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var amount = int.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value.StartsWith('ч') ? now.AddHours(amount) : now.AddMinutes(amount);
    }

    /// <summary><c>error.message</c> is a string, or a list of objects with a <c>description</c>.</summary>
    private static string ErrorText(ProviderReply reply) => reply.Json?["error"]?["message"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray list => string.Join(' ', list.Select(item => Text(item, "description"))),
        _ => string.Empty,
    };

    private Task<ProviderReply> SendApiAsync(HttpMethod method, Uri url, string accessToken, CancellationToken cancellationToken) =>
        SendAsUserAsync(http.CreateClient(ProviderClients.Api(Name)), method, url, accessToken, Name, cancellationToken);

    private Uri Endpoint(string path, Dictionary<string, string?>? query = null) =>
        query is null ? settings.ApiEndpoint(path) : new Uri(QueryHelpers.AddQueryString(settings.ApiEndpoint(path).ToString(), query));

    [GeneratedRegex(@"через\s+(?<amount>\d{1,4})\s*(?<unit>мин|ч)", RegexOptions.IgnoreCase)]
    private static partial Regex WaitPattern();
}
