using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace PushResume.Tests.Fakes;

/// <summary>
/// hh.ru as providers.md section 3.1 describes it: the User-Agent gate, single-use short-lived codes, 14-day access
/// tokens (shortened by a knob), single-use rotating refresh tokens that work only after expiry ("token not
/// expired"), 403 auth errors, paged <c>/resumes/mine</c> with resumes in every status, and the per-resume publish
/// limit with <c>next_publish_at</c>. It serves the hh.ru paths and the api.hh.ru paths on one port.
/// </summary>
public sealed class FakeHeadHunter(TimeProvider time) : FakeSite(time)
{
    public const string ClientId = "HHTESTCLIENT";
    public const string ClientSecret = "HHTESTSECRET";
    public const string UserAgent = "PushResumeTests/1.0 (tests@example.com)";

    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private readonly Lock gate = new();
    private readonly Dictionary<string, Account> accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Code> codes = new(StringComparer.Ordinal);
    private readonly List<Grant> grants = [];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromHours(4);

    public int PerPage { get; set; } = 20;

    /// <summary>The account signed in to hh.ru in the "browser" that follows the authorize redirect.</summary>
    public string BrowserAccount { get; set; } = string.Empty;

    /// <summary>The user refuses access on the authorize page.</summary>
    public bool DenyAccess { get; set; }

    public Account AddAccount(string id, string? email = null, bool isApplicant = true)
    {
        var account = new Account(id, email, isApplicant);
        lock (gate)
        {
            accounts[id] = account;
        }

        if (BrowserAccount.Length == 0)
        {
            BrowserAccount = id;
        }

        return account;
    }

    /// <summary>An applicant with one resume in each state the site has.</summary>
    public Account AddApplicantWithEveryKindOfResume(string id)
    {
        var account = AddAccount(id, email: null);
        var now = Now;
        account.Resumes.AddRange(
        [
            new SiteResume(id + "a0", "Backend developer") { Status = "published", UpdatedAt = now - PublishInterval - TimeSpan.FromMinutes(5) },
            new SiteResume(id + "a1", "Team lead") { Status = "published", UpdatedAt = now - TimeSpan.FromHours(1) },
            new SiteResume(id + "a2", null) { Status = "not_published", Finished = false },
            new SiteResume(id + "a3", "Blocked resume") { Status = "blocked" },
            new SiteResume(id + "a4", "Under review") { Status = "on_moderation" },
            new SiteResume(id + "a5", "Hidden resume") { Status = "published", Access = "no_one", UpdatedAt = now - PublishInterval },
        ]);
        return account;
    }

    /// <summary>A grant as if the user had signed in, for tests that start below the sign-in flow.</summary>
    public (string AccessToken, string RefreshToken) IssueGrant(string accountId)
    {
        lock (gate)
        {
            var grant = NewGrant(accountId);
            return (grant.AccessToken, grant.RefreshToken);
        }
    }

