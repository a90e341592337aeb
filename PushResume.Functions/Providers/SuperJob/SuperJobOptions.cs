namespace PushResume.Providers.SuperJob;

/// <summary>Settings under <c>Providers:SuperJob</c>: the SuperJob app of this deployment.</summary>
public sealed class SuperJobOptions : ProviderAppOptions
{
    public const string Section = "Providers:SuperJob";

    public SuperJobOptions()
    {
        AuthorizeUrl = new Uri("https://www.superjob.ru/authorize/");
        ApiUrl = new Uri("https://api.superjob.ru/2.0");
    }

    /// <summary>SuperJob does not say when the next raise is allowed; this is the wait assumed after each one.</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class SuperJobOptionsValidator() : ProviderAppOptionsValidator<SuperJobOptions>(SuperJobOptions.Section)
{
    protected override void AddChecks(List<string> failures, SuperJobOptions options)
    {
        if (options.MinimumInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}__MinimumInterval must be positive (e.g. 01:00:00)");
        }
    }
}
