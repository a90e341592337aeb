using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PushResume.Http;
using PushResume.Stats;

namespace PushResume.Functions;

public sealed class StatsFunctions(ApiEndpoint endpoint, StatsService stats)
{
    [Function("GetStats")]
    public Task<IActionResult> GetStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stats")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RunAsync(request, async () => ApiResults.RawJson(await stats.GetJsonAsync(cancellationToken)));
}
