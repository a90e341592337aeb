using Microsoft.Extensions.Options;
using PushResume.Publishing;

namespace PushResume.Tests.Unit;

public sealed class ProviderThrottleTests
{
    [Fact]
    public async Task Calls_to_one_site_beyond_the_cap_wait_while_other_sites_go_ahead()
    {
        using var throttle = new ProviderThrottle(Options.Create(new PublishingOptions { MaxConcurrentCallsPerProvider = 2 }));
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = 0;
        var most = 0;

        async Task<int> CallAsync()
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            var result = await release.Task;
            Interlocked.Decrement(ref inFlight);
            return result;
        }

        var busy = Enumerable.Range(0, 5).Select(_ => throttle.RunAsync("headhunter", CallAsync, CancellationToken.None)).ToList();
        var other = await throttle.RunAsync("superjob", () => Task.FromResult(7), CancellationToken.None);
        var stuck = inFlight;
        release.SetResult(1);
        await Task.WhenAll(busy);

        Assert.Equal(7, other);
        Assert.Equal(2, stuck);
        Assert.Equal(2, most);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
