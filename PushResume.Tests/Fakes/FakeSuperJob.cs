using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace PushResume.Tests.Fakes;

/// <summary>
/// SuperJob as providers.md section 3.2 describes it, lenient where the real behaviour is unknown: the
/// <c>X-Api-App-Id</c> gate, trailing slashes, code exchange by GET or POST, refresh by GET, the token as a Bearer
/// header or <c>?access_token=</c>, <c>user_cvs</c> with integer ids and unix dates, and the "too early" 401 whose
/// Russian message is the only thing that tells it from a bad token.
/// </summary>
public sealed class FakeSuperJob(TimeProvider time) : FakeSite(time)
{
    public const string ClientId = "4242";
    public const string AppSecret = "v3.r.4242.feedfacecafe.deadbeef";

    private readonly Lock gate = new();
    private readonly Dictionary<long, Account> accounts = [];
    private readonly Dictionary<string, (long AccountId, bool Used)> codes = new(StringComparer.Ordinal);
    private readonly List<Grant> grants = [];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RaiseInterval { get; set; } = TimeSpan.FromHours(1);

    public int PageSizeLimit { get; set; } = 100;

    /// <summary>A method path without its trailing slash is a 404, as SuperJob's docs suggest.</summary>
    public bool RequireTrailingSlash { get; set; } = true;

    public long BrowserAccount { get; set; }

    public int RefreshRequests { get; private set; }

    public Account AddAccount(long id, int resumes = 2)
    {
        var account = new Account(id);
        for (var i = 0; i < resumes; i++)
        {
            account.Resumes.Add(new SiteResume(id * 100 + i, $"Профессия {i}") { PublishedAt = Now - RaiseInterval - TimeSpan.FromMinutes(i + 1) });
        }

        lock (gate)
        {
            accounts[id] = account;
        }

        if (BrowserAccount == 0)
        {
            BrowserAccount = id;
        }

        return account;
    }

    public (string AccessToken, string RefreshToken) IssueGrant(long accountId)
    {
        lock (gate)
        {
            var grant = NewGrant(accountId);
            return (grant.AccessToken, grant.RefreshToken);
        }
    }

