using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PushResume.Providers.Sandbox;

/// <summary>Settings under <c>Providers:Sandbox</c>. The sandbox is for local runs and demos, never a deployment.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Providers:Sandbox";

    public bool Enabled { get; set; }

    /// <summary>How long the sandbox refuses a second raise of the same resume, as hh.ru does (about 4 hours).</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromHours(4);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The sandbox signs anyone in as any login it is given, so it must never run on Azure, where App Service sets
/// <c>WEBSITE_SITE_NAME</c>.
/// </summary>
public sealed class SandboxOptionsValidator(IConfiguration configuration) : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]))
        {
            failures.Add("Providers__Sandbox__Enabled must not be true in an Azure deployment: the sandbox lets anyone sign in as anyone");
        }

        if (options.MinimumInterval <= TimeSpan.Zero)
        {
            failures.Add("Providers__Sandbox__MinimumInterval must be positive (e.g. 04:00:00)");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add("Providers__Sandbox__AccessTokenLifetime must be positive (e.g. 01:00:00)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
