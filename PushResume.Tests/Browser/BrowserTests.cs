using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PushResume.Storage;
using PushResume.Tests.Infrastructure;

namespace PushResume.Tests.Browser;

/// <summary>
/// The frontend end to end in headless Chromium against the dev host, Azurite and the sandbox: what a person does
/// on the site. Each main page is saved as a screenshot in .local/artifacts/e2e and must log no console error.
/// </summary>
public sealed partial class BrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string TokenKey = "pushresume.token";

    [Fact]
    public async Task Sign_in_see_the_resumes_and_switch_one_on_and_off_across_reloads()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;

        await page.GotoAsync(host.WebAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Service statistics")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "sign-in");
        await SignInAsync(page);
        await Expect(page.Locator(".resume")).ToHaveCountAsync(3);
        await ScreenshotAsync(page, "resumes");

        await page.GetByRole(AriaRole.Switch).First.CheckAsync();
        await Expect(page.GetByText("Next raise")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Switch).First).ToBeCheckedAsync();
        await ScreenshotAsync(page, "resumes-switched-on");
        await page.GetByRole(AriaRole.Switch).First.UncheckAsync();
        await Expect(Notice(page)).ToContainTextAsync("switched off");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Switch).First).Not.ToBeCheckedAsync();

        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task The_token_is_refreshed_before_it_expires_while_the_page_is_open()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        await page.Clock.InstallAsync(new() { TimeDate = host.Time.GetUtcNow().UtcDateTime });
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);
        var first = await TokenAsync(page);

        // 14 of the token's 15 minutes pass on both clocks; the page renews it a minute before it expires.
        host.Time.Advance(TimeSpan.FromMinutes(14));
        await page.Clock.FastForwardAsync("14:01");
        await page.WaitForFunctionAsync($"old => sessionStorage.getItem('{TokenKey}') !== old", first);
        host.Time.Advance(TimeSpan.FromMinutes(2));
        await page.GetByRole(AriaRole.Switch).Last.CheckAsync();
        await Expect(Notice(page)).ToContainTextAsync("switched on");
        await page.ReloadAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your resumes" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Switch).Last).ToBeCheckedAsync();
        using var expired = await host.SendAsync(HttpMethod.Get, "/resume", first);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, expired.StatusCode);
        await page.GetByRole(AriaRole.Switch).Last.UncheckAsync();
        await Expect(Notice(page)).ToContainTextAsync("switched off");
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task An_api_outage_shows_the_unavailable_state_and_recovers()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);

        await page.RouteAsync(ResumeRoute(), route => route.Request.Method == "GET"
            ? route.FulfillAsync(new() { Status = 503, ContentType = "application/json", Body = """{"status":503,"error":"Service Unavailable","message":"The job site is unavailable"}""" })
            : route.ContinueAsync());
        await page.ReloadAsync();
        await Expect(page.GetByText("The job site is not available right now")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "resumes-unavailable");
        await page.UnrouteAllAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Try again" }).ClickAsync();

        await Expect(page.Locator(".resume")).ToHaveCountAsync(3);
        Assert.All(tab.ConsoleErrors, e => Assert.Contains("status of 503", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_returns_to_sign_in()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);

        await page.EvaluateAsync($"() => sessionStorage.setItem('{TokenKey}', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.forged')");
        await page.ReloadAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Your session has ended")).ToBeVisibleAsync();
        Assert.Null(await TokenAsync(page));
        Assert.All(tab.ConsoleErrors, e => Assert.Contains("status of 401", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_that_did_not_start_in_this_tab_is_refused_before_the_api_is_asked()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        var signIns = 0;
        page.Request += (_, request) => signIns += request.Method == "POST" && request.Url.Contains("/auth/", StringComparison.Ordinal) ? 1 : 0;

        await page.GotoAsync(new Uri(host.WebAddress, "/auth/sandbox?code=demo&state=forged").ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in failed" })).ToBeVisibleAsync();
        await Expect(page.GetByText("was not started from this tab")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "sign-in-failed");
        Assert.Equal(0, signIns);
        Assert.Equal(new Uri(host.WebAddress, "/").ToString(), page.Url);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to sign-in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task A_site_refusal_is_explained_with_a_way_back()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;

        await page.GotoAsync(new Uri(host.WebAddress, "/auth/headhunter?error=access_denied").ToString());

        await Expect(page.GetByText("You did not allow PushResume access at hh.ru.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to sign-in" })).ToBeVisibleAsync();
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task Sign_out_forgets_the_token()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        Assert.Null(await TokenAsync(page));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task Delete_my_data_asks_first_then_deletes_the_user()
    {
        await using var tab = await OpenAsync();
        var page = tab.Page;
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);
        string? question = null;
        page.Dialog += async (_, dialog) =>
        {
            question = dialog.Message;
            await dialog.AcceptAsync();
        };

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete my data" }).ClickAsync();

        await Expect(page.GetByText("Your data has been deleted.")).ToBeVisibleAsync();
        Assert.Contains("Delete your PushResume account?", question, StringComparison.Ordinal);
        var identity = await host.Table("Identities").GetEntityIfExistsAsync<IdentityEntity>(IdentityEntity.KeyFor("sandbox", "demo"), IdentityEntity.Row);
        Assert.False(identity.HasValue);
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task On_a_phone_the_list_fits_the_screen_and_a_switch_works_from_the_keyboard()
    {
        await using var tab = await OpenAsync(viewport: new ViewportSize { Width = 375, Height = 740 });
        var page = tab.Page;
        await page.GotoAsync(host.WebAddress.ToString());
        await SignInAsync(page);

        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        await ScreenshotAsync(page, "resumes-phone");
        await page.GetByRole(AriaRole.Switch, new() { Name = "Keep raised" }).Nth(1).FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(Notice(page)).ToContainTextAsync("switched on");
        await Expect(page.GetByRole(AriaRole.Switch).Nth(1)).ToBeCheckedAsync();
        // The list was drawn anew, and the keyboard is still on the same switch.
        await Expect(page.GetByRole(AriaRole.Switch).Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(Notice(page)).ToContainTextAsync("switched off");
        await Expect(page.GetByRole(AriaRole.Switch).Nth(1)).Not.ToBeCheckedAsync();

        Assert.False(overflow);
        Assert.Empty(tab.ConsoleErrors);
    }

    [Fact]
    public async Task Every_page_passes_an_accessibility_check_with_no_serious_finding()
    {
        // The check injects axe-core into the page, which the site's own CSP would rightly block.
        await using var tab = await OpenAsync(bypassCsp: true);
        var page = tab.Page;
        var findings = new List<string>();

        await page.GotoAsync(host.WebAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        findings.AddRange(await AxeAsync(page, "sign-in"));
        await SignInAsync(page);
        findings.AddRange(await AxeAsync(page, "resumes"));
        await page.GotoAsync(new Uri(host.WebAddress, "/auth/sandbox?code=demo&state=forged").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in failed" })).ToBeVisibleAsync();
        findings.AddRange(await AxeAsync(page, "sign-in failed"));

        Assert.Empty(findings);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Sandbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your resumes" })).ToBeVisibleAsync();
        await Expect(page.Locator(".resume").First).ToBeVisibleAsync();
    }

    /// <summary>The live region where the page announces what it did (after the list is drawn anew).</summary>
    private static ILocator Notice(IPage page) => page.Locator("#notice");

    private static async Task<string?> TokenAsync(IPage page) =>
        await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{TokenKey}')");

    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ArtifactsFolder, $"{name}.png"), FullPage = true });

    private static async Task<IEnumerable<string>> AxeAsync(IPage page, string name)
    {
        await page.AddScriptTagAsync(new() { Path = RepositoryPaths.Combine("tools", "node_modules", "axe-core", "axe.min.js") });
        var serious = await page.EvaluateAsync<string[]>(
            "async () => (await axe.run(document)).violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id}: ${v.help}`)");
        return serious.Select(finding => $"{name}: {finding}");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task<Tab> OpenAsync(bool bypassCsp = false, ViewportSize? viewport = null)
    {
        var context = await host.Browser.NewContextAsync(new()
        {
            BypassCSP = bypassCsp,
            Locale = "en-GB",
            TimezoneId = "Europe/Moscow",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var tab = new Tab(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                tab.ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => tab.ConsoleErrors.Add(error);
        return tab;
    }

    [GeneratedRegex("/resume$")]
    private static partial Regex ResumeRoute();

    private sealed record Tab(IBrowserContext Context, IPage Page) : IAsyncDisposable
    {
        public List<string> ConsoleErrors { get; } = [];

        public async ValueTask DisposeAsync() => await Context.CloseAsync();
    }
}
