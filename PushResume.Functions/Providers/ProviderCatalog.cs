namespace PushResume.Providers;

/// <summary>The providers this deployment has switched on, looked up by their route name.</summary>
public sealed class ProviderCatalog(IEnumerable<IResumeProvider> providers)
{
    private readonly Dictionary<string, IResumeProvider> byName =
        providers.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => byName.Keys;

    public IReadOnlyCollection<IResumeProvider> All => byName.Values;

    /// <summary>The provider a route names; a name this deployment does not serve is a 404.</summary>
    public IResumeProvider Get(string name) => Find(name) ?? throw Http.ApiException.NotFound("Provider not found");

    public IResumeProvider? Find(string name) => byName.GetValueOrDefault(name);
}
