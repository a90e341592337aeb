namespace PushResume.DevHost;

internal static class TimerSchedules
{
    /// <summary>
    /// Resolves a <c>%Setting%</c> schedule from configuration, as the Functions host does, so a missing setting
    /// fails here at start-up as it would there.
    /// </summary>
    public static string Resolve(string schedule, IConfiguration configuration)
    {
        if (schedule.Length < 2 || schedule[0] != '%' || schedule[^1] != '%')
        {
            return schedule;
        }

        var setting = schedule[1..^1];
        return configuration[setting.Replace("__", ":", StringComparison.Ordinal)] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The timer schedule setting {setting} is not set");
    }
}
