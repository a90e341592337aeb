using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;
using PushResume.DevHost;

namespace PushResume.Tests.Infrastructure;

/// <summary>
/// The whole product on loopback for a real browser: the frontend served as Static Web Apps would serve it, the
/// dev host API with the sandbox over a private Azurite, and Debian's Chromium driven by Playwright (never a
/// downloaded browser, and no outside connections).
/// </summary>
public sealed class BrowserHost : ApiHost
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private WebApplication? frontend;
    private IPlaywright? playwright;

    public Uri WebAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of the pages the tests visit, kept as CI artifacts.</summary>
    public static string ArtifactsFolder { get; } = RepositoryPaths.Combine(".local", "artifacts", "e2e");

    public override async Task InitializeAsync()
    {
        frontend = FrontendServer.Create(RepositoryPaths.Combine("web"), "http://127.0.0.1:0", () => BaseAddress);
        await frontend.StartAsync();
        WebAddress = new Uri(frontend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await base.InitializeAsync();
        Directory.CreateDirectory(ArtifactsFolder);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
        if (frontend is not null)
        {
            await frontend.StopAsync();
            await frontend.DisposeAsync();
        }
    }

    /// <summary>The frontend's origin is the API's FrontendUrl and its one CORS origin, as in Azure.</summary>
    public override Dictionary<string, string> Settings()
    {
        var settings = base.Settings();
        settings["FrontendUrl"] = WebAddress.ToString().TrimEnd('/');
        return settings;
    }
}
