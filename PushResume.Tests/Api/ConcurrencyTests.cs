using System.Net;
using System.Text.Json.Nodes;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Api;

public sealed class ConcurrencyTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task A_hundred_parallel_toggles_lose_no_update_and_leave_the_schedule_in_step()
    {
        var token = await api.SignInAsync("racer");
        var uniq = (await api.GetJsonAsync<JsonArray>("/resume", token))[0]!["uniq"]!.GetValue<string>();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            api.SendAsync(HttpMethod.Post, "/resume", token, ApiHost.Json(new { uniq }))));

        var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.True(succeeded > 0);
        var final = (await api.GetJsonAsync<JsonArray>("/resume", token))[0]!["enabled"]!.GetValue<bool>();
        // Starting from off, each toggle that succeeded flipped the flag exactly once.
        Assert.Equal(succeeded % 2 == 1, final);
        // When on, the resume is scheduled and indexed at that time; when off, it is not scheduled (an index row a
        // lost race left behind names a time the resume no longer has, so the publisher drops it).
        var userId = TestTokens.SubjectOf(token);
        var row = api.Tables.Resumes.Query<ResumeEntity>(e => e.PartitionKey == userId && e.ResumeId == uniq).Single();
        var index = api.Tables.Schedule.Query<ScheduleEntity>(e => e.UserId == userId).ToList();
        Assert.Equal(final, row.NextPushAt is not null);
        Assert.True(!final || index.Any(r => r.DueAt == row.NextPushAt), "a resume switched on has its index row");
    }

    [Fact]
    public async Task Parallel_first_listings_create_each_resume_once()
    {
        var token = await api.SignInAsync("parallel-lister");

        var listings = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => api.GetJsonAsync<JsonArray>("/resume", token)));

        Assert.All(listings, l => Assert.Equal(3, l.Count));
        var userId = TestTokens.SubjectOf(token);
        Assert.Equal(3, api.Tables.Resumes.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == userId).Count());
    }

    [Fact]
    public async Task Parallel_first_sign_ins_of_one_account_create_one_user()
    {
        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            api.Client.PostAsync("/auth/sandbox", ApiHost.Json(new { code = "twin" }))
                .ContinueWith(async t => (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonObject>(t.Result.Content))!["token"]!.GetValue<string>())
                .Unwrap()));

        Assert.Single(tokens.Select(TestTokens.SubjectOf).Distinct());
    }
}
