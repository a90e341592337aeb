namespace PushResume.DevHost;

public static class BindingExpressions
{
    /// <summary>
    /// Resolves a <c>%Setting%</c> trigger argument (a timer schedule, a queue name) from configuration, as the
    /// Functions host does, so a missing setting fails here at start-up as it would there.
    /// </summary>
    public static string Resolve(string value, IConfiguration configuration)
    {
        if (value.Length < 2 || value[0] != '%' || value[^1] != '%')
        {
            return value;
        }

        var setting = value[1..^1];
        return configuration[setting.Replace("__", ":", StringComparison.Ordinal)] is { Length: > 0 } resolved
            ? resolved
            : throw new InvalidOperationException($"The setting {setting} used by a trigger is not set");
    }
}
