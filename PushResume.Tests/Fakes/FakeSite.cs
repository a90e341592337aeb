using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PushResume.Tests.Fakes;

/// <summary>Trouble a real job site or the proxies in front of it cause, injected per request.</summary>
public enum Fault
{
    /// <summary>503 with the site's JSON error.</summary>
    ServiceUnavailable,

    /// <summary>500 with a plain-text body, as 5xx replies often are.</summary>
    ServerErrorNotJson,

    /// <summary>403 with a DDoS-Guard HTML page (<c>Server: ddos-guard</c>), as hh.ru users have met.</summary>
    AntiBotPage,

    /// <summary>The site's global rate limit: 429, with <c>Retry-After</c> when <see cref="FakeSite.RetryAfter"/> is set.</summary>
    GlobalRateLimit,

    /// <summary>Answers normally after <see cref="FakeSite.SlowDelay"/>.</summary>
    Slow,

    /// <summary>403 asking for a captcha, which hh.ru documents for some calls (not the raise), for robustness.</summary>
    CaptchaRequired,
}

/// <summary>
/// A job site on a loopback port for the tests: real HTTP, so the app's HTTP clients, headers and resilience
/// handlers run exactly as against the real site. Faults are queued and hit the next matching requests.
/// </summary>
public abstract class FakeSite(TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentQueue<(Fault Fault, string PathPrefix)> faults = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private WebApplication? app;

    public TimeProvider Time { get; } = time;

    public Uri BaseAddress { get; private set; } = null!;

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>
    /// Chaos mode: this share of the requests with no queued fault meets a random one of 5xx, non-JSON 500,
    /// the anti-bot page or a slow reply. Zero switches it off.
    /// </summary>
    public double ChaosRate { get; set; }

    /// <summary>How many requests chaos mode has spoiled.</summary>
    public int ChaosFaults => chaosFaults;

    private static readonly Fault[] ChaosKinds = [Fault.ServiceUnavailable, Fault.ServerErrorNotJson, Fault.AntiBotPage, Fault.Slow];
    private readonly Random chaos = new(20261204);
    private int chaosFaults;

    /// <summary>Every request the site received, in order, with the headers that matter to the tests.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => requests;

    public int Count(string method, string path) => requests.Count(r => r.Method == method && r.Path == path);

    /// <summary>The next <paramref name="times"/> requests whose path starts with <paramref name="pathPrefix"/> meet <paramref name="fault"/>.</summary>
    public void Inject(Fault fault, int times = 1, string pathPrefix = "/")
    {
        for (var i = 0; i < times; i++)
        {
            faults.Enqueue((fault, pathPrefix));
        }
    }

    public void ClearFaults() => faults.Clear();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Use(async (context, next) =>
        {
            requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value!,
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            if ((TakeFault(context.Request.Path.Value!) ?? TakeChaos()) is { } fault)
            {
                if (fault != Fault.Slow)
                {
                    await WriteFaultAsync(context, fault);
                    return;
                }

                await Task.Delay(SlowDelay, context.RequestAborted);
            }

            await next();
        });
        Map(app);
        await app.StartAsync();
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract void Map(WebApplication app);

    /// <summary>The site's own JSON error body for a status (hh.ru and SuperJob shape errors differently).</summary>
    protected abstract IResult JsonError(int status, string type, string message);

    protected virtual IResult CaptchaRequired() => JsonError(403, "captcha_required", "Captcha required");

    protected DateTimeOffset Now => Time.GetUtcNow();

    private Fault? TakeChaos()
    {
        lock (chaos)
        {
            if (ChaosRate <= 0 || chaos.NextDouble() >= ChaosRate)
            {
                return null;
            }

            Interlocked.Increment(ref chaosFaults);
            return ChaosKinds[chaos.Next(ChaosKinds.Length)];
        }
    }

    private Fault? TakeFault(string path)
    {
        if (faults.TryPeek(out var next) && path.StartsWith(next.PathPrefix, StringComparison.Ordinal) && faults.TryDequeue(out var taken))
        {
            return taken.Fault;
        }

        return null;
    }

    private async Task WriteFaultAsync(HttpContext context, Fault fault)
    {
        var response = context.Response;
        switch (fault)
        {
            case Fault.ServiceUnavailable:
                await JsonError(503, "service_unavailable", "Service unavailable").ExecuteAsync(context);
                break;
            case Fault.ServerErrorNotJson:
                response.StatusCode = 500;
                response.ContentType = "text/plain";
                await response.WriteAsync("Internal Server Error");
                break;
            case Fault.AntiBotPage:
                response.StatusCode = 403;
                response.Headers.Server = "ddos-guard";
                response.ContentType = "text/html; charset=utf-8";
                await response.WriteAsync("<!DOCTYPE html><html><head><title>DDoS-Guard</title></head><body>Checking your browser...</body></html>");
                break;
            case Fault.GlobalRateLimit:
                if (RetryAfter is { } wait)
                {
                    response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await JsonError(429, "too_many_requests", "Too many requests").ExecuteAsync(context);
                break;
            case Fault.CaptchaRequired:
                await CaptchaRequired().ExecuteAsync(context);
                break;
        }
    }
}

public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers);
