using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using PushResume.Providers;
using PushResume.Publishing;
using PushResume.Storage;

namespace PushResume.Tests.Unit;

public sealed class PushPlannerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(4);
    private static readonly TimeSpan Jitter = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_resume_the_site_allows_later_is_first_pushed_then()
    {
        var allowed = time.GetUtcNow().AddHours(3);

        var first = Planner().FirstPush(Resume(nextPublishAt: allowed, published: time.GetUtcNow().AddHours(-1)));

        Assert.InRange(first, allowed, allowed + Jitter);
    }

    [Fact]
    public void Without_the_sites_word_the_last_raise_plus_the_interval_counts()
    {
        var published = time.GetUtcNow().AddHours(-1);

        var first = Planner().FirstPush(Resume(nextPublishAt: null, published: published));

        Assert.InRange(first, published + Interval, published + Interval + Jitter);
    }

    [Fact]
    public void A_raise_by_the_engine_after_the_sites_listing_wins_over_the_stale_listing()
    {
        var lastPush = time.GetUtcNow().AddMinutes(-30);
        var resume = Resume(nextPublishAt: time.GetUtcNow().AddHours(-2), published: time.GetUtcNow().AddHours(-6));
        resume.LastPushAt = lastPush;

        var first = Planner().FirstPush(resume);

        Assert.InRange(first, lastPush + Interval, lastPush + Interval + Jitter);
    }

    [Fact]
    public void A_resume_already_allowed_or_never_raised_is_due_at_once()
    {
        var planner = Planner();
        var now = time.GetUtcNow();

        Assert.InRange(planner.FirstPush(Resume(nextPublishAt: now.AddHours(-1), published: now.AddHours(-5))), now, now + Jitter);
        Assert.InRange(planner.FirstPush(Resume(nextPublishAt: null, published: null)), now, now + Jitter);
    }

    [Fact]
    public void Resumes_switched_on_together_are_spread_over_the_jitter()
    {
        var planner = Planner();
        var now = time.GetUtcNow();

        var times = Enumerable.Range(0, 1000).Select(_ => planner.FirstPush(Resume(null, null))).ToList();

        Assert.All(times, t => Assert.InRange(t, now, now + Jitter));
        // Uniform over 5 s: every second of the range gets some of a thousand.
        Assert.Equal(5, times.Select(t => (int)(t - now).TotalSeconds).Distinct().Count());
    }

    [Fact]
    public void After_a_raise_the_sites_named_time_wins_over_the_interval()
    {
        var planner = Planner();
        var named = time.GetUtcNow().AddMinutes(37);

        Assert.InRange(planner.After("site", named), named, named + Jitter);
        Assert.InRange(planner.After("site", null), time.GetUtcNow() + Interval, time.GetUtcNow() + Interval + Jitter);
    }

    private PushPlanner Planner()
    {
        var provider = new Mock<IResumeProvider>();
        provider.SetupGet(p => p.Name).Returns("site");
        provider.SetupGet(p => p.MinimumInterval).Returns(Interval);
        return new PushPlanner(new ProviderCatalog([provider.Object]), time, Options.Create(new PublishingOptions { Jitter = Jitter }));
    }

    private static ResumeEntity Resume(DateTimeOffset? nextPublishAt, DateTimeOffset? published) =>
        new() { Provider = "site", NextPublishAt = nextPublishAt, Published = published };
}
