using Microsoft.Extensions.Options;

namespace PushResume.Auth;

/// <summary>The setting <c>FrontendUrl</c>: where the web app lives, and so where job sites send the browser back.</summary>
public sealed class FrontendOptions
{
    public const string Setting = "FrontendUrl";

    public string FrontendUrl { get; set; } = string.Empty;

    /// <summary>The OAuth redirect URI for one provider: <c>{FrontendUrl}/auth/{provider}</c>.</summary>
    public Uri RedirectUriFor(string provider) => new($"{FrontendUrl.TrimEnd('/')}/auth/{provider}");
}

public sealed class FrontendOptionsValidator : IValidateOptions<FrontendOptions>
{
    public ValidateOptionsResult Validate(string? name, FrontendOptions options) =>
        Uri.TryCreate(options.FrontendUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("FrontendUrl must be the absolute http(s) URL of the web frontend, e.g. http://127.0.0.1:4280");
}
