using System.Text.RegularExpressions;

namespace PushResume.Providers.HeadHunter;

/// <summary>Settings under <c>Providers:HeadHunter</c>: the hh.ru app of this deployment.</summary>
public sealed class HeadHunterOptions : ProviderAppOptions
{
    public const string Section = "Providers:HeadHunter";

    public HeadHunterOptions()
    {
        AuthorizeUrl = new Uri("https://hh.ru/oauth/authorize");
        ApiUrl = new Uri("https://api.hh.ru");

        // hh.ru announces next_publish_at per resume; this is only the fallback after a raise, about 4 hours.
        MinimumInterval = TimeSpan.FromHours(4);
    }

    /// <summary>Sent as <c>HH-User-Agent</c> on every call: hh.ru refuses calls without it and asks for <c>App/1.0 (contact@mail)</c>.</summary>
    public string UserAgent { get; set; } = string.Empty;

    public Uri? TokenUrl { get; set; } = new("https://api.hh.ru/token");
}

public sealed partial class HeadHunterOptionsValidator() : ProviderAppOptionsValidator<HeadHunterOptions>(HeadHunterOptions.Section)
{
    protected override void AddChecks(List<string> failures, HeadHunterOptions options)
    {
        CheckUrl(failures, "TokenUrl", options.TokenUrl);
        if (!UserAgentPattern().IsMatch(options.UserAgent))
        {
            failures.Add($"{Prefix}__UserAgent must name the app, its version and a contact, e.g. 'PushResume/1.0 (ops@example.com)': hh.ru refuses calls without it");
        }
    }

    [GeneratedRegex(@"^\S+/\S+ \(.+\)$")]
    private static partial Regex UserAgentPattern();
}
