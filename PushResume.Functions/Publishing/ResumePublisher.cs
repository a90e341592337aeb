using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushResume.Http;
using PushResume.Providers;
using PushResume.Storage;

namespace PushResume.Publishing;

/// <summary>
/// Raises one resume for one publish message. Idempotent: a message whose raise already happened, or whose resume
/// was switched off, rescheduled or deleted since, does nothing. Acts on the provider layer's classified result.
/// </summary>
public sealed partial class ResumePublisher(
    ResumeStore resumes,
    ScheduleStore schedule,
    UserStore users,
    ProviderSessions sessions,
    ProviderThrottle throttle,
    PushPlanner planner,
    PushLogStore log,
    TimeProvider time,
    IOptions<PublishingOptions> options,
    ILogger<ResumePublisher> logger)
{
    /// <summary>Longer site messages are cut: they are shown to the user, not parsed.</summary>
    private const int MaxMessageLength = 500;

    /// <summary>
    /// A message shown a little before its due time (the queue service's clock and ours differ slightly) waits
    /// this long at most; one much earlier goes back to the schedule for the tick that finds it due.
    /// </summary>
    private static readonly TimeSpan MaxEarlyWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns the <see cref="PushStatus"/> of the attempt, or null when the message had nothing to do. A
    /// transient failure is recorded on the resume and thrown, so the queue tries again after host.json's
    /// <c>visibilityTimeout</c>, and after <c>maxDequeueCount</c> tries moves it to the poison queue.
    /// </summary>
    public async Task<string?> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var resume = await ClaimAsync(request, cancellationToken);
        if (resume is null)
        {
            return null;
        }

        PushRecord record;
        try
        {
            record = await RaiseAsync(resume, cancellationToken);
        }
        catch (ProviderException e) when (e.Failure is ProviderFailure.ResumeUnusable or ProviderFailure.ResumeGone)
        {
            record = new PushRecord(e.Failure == ProviderFailure.ResumeGone ? PushStatus.Gone : PushStatus.Unusable, e.Message, SwitchOff: true);
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.ReloginRequired)
        {
            // ProviderSessions has marked the user; their other resumes pause as their messages come.
            record = new PushRecord(PushStatus.ReloginRequired, e.Message);
        }
        catch (Exception e) when (e is ProviderException or ApiException)
        {
            // ApiException: the site was switched off on this deployment, or the user was deleted meanwhile.
            LogTransient(logger, e, request.ResumeKey, request.UserId);
            await FinishAsync(request, resume, new PushRecord(PushStatus.Failed, e.Message, KeepSlot: true), cancellationToken);
            throw;
        }

        await FinishAsync(request, resume, record, cancellationToken);
        return record.Status;
    }

    /// <summary>
    /// Every try of a raise failed and the host moved its message to the poison queue: the failure (the last
    /// try's message) stays on the resume and the raise is tried again after <see cref="PublishingOptions.FailedRetryDelay"/>.
    /// </summary>
    public async Task RecordFailureAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var resume = await resumes.FindAsync(request.UserId, request.ResumeKey, cancellationToken);
        if (!await IsCurrentAsync(resume, request, cancellationToken))
        {
            return;
        }

        var next = planner.AfterFailure();
        var message = resume!.LastResult == PushStatus.Failed ? resume.LastMessage : "Every try of this raise failed";
        await FinishAsync(request, resume, new PushRecord(PushStatus.Failed, message, NextPushAt: next), cancellationToken);
        LogGaveUp(logger, request.ResumeKey, request.UserId, next);
    }

    private async Task<PushRecord> RaiseAsync(ResumeEntity resume, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(resume.PartitionKey, cancellationToken);
        if (user is null)
        {
            return new PushRecord(PushStatus.Gone, "The user has been deleted", SwitchOff: true);
        }

        var result = await sessions.CallAsync(
            user,
            (provider, accessToken) => throttle.RunAsync(provider.Name, () => provider.PublishAsync(accessToken, resume.ResumeId, cancellationToken), cancellationToken),
            cancellationToken);
        if (result.Outcome == PublishOutcome.Published)
        {
            LogPublished(logger, resume.ResumeId, resume.Provider, resume.PartitionKey);
            return new PushRecord(PushStatus.Published, null, Raised: true, NextPushAt: planner.After(resume.Provider, result.NextAllowedAt));
        }

        // hh.ru's refusal does not say when; its resume list does. The engine only gets here when the site was
        // raised behind its back (by hand on the site), so the extra call is rare.
        var siteNamed = result.NextAllowedAt ?? await AskNextAllowedAsync(user, resume, cancellationToken);
        LogTooEarly(logger, resume.ResumeId, resume.Provider, siteNamed);
        return new PushRecord(PushStatus.TooEarly, "The site refused: raised too recently", NextPushAt: planner.After(resume.Provider, siteNamed));
    }

    private async Task<DateTimeOffset?> AskNextAllowedAsync(UserEntity user, ResumeEntity resume, CancellationToken cancellationToken)
    {
        try
        {
            var listed = await sessions.CallAsync(user, (provider, accessToken) => provider.ListResumesAsync(accessToken, cancellationToken), cancellationToken);
            return listed.FirstOrDefault(r => r.Id == resume.ResumeId)?.NextPublishAt is { } at && at > time.GetUtcNow() ? at : null;
        }
        catch (ProviderException)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes the resume for this delivery: only when the message's raise is the one scheduled, is due, and no
    /// other delivery holds it. Null means there is nothing to do.
    /// </summary>
    private Task<ResumeEntity?> ClaimAsync(PublishRequest request, CancellationToken cancellationToken) =>
        OptimisticConcurrency.RunAsync(
            async () =>
            {
                var resume = await resumes.FindAsync(request.UserId, request.ResumeKey, cancellationToken);
                var now = time.GetUtcNow();
                if (!await IsCurrentAsync(resume, request, cancellationToken))
                {
                    return null;
                }

                if (resume!.NextPushAt - now is { } early && early > TimeSpan.Zero)
                {
                    if (early > MaxEarlyWait)
                    {
                        await schedule.PutAsync(resume, cancellationToken);
                        return null;
                    }

                    await Task.Delay(early, time, cancellationToken);
                    now = time.GetUtcNow();
                }

                if (resume.PushingUntil > now)
                {
                    LogBusy(logger, request.ResumeKey, request.UserId);
                    return null;
                }

                resume.PushingUntil = now + options.Value.PushLease;
                await resumes.CommitAsync(resume, resume.NextPushAt, cancellationToken);
                return resume;
            },
            cancellationToken);

    /// <summary>
    /// Whether the message is for the raise the resume is scheduled for. A message that is not (a repeat, or for
    /// a resume switched off, rescheduled or deleted since) only drops its index row, unless that row is the
    /// current one.
    /// </summary>
    private async Task<bool> IsCurrentAsync(ResumeEntity? resume, PublishRequest request, CancellationToken cancellationToken)
    {
        if (resume is { Enabled: true } && resume.NextPushAt == request.DueAt)
        {
            return true;
        }

        await schedule.RemoveAsync(request.UserId, request.ResumeKey, request.DueAt, resume?.NextPushAt, cancellationToken);

        LogStale(logger, request.ResumeKey, request.UserId, request.DueAt);
        return false;
    }

    /// <summary>
    /// Stores the outcome over the claimed row; when someone changed the row during the call (a toggle, a listing),
    /// applies it to the fresh row instead, rescheduling only if the raise is still the scheduled one.
    /// </summary>
    private async Task FinishAsync(PublishRequest request, ResumeEntity claimed, PushRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ResumeEntity? next = claimed;
        await OptimisticConcurrency.RunAsync(
            async () =>
            {
                var current = next ?? await resumes.FindAsync(request.UserId, request.ResumeKey, cancellationToken);
                next = null;
                if (current is null)
                {
                    return false;
                }

                var previousDue = current.NextPushAt;
                record.ApplyTo(current, request, now);
                await resumes.CommitAsync(current, previousDue, cancellationToken);
                return true;
            },
            cancellationToken);
        if (!record.KeepSlot)
        {
            await log.RecordAsync(claimed.Provider, record.Status, now, cancellationToken);
        }
    }

    /// <param name="Raised">The site raised the resume.</param>
    /// <param name="NextPushAt">The next raise; null with neither flag below stops or pauses the resume.</param>
    /// <param name="KeepSlot">Keep the raise scheduled as it is: the queue tries this message again.</param>
    /// <param name="SwitchOff">The site will never raise it: switch it off.</param>
    private sealed record PushRecord(string Status, string? Message, bool Raised = false, DateTimeOffset? NextPushAt = null, bool KeepSlot = false, bool SwitchOff = false)
    {
        public void ApplyTo(ResumeEntity resume, PublishRequest request, DateTimeOffset now)
        {
            resume.PushingUntil = null;
            resume.LastResult = Status;
            resume.LastMessage = Message is { Length: > MaxMessageLength } ? Message[..MaxMessageLength] : Message;
            if (Raised)
            {
                resume.LastPushAt = now;
                resume.Pushes++;
            }

            if (KeepSlot || !resume.Enabled || resume.NextPushAt != request.DueAt)
            {
                return;
            }

            resume.NextPushAt = NextPushAt;
            resume.Enabled = !SwitchOff;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published resume {ResumeId} on {Provider} for user {UserId}")]
    private static partial void LogPublished(ILogger logger, string resumeId, string provider, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} refused resume {ResumeId} as raised too recently; next allowed {NextAllowedAt}")]
    private static partial void LogTooEarly(ILogger logger, string resumeId, string provider, DateTimeOffset? nextAllowedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Raising resume {ResumeKey} of user {UserId} failed; the queue will try again")]
    private static partial void LogTransient(ILogger logger, Exception exception, string resumeKey, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Every try to raise resume {ResumeKey} of user {UserId} failed; trying again at {NextPushAt}")]
    private static partial void LogGaveUp(ILogger logger, string resumeKey, string userId, DateTimeOffset nextPushAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped the raise of resume {ResumeKey} of user {UserId} due {DueAt}: no longer scheduled")]
    private static partial void LogStale(ILogger logger, string resumeKey, string userId, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resume {ResumeKey} of user {UserId} is being raised by another delivery; skipping this one")]
    private static partial void LogBusy(ILogger logger, string resumeKey, string userId);
}