    /// <summary>Moves every access token past its expiry, as if 14 days had passed for them.</summary>
    public void ExpireAccessTokens()
    {
        lock (gate)
        {
            grants.ForEach(g => g.ExpiresAt = Now - TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>What a password change does: every grant of the account dies with the given reason.</summary>
    public void RevokeGrants(string accountId, string reason = "token deactivated")
    {
        lock (gate)
        {
            grants.Where(g => g.AccountId == accountId).ToList().ForEach(g => g.RevokedReason = reason);
        }
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // The browser page is not an API call; everything else needs a User-Agent, HH-User-Agent winning.
            if (context.Request.Path != "/oauth/authorize")
            {
                var agent = context.Request.Headers["HH-User-Agent"].ToString();
                if (agent.Length == 0)
                {
                    agent = context.Request.Headers.UserAgent.ToString();
                }

                if (agent.Length == 0)
                {
                    await Errors(400, ("bad_user_agent", "unset")).ExecuteAsync(context);
                    return;
                }

                if (agent.Contains("blacklisted", StringComparison.OrdinalIgnoreCase))
                {
                    await Errors(400, ("bad_user_agent", "blacklisted")).ExecuteAsync(context);
                    return;
                }
            }

            await next();
        });
        app.MapGet("/oauth/authorize", Authorize);
        app.MapPost("/oauth/token", TokenAsync);
        app.MapPost("/token", TokenAsync);
        app.MapDelete("/oauth/token", Revoke);
        app.MapGet("/me", Me);
        app.MapGet("/resumes/mine", Mine);
        app.MapGet("/resumes/{id}/status", Status);
        app.MapPost("/resumes/{id}/publish", Publish);
        app.MapMethods("/resumes/{id}/publish", ["GET", "PUT"], () => Errors(405, ("method_not_allowed", null)));
    }

    protected override IResult JsonError(int status, string type, string message) => Errors(status, (type, null));

    /// <summary>hh.ru's captcha error: the client is meant to send a person to <c>captcha_url</c> with a <c>backurl</c>.</summary>
    protected override IResult CaptchaRequired() => Results.Json(
        new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["type"] = "captcha_required",
                ["value"] = "captcha_required",
                ["captcha_url"] = "https://hh.ru/account/captcha?state=" + Secret("captcha"),
                ["fallback_url"] = "https://hh.ru/account/captcha/fallback",
            }),
            ["request_id"] = Secret("req"),
        },
        statusCode: 403);

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["response_type"] != "code" || query["client_id"] != ClientId)
        {
            return Errors(400, ("bad_argument", "client_id"));
        }

        var redirect = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        if (DenyAccess)
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = state }));
        }

        var code = Secret("code");
        lock (gate)
        {
            codes[code] = new Code(BrowserAccount, redirect, Now + CodeLifetime);
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        lock (gate)
        {
            return form["grant_type"].ToString() switch
            {
                "authorization_code" => ExchangeCode(form),
                "refresh_token" => Refresh(form["refresh_token"].ToString()),
                _ => OAuthError("unsupported_grant_type", "unsupported grant_type"),
            };
        }
    }

    private IResult ExchangeCode(IFormCollection form)
    {
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return OAuthError("invalid_client", "client_id or client_secret not found");
        }

        if (!codes.TryGetValue(form["code"].ToString(), out var code))
        {
            return OAuthError("invalid_request", "code not found");
        }

        if (code.Used)
        {
            return OAuthError("invalid_grant", "code has already been used");
        }

        if (Now > code.ExpiresAt)
        {
            return OAuthError("invalid_grant", "code expired");
        }

        if (form["redirect_uri"] != code.RedirectUri)
        {
            return OAuthError("invalid_request", "bad redirect url");
        }

        code.Used = true;
        return TokenReply(NewGrant(code.AccountId));
    }

    private IResult Refresh(string refreshToken)
    {
        RefreshRequests++;
        if (refreshToken.Length == 0)
        {
            return OAuthError("invalid_request", "token is empty");
        }

        var grant = grants.Find(g => g.RefreshToken == refreshToken);
        if (grant is null)
        {
            return OAuthError("invalid_request", "token not found");
        }

        if (grant.RevokedReason is { } reason)
        {
            return OAuthError("invalid_grant", reason);
        }

        if (grant.Refreshed)
        {
            return OAuthError("invalid_grant", "token has already been refreshed");
        }

        if (Now < grant.ExpiresAt)
        {
            return OAuthError("invalid_grant", "token not expired");
        }

        grant.Refreshed = true;
        return TokenReply(NewGrant(grant.AccountId));
    }

    /// <summary>Refresh-grant requests that reached the token endpoint, refused ones included.</summary>
    public int RefreshRequests { get; private set; }

    private IResult Revoke(HttpRequest request)
    {
        lock (gate)
        {
            if (FindGrant(request) is not { } grant || grant.RevokedReason is not null || Now >= grant.ExpiresAt)
            {
                return Errors(403, ("forbidden", null));
            }

            grant.RevokedReason = "token was revoked";
            return Results.NoContent();
        }
    }

    private IResult Me(HttpRequest request) => WithAccount(request, account =>
    {
        var (first, last) = Names(account.Id);
        return Results.Json(new JsonObject
        {
            ["auth_type"] = account.IsApplicant ? "applicant" : "employer",
            ["id"] = account.Id,
            ["email"] = account.Email,
            ["first_name"] = first,
            ["last_name"] = last,
            ["middle_name"] = null,
            ["phone"] = null,
            ["is_admin"] = false,
            ["is_applicant"] = account.IsApplicant,
            ["is_application"] = false,
            ["is_employer"] = !account.IsApplicant,
            ["is_employer_integration"] = false,
            ["is_in_search"] = true,
            ["resumes_url"] = Api("/resumes/mine"),
            ["negotiations_url"] = Api("/negotiations"),
            ["counters"] = new JsonObject { ["new_resume_views"] = 0, ["resumes_count"] = account.Resumes.Count, ["unread_negotiations"] = 0 },
        });
    });

    private IResult Mine(HttpRequest request) => WithApplicant(request, account =>
    {
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) ? p : 0;
        var pages = Math.Max(1, (account.Resumes.Count + PerPage - 1) / PerPage);
        return Results.Json(new JsonObject
        {
            ["found"] = account.Resumes.Count,
            ["page"] = page,
            ["pages"] = pages,
            ["per_page"] = PerPage,
            ["items"] = new JsonArray([.. account.Resumes.Skip(page * PerPage).Take(PerPage).Select(r => (JsonNode)Render(account, r))]),
        });
    });

    private IResult Status(HttpRequest request, string id) => WithApplicant(request, account =>
        account.Resumes.Find(r => r.Id == id) is { } resume
            ? Results.Json(new JsonObject
            {
                ["status"] = StatusObject(resume),
                ["blocked"] = resume.Blocked,
                ["finished"] = resume.Finished,
                ["can_publish_or_update"] = CanPublish(resume),
                ["publish_url"] = Api($"/resumes/{id}/publish"),
                ["progress"] = new JsonObject { ["percentage"] = resume.Finished ? 100 : 40, ["mandatory"] = new JsonArray(), ["recommended"] = new JsonArray() },
                ["moderation_note"] = new JsonArray(),
            })
            : Errors(404, ("not_found", null)));

    private IResult Publish(HttpRequest request, string id) => WithApplicant(request, account =>
    {
        var resume = account.Resumes.Find(r => r.Id == id);
        if (resume is null)
        {
            return Errors(404, ("not_found", null));
        }

        if (!resume.Finished || resume.Status is "blocked" or "on_moderation")
        {
            return Errors(400, ("bad_request", null), description: "Resume cannot be published");
        }

        if (resume.Status == "published" && CanPublish(resume) == false)
        {
            resume.RefusedPublishes++;
            return Errors(429, ("resumes", "touch_limit_exceeded"));
        }

        resume.Status = "published";
        resume.UpdatedAt = Now;
        resume.Publishes++;
        return Results.NoContent();
    });

    private IResult WithApplicant(HttpRequest request, Func<Account, IResult> handler) =>
        WithAccount(request, account => account.IsApplicant ? handler(account) : Errors(403, ("forbidden", null)));

    private IResult WithAccount(HttpRequest request, Func<Account, IResult> handler)
    {
        lock (gate)
        {
            if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Errors(403, ("forbidden", null));
            }

            var grant = FindGrant(request);
            if (grant is null)
            {
                return Errors(403, ("oauth", "bad_authorization"));
            }

            if (grant.RevokedReason is not null)
            {
                return Errors(403, ("oauth", "token_revoked"));
            }

            return Now >= grant.ExpiresAt ? Errors(403, ("oauth", "token_expired")) : handler(accounts[grant.AccountId]);
        }
    }

    private Grant? FindGrant(HttpRequest request)
    {
        var token = request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        return grants.Find(g => g.AccessToken == token);
    }

    private Grant NewGrant(string accountId)
    {
        var grant = new Grant(accountId, Secret("access"), Secret("refresh"), Now + AccessTokenLifetime);
        grants.Add(grant);
        return grant;
    }

    private IResult TokenReply(Grant grant) => Results.Json(new JsonObject
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = (long)(grant.ExpiresAt - Now).TotalSeconds,
        ["refresh_token"] = grant.RefreshToken,
    });

    private JsonObject Render(Account account, SiteResume resume)
    {
        var (first, last) = Names(account.Id);
        var published = resume.Status == "published";
        var download = new JsonObject
        {
            ["pdf"] = new JsonObject { ["url"] = Api($"/resumes/{resume.Id}/download/resume.pdf") },
            ["rtf"] = new JsonObject { ["url"] = Api($"/resumes/{resume.Id}/download/resume.rtf") },
        };
        var created = HhDate(resume.CreatedAt);
        var updated = HhDate(resume.UpdatedAt ?? resume.CreatedAt);
        return new JsonObject
        {
            ["id"] = resume.Id,
            ["title"] = resume.Title,
            ["first_name"] = first,
            ["last_name"] = last,
            ["middle_name"] = null,
            ["url"] = Api($"/resumes/{resume.Id}"),
            ["alternate_url"] = $"https://hh.ru/resume/{resume.Id}",
            ["created_at"] = created,
            ["updated_at"] = updated,
            ["created"] = created,
            ["updated"] = updated,
            ["visible"] = published && resume.Access != "no_one",
            ["status"] = StatusObject(resume),
            ["blocked"] = resume.Blocked,
            ["finished"] = resume.Finished,
            ["access"] = new JsonObject { ["type"] = new JsonObject { ["id"] = resume.Access, ["name"] = resume.Access == "no_one" ? "не видно никому" : "видно всему интернету" } },
            ["can_publish_or_update"] = CanPublish(resume),
            ["next_publish_at"] = published ? HhDate(NextPublishAt(resume)) : null,
            ["actions"] = new JsonObject { ["download"] = download.DeepClone() },
            ["download"] = download,
            ["certificate"] = new JsonArray(),
            ["contact"] = new JsonArray(),
            ["education"] = new JsonObject { ["level"] = null },
            ["experience"] = new JsonArray(),
            ["hidden_fields"] = new JsonArray(),
            ["marked"] = false,
            ["new_views"] = 0,
            ["total_views"] = 0,
            ["views_url"] = Api($"/resumes/{resume.Id}/views"),
            ["paid_services"] = new JsonArray(),
            ["real_id"] = resume.Id,
            ["similar_vacancies"] = new JsonObject { ["counters"] = new JsonObject { ["total"] = 0 }, ["url"] = Api($"/resumes/{resume.Id}/similar_vacancies") },
            ["photo"] = null,
        };
    }

    private DateTimeOffset NextPublishAt(SiteResume resume) => (resume.UpdatedAt ?? resume.CreatedAt) + PublishInterval;

    /// <summary>Null for resumes that are not published, as on hh.ru.</summary>
    private bool? CanPublish(SiteResume resume) => resume.Status == "published" ? Now >= NextPublishAt(resume) : null;

    private static JsonObject StatusObject(SiteResume resume) => new()
    {
        ["id"] = resume.Status,
        ["name"] = resume.Status switch
        {
            "published" => "опубликовано",
            "not_published" => "не опубликовано",
            "blocked" => "заблокировано",
            _ => "на модерации",
        },
    };

    /// <summary>hh.ru writes Moscow time with a colon-less offset: 2015-05-10T04:00:00+0300.</summary>
    public static string HhDate(DateTimeOffset value) =>
        value.ToOffset(Moscow).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0300";

    private string Api(string path) => new Uri(BaseAddress, path).ToString();

    private static (string First, string Last) Names(string accountId) => ("Ivan", "Petrov-" + accountId);

    private static IResult Errors(int status, (string Type, string? Value) error, string? description = null)
    {
        var body = new JsonObject
        {
            ["errors"] = new JsonArray(error.Value is null
                ? new JsonObject { ["type"] = error.Type }
                : new JsonObject { ["type"] = error.Type, ["value"] = error.Value }),
            ["request_id"] = Secret("req"),
        };
        if (description is not null)
        {
            body["description"] = description;
        }

        // Legacy keys hh.ru still sends on auth errors; clients must ignore them.
        if (error.Type == "oauth")
        {
            body["oauth_error"] = error.Value!.Replace('_', '-');
            body["description"] = "Unrecognized authorization";
        }

        return Results.Json(body, statusCode: status);
    }

    private static IResult OAuthError(string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: 400);

    private static string Secret(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)).ToUpperInvariant();

    public sealed class Account(string id, string? email, bool isApplicant)
    {
        public string Id { get; } = id;

        public string? Email { get; } = email;

        public bool IsApplicant { get; } = isApplicant;

        public List<SiteResume> Resumes { get; } = [];
    }

    public sealed class SiteResume(string id, string? title)
    {
        public string Id { get; } = id;

        public string? Title { get; } = title;

        /// <summary><c>published</c>, <c>not_published</c>, <c>blocked</c> or <c>on_moderation</c>.</summary>
        public string Status { get; set; } = "published";

        public bool Finished { get; set; } = true;

        public bool Blocked => Status == "blocked";

        public string Access { get; set; } = "everyone";

        public DateTimeOffset CreatedAt { get; set; } = new(2025, 1, 15, 9, 0, 0, TimeSpan.Zero);

        public DateTimeOffset? UpdatedAt { get; set; }

        public int Publishes { get; set; }

        public int RefusedPublishes { get; set; }
    }

    private sealed record Code(string AccountId, string RedirectUri, DateTimeOffset ExpiresAt)
    {
        public bool Used { get; set; }
    }

    private sealed record Grant(string AccountId, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
    {
        public DateTimeOffset ExpiresAt { get; set; } = ExpiresAt;

        public bool Refreshed { get; set; }

        public string? RevokedReason { get; set; }
    }
}
