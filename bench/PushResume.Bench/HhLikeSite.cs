using PushResume.Providers;

namespace PushResume.Bench;

/// <summary>
/// An hh.ru-like site in this process: each resume may be raised once per <see cref="Window"/>, announced as
/// <c>next_publish_at</c> in the resume list; a raise before that is refused as too early (hh.ru's 429
/// <c>touch_limit_exceeded</c>, which names no time). It measures what the benchmark reports: raises, refusals,
/// and how long each raise came after the resume became eligible.
/// </summary>
public sealed class HhLikeSite(TimeProvider time) : IResumeProvider
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(4);

    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> nextAllowed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> enabledAt = new(StringComparer.Ordinal);
    private readonly List<double> delays = [];

    public string Name => "headhunter";

    public TimeSpan MinimumInterval => Window;

    public TimeSpan RefreshAhead => TimeSpan.Zero;

    public int Raises { get; private set; }

    public int Refused { get; private set; }

    /// <summary>Seconds from the moment each raise became allowed (or the resume was switched on, if later) to the raise.</summary>
    public IReadOnlyList<double> Delays => delays;

    public static string UserToken(int user) => $"user-{user}";

    public static string ResumeId(int user, int index) => $"{user}-{index}";

    /// <summary>Sets where a resume's window stands when the benchmark starts.</summary>
    public void Seed(string resumeId, DateTimeOffset allowedAt)
    {
        lock (gate)
        {
            nextAllowed[resumeId] = allowedAt;
        }
    }

    /// <summary>Eligibility only counts from when the resume was switched on.</summary>
    public void MarkEnabled(string resumeId, DateTimeOffset at)
    {
        lock (gate)
        {
            enabledAt[resumeId] = at;
        }
    }

    public Task<PublishResult> PublishAsync(string accessToken, string resumeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var allowed = nextAllowed[resumeId];
            if (now < allowed)
            {
                Refused++;
                return Task.FromResult(new PublishResult(PublishOutcome.TooEarly, null));
            }

            var eligible = allowed > enabledAt[resumeId] ? allowed : enabledAt[resumeId];
            delays.Add((now - eligible).TotalSeconds);
            Raises++;
            nextAllowed[resumeId] = now + Window;
            return Task.FromResult(new PublishResult(PublishOutcome.Published, null));
        }
    }

    public Task<IReadOnlyList<ProviderResume>> ListResumesAsync(string accessToken, CancellationToken cancellationToken)
    {
        var user = accessToken["user-".Length..];
        lock (gate)
        {
            IReadOnlyList<ProviderResume> listed =
            [
                .. nextAllowed.Where(r => r.Key.StartsWith(user + "-", StringComparison.Ordinal))
                    .Select(r => new ProviderResume(r.Key, "Developer", "Bench User", new Uri($"https://hh.invalid/resume/{r.Key}"), r.Value - Window, r.Value)),
            ];
            return Task.FromResult(listed);
        }
    }

    public Uri GetAuthorizationUrl(Uri redirectUri, string state) => redirectUri;

    public Task<ProviderTokens> ExchangeCodeAsync(string code, Uri redirectUri, CancellationToken cancellationToken) =>
        Task.FromResult(Tokens(code));

    public Task<ProviderTokens?> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult<ProviderTokens?>(null);

    public Task RevokeAsync(string accessToken, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ProviderIdentity> GetIdentityAsync(string accessToken, CancellationToken cancellationToken) =>
        Task.FromResult(new ProviderIdentity(accessToken, "Bench User"));

    /// <summary>Tokens that outlive the simulated day, so the benchmark measures raising, not refreshing.</summary>
    public ProviderTokens Tokens(string accessToken) => new(accessToken, "refresh-" + accessToken, time.GetUtcNow() + TimeSpan.FromDays(30));
}
