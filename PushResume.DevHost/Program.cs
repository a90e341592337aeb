using PushResume.DevHost;

// --web-urls also serves the frontend (web/) there, pointing at this API or at --api-url; --web-only serves the
// frontend alone, for when the API runs under Azure Functions Core Tools.
var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
var webUrls = configuration["web-urls"];
var apiUrl = new Uri(configuration["api-url"] ?? configuration["urls"]?.Split(';')[0] ?? "http://127.0.0.1:7071");
var frontend = string.IsNullOrEmpty(webUrls) ? null : FrontendServer.Create(Path.Combine(RepositoryRoot.Find(), "web"), webUrls, () => apiUrl);

if (configuration.GetValue<bool>("web-only"))
{
    await (frontend ?? throw new InvalidOperationException("--web-only needs --web-urls")).RunAsync();
    return;
}

var api = DevHostApplication.Create(args);
if (frontend is not null)
{
    await frontend.StartAsync();
}

await api.RunAsync();
if (frontend is not null)
{
    await frontend.StopAsync();
}
