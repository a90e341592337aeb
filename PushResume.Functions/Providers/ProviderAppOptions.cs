using Microsoft.Extensions.Options;

namespace PushResume.Providers;

/// <summary>
/// The OAuth app a job site issued to this deployment. A provider is switched on by giving both
/// <see cref="ClientId"/> and <see cref="ClientSecret"/>; with neither it stays off.
/// </summary>
public abstract class ProviderAppOptions
{
    public string ClientId { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    public Uri? AuthorizeUrl { get; set; }

    public Uri? ApiUrl { get; set; }

    /// <summary>
    /// The wait between two raises of one resume that the engine assumes when the site does not announce the next
    /// allowed time itself.
    /// </summary>
    public TimeSpan MinimumInterval { get; set; }

    public bool IsConfigured => ClientId.Length > 0 && ClientSecret.Length > 0;

    /// <summary>An API method under <see cref="ApiUrl"/>, whether or not the setting ends with a slash.</summary>
    public Uri ApiEndpoint(string path) => new(ApiUrl!.ToString().TrimEnd('/') + "/" + path);
}

/// <summary>Checks what every provider app needs; <see cref="AddChecks"/> adds a site's own rules.</summary>
public abstract class ProviderAppOptionsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : ProviderAppOptions
{
    /// <summary>The environment-variable spelling of the section, used in messages (<c>Providers__HeadHunter</c>).</summary>
    protected string Prefix { get; } = section.Replace(":", "__", StringComparison.Ordinal);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        if (options.ClientId.Length > 0 != options.ClientSecret.Length > 0)
        {
            failures.Add($"{Prefix}__ClientId and {Prefix}__ClientSecret must be set together (both empty switches the provider off)");
        }

        if (options.IsConfigured)
        {
            CheckUrl(failures, "AuthorizeUrl", options.AuthorizeUrl);
            CheckUrl(failures, "ApiUrl", options.ApiUrl);
            if (options.MinimumInterval <= TimeSpan.Zero)
            {
                failures.Add($"{Prefix}__MinimumInterval must be positive (e.g. 04:00:00)");
            }

            AddChecks(failures, options);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    protected virtual void AddChecks(List<string> failures, TOptions options)
    {
    }

    /// <summary>Tokens and secrets travel on these URLs, so only HTTPS, except to a fake site on this machine.</summary>
    protected void CheckUrl(List<string> failures, string setting, Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri
            || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            failures.Add($"{Prefix}__{setting} must be an absolute https:// URL");
        }
    }
}
