using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PushResume.Tests.Fakes;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Unit;

/// <summary>
/// The fake hh.ru's replies checked against hh.ru's official OpenAPI schemas, so the fake the other tests trust
/// cannot drift from the real API. Skipped, with the reason, on a clone without the shared reference folder.
/// </summary>
public sealed class FakeHeadHunterConformanceTests : IClassFixture<ProviderClientsFixture>, IDisposable
{
    private readonly FakeHeadHunter fake;
    private readonly HttpClient client;

    public FakeHeadHunterConformanceTests(ProviderClientsFixture sites)
    {
        fake = sites.HeadHunter;
        client = new HttpClient { BaseAddress = fake.BaseAddress };
        client.DefaultRequestHeaders.Add("HH-User-Agent", FakeHeadHunter.UserAgent);
    }

    public void Dispose() => client.Dispose();

    [SkippableFact]
    public async Task The_applicant_profile_matches_the_spec()
    {
        var (access, _) = Grant("specme");

        await AssertConformsAsync("/me", "get", Get("/me", access));
    }

    [SkippableFact]
    public async Task The_resume_list_with_every_kind_of_resume_matches_the_spec()
    {
        var (access, _) = Grant("speclist");

        await AssertConformsAsync("/resumes/mine", "get", Get("/resumes/mine", access));
    }

    [SkippableTheory]
    [InlineData("a1", 429)]
    [InlineData("a3", 400)]
    [InlineData("zz", 404)]
    public async Task Publish_refusals_match_the_spec(string suffix, int status)
    {
        var (access, _) = Grant("specpub" + suffix);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/resumes/specpub{suffix}{suffix}/publish");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);

        var response = await AssertConformsAsync("/resumes/{resume_id}/publish", "post", request);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [SkippableFact]
    public async Task Auth_errors_match_the_spec()
    {
        var (access, _) = Grant("specauth");
        fake.ExpireAccessTokens();

        var response = await AssertConformsAsync("/resumes/mine", "get", Get("/resumes/mine", access));

        Assert.Equal(403, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_call_without_a_user_agent_is_refused_as_hh_does()
    {
        using var bare = new HttpClient { BaseAddress = fake.BaseAddress };

        using var response = await bare.GetAsync(new Uri("/me", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("bad_user_agent", body["errors"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("unset", body["errors"]![0]!["value"]!.GetValue<string>());
        Assert.NotNull(body["request_id"]);
    }

    private static HttpRequestMessage Get(string path, string access)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return request;
    }

    private async Task<HttpResponseMessage> AssertConformsAsync(string specPath, string method, HttpRequestMessage request)
    {
        Skip.If(HhSpec.Instance is null, $"hh.ru's OpenAPI spec was not found (looked for {HhSpec.Locate() ?? "shared/reference/hh-openapi.yaml above the repository"}); set PUSHRESUME_REFERENCE_DIR to check the fake against it");
        var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        var problem = HhSpec.Instance!.Check(specPath, method, (int)response.StatusCode, body);

        Assert.True(problem is null, problem);
        return response;
    }

    private (string Access, string Refresh) Grant(string accountId)
    {
        fake.AddApplicantWithEveryKindOfResume(accountId);
        return fake.IssueGrant(accountId);
    }
}
