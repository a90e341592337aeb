namespace PushResume.Providers;

/// <summary>
/// The two named HTTP clients of each provider: API calls, retried when safe, and token calls, never retried,
/// because a retried refresh burns hh.ru's single-use refresh token and a retried code exchange burns the code.
/// </summary>
public static class ProviderClients
{
    public static string Api(string provider) => provider;

    public static string Token(string provider) => provider + ".token";
}
