namespace PushResume.Providers.SuperJob;

/// <summary>Settings under <c>Providers:SuperJob</c>: the SuperJob app of this deployment.</summary>
public sealed class SuperJobOptions : ProviderAppOptions
{
    public const string Section = "Providers:SuperJob";

    public SuperJobOptions()
    {
        AuthorizeUrl = new Uri("https://www.superjob.ru/authorize/");
        ApiUrl = new Uri("https://api.superjob.ru/2.0");

        // SuperJob does not say when the next raise is allowed; this is the wait assumed after each one.
        MinimumInterval = TimeSpan.FromHours(1);
    }
}

public sealed class SuperJobOptionsValidator() : ProviderAppOptionsValidator<SuperJobOptions>(SuperJobOptions.Section);
