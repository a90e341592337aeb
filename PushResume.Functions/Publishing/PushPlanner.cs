using Microsoft.Extensions.Options;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Publishing;

/// <summary>Decides when a resume is raised next.</summary>
public sealed class PushPlanner(ProviderCatalog providers, TimeProvider time, IOptions<PublishingOptions> options)
{
    /// <summary>Used when the resume's site has been switched off since it was listed; the engine will not call it anyway.</summary>
    private static readonly TimeSpan UnknownSiteInterval = TimeSpan.FromHours(4);

    /// <summary>
    /// The first raise of a resume just switched on: the site's announced next time when known, else its last
    /// raise plus the site's minimum interval, else now (and never in the past).
    /// </summary>
    public DateTimeOffset FirstPush(ResumeEntity resume)
    {
        var now = time.GetUtcNow();
        var interval = IntervalOf(resume.Provider);
        // The site's word, unless the engine has raised the resume since the site last said it.
        var allowed = Later(resume.NextPublishAt ?? resume.Published + interval, resume.LastPushAt + interval);
        return Jittered(allowed is { } at && at > now ? at : now);
    }

    /// <summary>The next raise after an answer from the site, from the time it named or else its minimum interval.</summary>
    public DateTimeOffset After(string provider, DateTimeOffset? siteNamed) =>
        Jittered(siteNamed ?? time.GetUtcNow() + IntervalOf(provider));

    /// <summary>The next try after every try of a raise failed.</summary>
    public DateTimeOffset AfterFailure() => Jittered(time.GetUtcNow() + options.Value.FailedRetryDelay);

    private TimeSpan IntervalOf(string provider) => providers.Find(provider)?.MinimumInterval ?? UnknownSiteInterval;

    private DateTimeOffset Jittered(DateTimeOffset at) =>
        at + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * options.Value.Jitter.TotalMilliseconds);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;
}
