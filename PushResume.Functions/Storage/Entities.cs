using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace PushResume.Storage;

/// <summary>The keys and system properties every row has.</summary>
public abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }
}

/// <summary>A signed-in person. PartitionKey is the internal user id (the JWT subject); one row per user.</summary>
public sealed class UserEntity : TableRow
{
    public const string Row = "user";

    public UserEntity() => RowKey = Row;

    public string UserId => PartitionKey;

    public string Provider { get; set; } = string.Empty;

    public string ProviderUserId { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The provider's access token as stored: encrypted by <see cref="Security.TokenProtector"/>.</summary>
    public string ProtectedAccessToken { get; set; } = string.Empty;

    public string ProtectedRefreshToken { get; set; } = string.Empty;

    /// <summary>The decrypted access token; empty when the stored one could not be decrypted. Never stored.</summary>
    [IgnoreDataMember]
    public string AccessToken { get; set; } = string.Empty;

    [IgnoreDataMember]
    public string RefreshToken { get; set; } = string.Empty;

    public DateTimeOffset AccessTokenExpiresAt { get; set; }

    public DateTimeOffset SignedInAt { get; set; }

    /// <summary>
    /// Set when the site refused the grant for good (revoked, password changed, refresh token dead): publishing
    /// pauses and the API answers 401 until the user signs in again, which clears it.
    /// </summary>
    public bool ReloginRequired { get; set; }

    /// <summary>When <see cref="ReloginRequired"/> was set; the cleanup forgets users who never come back.</summary>
    public DateTimeOffset? ReloginRequiredSince { get; set; }

    /// <summary>
    /// While set and in the future, one instance is refreshing the provider tokens and the others wait for its
    /// result: hh.ru refresh tokens work once, so two refreshes at once would lock the user out.
    /// </summary>
    public DateTimeOffset? RefreshLeaseUntil { get; set; }
}

/// <summary>
/// Finds a user from a provider account by a point read: PartitionKey is <c>{provider}:{escaped provider user id}</c>,
/// so sign-ins spread over many partitions.
/// </summary>
public sealed class IdentityEntity : TableRow
{
    public const string Row = "identity";

    public IdentityEntity() => RowKey = Row;

    public string UserId { get; set; } = string.Empty;

    public static string KeyFor(string provider, string providerUserId) => $"{provider}:{TableKey.Escape(providerUserId)}";
}

/// <summary>One resume of one user: PartitionKey is the user id, so a user's resumes are one partition query.</summary>
public sealed class ResumeEntity : TableRow
{
    public string Provider { get; set; } = string.Empty;

    /// <summary>The provider's resume id as the site spells it (the RowKey is its escaped form).</summary>
    public string ResumeId { get; set; } = string.Empty;

    public bool Enabled { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Link { get; set; } = string.Empty;

    public DateTimeOffset? Published { get; set; }

    public DateTimeOffset? NextPublishAt { get; set; }

    /// <summary>Whether the site said it would accept a raise now; null when it does not say (unpublished, SuperJob).</summary>
    public bool? CanPublish { get; set; }

    /// <summary>
    /// When the engine raises it next: set while it is switched on and scheduled, with a matching row in the
    /// schedule index (<see cref="ScheduleEntity"/>); null when off, stopped or paused until the user signs in again.
    /// </summary>
    public DateTimeOffset? NextPushAt { get; set; }

    /// <summary>While in the future, one delivery of the publish message is calling the site and any other waits.</summary>
    public DateTimeOffset? PushingUntil { get; set; }

    public DateTimeOffset? LastPushAt { get; set; }

    /// <summary>A <see cref="Publishing.PushStatus"/> name, or null before the first attempt.</summary>
    public string? LastResult { get; set; }

    /// <summary>What the site said, or why the attempt failed; never a token.</summary>
    public string? LastMessage { get; set; }

    /// <summary>How many raises the engine has made.</summary>
    public int Pushes { get; set; }
}

/// <summary>
/// The schedule index: one row per scheduled raise, PartitionKey the UTC minute it is due (<c>yyyyMMddHHmm</c>) and
/// RowKey <c>{user id}|{resume row key}</c>. Keys sort by time, so a range query up to the current minute reads the
/// due raises and nothing else, however many resumes are switched on.
/// </summary>
public sealed class ScheduleEntity : TableRow
{
    public string UserId { get; set; } = string.Empty;

    /// <summary>The RowKey of the resume row (its escaped id).</summary>
    public string ResumeKey { get; set; } = string.Empty;

    public DateTimeOffset DueAt { get; set; }

    /// <summary>When a scheduler tick put it on the queue; until then, or long after, it is still to be enqueued.</summary>
    public DateTimeOffset? EnqueuedAt { get; set; }

    public static string PartitionFor(DateTimeOffset dueAt) =>
        dueAt.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);

    public static string RowFor(string userId, string resumeKey) => $"{userId}|{resumeKey}";
}

/// <summary>One finished push attempt, for the stats: PartitionKey is its five-minute bucket (<see cref="Stats.PushBuckets"/>).</summary>
public sealed class PushLogEntity : TableRow
{
    public string Provider { get; set; } = string.Empty;

    public string Outcome { get; set; } = string.Empty;
}

/// <summary>Marks a sign-in <c>state</c> as spent. PartitionKey is the state's unique id.</summary>
public sealed class SpentStateEntity : TableRow
{
    public const string Row = "spent";

    public SpentStateEntity() => RowKey = Row;

    public string Provider { get; set; } = string.Empty;

    /// <summary>After this the state would be refused as expired anyway, so the row can go.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