    public void ExpireAccessTokens()
    {
        lock (gate)
        {
            grants.ForEach(g => g.ExpiresAt = Now - TimeSpan.FromSeconds(1));
        }
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value!;
            if (path.StartsWith("/2.0/", StringComparison.Ordinal))
            {
                if (context.Request.Headers["X-Api-App-Id"] != AppSecret)
                {
                    await JsonError(403, "app", "Не передан или неверен заголовок X-Api-App-Id").ExecuteAsync(context);
                    return;
                }

                if (RequireTrailingSlash && !path.EndsWith('/'))
                {
                    await JsonError(404, "not_found", "Метод не найден").ExecuteAsync(context);
                    return;
                }
            }

            await next();
        });
        app.MapGet("/authorize/", Authorize);
        app.MapMethods("/2.0/oauth2/access_token/", ["GET", "POST"], AccessTokenAsync);
        app.MapMethods("/2.0/oauth2/refresh_token/", ["GET", "POST"], RefreshAsync);
        app.MapGet("/2.0/user/current/", Current);
        app.MapGet("/2.0/user_cvs/", Resumes);
        app.MapPost("/2.0/user_cvs/update_datepub/{id}/", Raise);
    }

    protected override IResult JsonError(int status, string type, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["error"] = type, ["message"] = message } }, statusCode: status);

    private IResult Authorize(HttpRequest request)
    {
        if (request.Query["client_id"] != ClientId)
        {
            return JsonError(400, "invalid_client", "Неизвестное приложение");
        }

        var code = Secret("sjcode");
        lock (gate)
        {
            codes[code] = (BrowserAccount, false);
        }

        return Results.Redirect(QueryHelpers.AddQueryString(request.Query["redirect_uri"].ToString(), new Dictionary<string, string?>
        {
            ["code"] = code,
            ["state"] = request.Query["state"].ToString(),
        }));
    }

    private async Task<IResult> AccessTokenAsync(HttpRequest request)
    {
        var parameters = await ParametersAsync(request);
        lock (gate)
        {
            if (parameters("client_id") != ClientId || parameters("client_secret") != AppSecret)
            {
                return JsonError(400, "invalid_client", "Неверные данные приложения");
            }

            if (!codes.TryGetValue(parameters("code"), out var code) || code.Used)
            {
                return JsonError(400, "invalid_grant", "Неверный код авторизации");
            }

            codes[parameters("code")] = (code.AccountId, true);
            return TokenReply(NewGrant(code.AccountId));
        }
    }

    private async Task<IResult> RefreshAsync(HttpRequest request)
    {
        var parameters = await ParametersAsync(request);
        lock (gate)
        {
            RefreshRequests++;
            if (parameters("client_id") != ClientId || parameters("client_secret") != AppSecret)
            {
                return JsonError(400, "invalid_client", "Неверные данные приложения");
            }

            var grant = grants.Find(g => g.RefreshToken == parameters("refresh_token") && !g.Refreshed);
            if (grant is null)
            {
                return JsonError(400, "invalid_grant", "Неверный refresh_token");
            }

            grant.Refreshed = true;
            return TokenReply(NewGrant(grant.AccountId));
        }
    }

    private IResult Current(HttpRequest request) => WithAccount(request, account => Results.Json(new JsonObject
    {
        ["id"] = account.Id,
        ["name"] = "Мария Иванова",
        ["email"] = $"user{account.Id}@example.com",
        ["phone_number"] = null,
        ["date_reg"] = 1_500_000_000,
        ["photo"] = null,
    }));

    private IResult Resumes(HttpRequest request) => WithAccount(request, account =>
    {
        var page = int.TryParse(request.Query["page"], CultureInfo.InvariantCulture, out var p) ? p : 0;
        var count = Math.Min(int.TryParse(request.Query["count"], CultureInfo.InvariantCulture, out var c) ? c : 20, PageSizeLimit);
        var slice = account.Resumes.Skip(page * count).Take(count).ToList();
        return Results.Json(new JsonObject
        {
            ["objects"] = new JsonArray([.. slice.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["profession"] = r.Profession,
                ["firstname"] = "Мария",
                ["lastname"] = "Иванова",
                ["link"] = $"https://www.superjob.ru/resume/{r.Id}.html",
                ["photo"] = null,
                ["date_published"] = r.PublishedAt.ToUnixTimeSeconds(),
            })]),
            ["total"] = account.Resumes.Count,
            ["more"] = (page + 1) * count < account.Resumes.Count,
        });
    });

    private IResult Raise(HttpRequest request, long id) => WithAccount(request, account =>
    {
        var resume = account.Resumes.Find(r => r.Id == id);
        if (resume is null)
        {
            return JsonError(404, "not_found", "Резюме не найдено");
        }

        var wait = resume.PublishedAt + RaiseInterval - Now;
        if (wait > TimeSpan.Zero)
        {
            resume.RefusedRaises++;
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            return JsonError(401, "update_limit", $"Обновление резюме возможно через {minutes} минут");
        }

        resume.PublishedAt = Now;
        resume.Raises++;
        return Results.Json(new JsonObject { ["result"] = true });
    });

    private IResult WithAccount(HttpRequest request, Func<Account, IResult> handler)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : request.Query["access_token"].ToString();
        lock (gate)
        {
            var grant = grants.Find(g => g.AccessToken == token);
            if (grant is null || grant.Refreshed || Now >= grant.ExpiresAt)
            {
                return JsonError(401, "invalid_token", "Неверный или просроченный access_token");
            }

            var account = accounts[grant.AccountId];
            if (account.Blocked)
            {
                return Results.Json(
                    new JsonObject
                    {
                        ["error"] = new JsonObject
                        {
                            ["code"] = 403,
                            ["message"] = "Ваша регистрация заблокирована",
                            ["errors"] = new JsonArray(new JsonObject { ["reason"] = "user_blocked_by_admin", ["reason_text"] = "Заблокирован администратором" }),
                        },
                    },
                    statusCode: 403);
            }

            return handler(account);
        }
    }

    /// <summary>SuperJob's own client sends token parameters in the query; others post a form. Both work.</summary>
    private static async Task<Func<string, string>> ParametersAsync(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        return name => form?[name] is { Count: > 0 } value ? value.ToString() : request.Query[name] is StringValues query ? query.ToString() : string.Empty;
    }

    private Grant NewGrant(long accountId)
    {
        var grant = new Grant(accountId, Secret("v3.r.access."), Secret("v3.r.refresh."), Now + AccessTokenLifetime);
        grants.Add(grant);
        return grant;
    }

    private IResult TokenReply(Grant grant) => Results.Json(new JsonObject
    {
        ["access_token"] = grant.AccessToken,
        ["refresh_token"] = grant.RefreshToken,
        ["ttl"] = grant.ExpiresAt.ToUnixTimeSeconds(),
        ["expires_in"] = (long)(grant.ExpiresAt - Now).TotalSeconds,
        ["token_type"] = "bearer",
    });

    private static string Secret(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public sealed class Account(long id)
    {
        public long Id { get; } = id;

        public bool Blocked { get; set; }

        public List<SiteResume> Resumes { get; } = [];
    }

    public sealed class SiteResume(long id, string profession)
    {
        public long Id { get; } = id;

        public string Profession { get; } = profession;

        public DateTimeOffset PublishedAt { get; set; }

        public int Raises { get; set; }

        public int RefusedRaises { get; set; }
    }

    private sealed record Grant(long AccountId, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
    {
        public DateTimeOffset ExpiresAt { get; set; } = ExpiresAt;

        public bool Refreshed { get; set; }
    }
}
