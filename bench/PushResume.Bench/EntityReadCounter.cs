using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PushResume.Bench;

/// <summary>
/// Counts the table entities storage returns, from the responses themselves: a query page's <c>value</c> array,
/// or one entity for a point read. Both policies are measured by the same counter.
/// </summary>
public sealed class EntityReadCounter : HttpPipelineSynchronousPolicy
{
    private long entities;
    private long pages;

    public long Entities => Interlocked.Read(ref entities);

    public long Pages => Interlocked.Read(ref pages);

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200 || message.Response.Content is not { } content)
        {
            return;
        }

        Interlocked.Increment(ref pages);
        using var json = JsonDocument.Parse(content.ToMemory());
        var count = json.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 1;
        Interlocked.Add(ref entities, count);
    }
}
