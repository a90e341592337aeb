using Azure;

namespace PushResume.Storage;

public static class StorageFailures
{
    /// <summary>
    /// True when storage could not be reached or answered with a server error: the caller should be told to come
    /// back later (503) rather than that the app broke (500).
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or >= 500 } => true,
        HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}

/// <summary>An optimistic write kept losing to concurrent writers; the caller may try again.</summary>
public sealed class StorageContentionException(string message) : Exception(message);
