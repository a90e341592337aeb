using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PushResume.Http;
using PushResume.Resumes;

namespace PushResume.Functions;

public sealed class ResumeFunctions(ApiEndpoint endpoint, ResumeService resumes)
{
    [Function("ListResumes")]
    public Task<IActionResult> ListResumes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "resume")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RunAsUserAsync(request, async user => ApiResults.Json(await resumes.ListAsync(user, cancellationToken)), cancellationToken);

    [Function("ToggleResume")]
    public Task<IActionResult> ToggleResume(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "resume")] HttpRequest request,
        CancellationToken cancellationToken) =>
        endpoint.RunAsUserAsync(
            request,
            async user =>
            {
                var body = await JsonRequest.ReadObjectAsync(request, cancellationToken);
                var enabled = await resumes.SetEnabledAsync(
                    user,
                    JsonRequest.RequiredString(body, "uniq"),
                    JsonRequest.OptionalBoolean(body, "enabled"),
                    cancellationToken);
                return ApiResults.Json(new ToggleView(enabled));
            },
            cancellationToken);
}
