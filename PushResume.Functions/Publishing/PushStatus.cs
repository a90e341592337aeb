namespace PushResume.Publishing;

/// <summary>The last result of a resume, as stored and as <c>GET /resume</c> shows it (<c>last_result.status</c>).</summary>
public static class PushStatus
{
    /// <summary>The site raised the resume.</summary>
    public const string Published = "published";

    /// <summary>The site refused because the resume was raised too recently; the engine waits for the time it names.</summary>
    public const string TooEarly = "too_early";

    /// <summary>The site or the network failed; the engine tries again.</summary>
    public const string Failed = "failed";

    /// <summary>The site will not raise this resume (unfinished, blocked, on moderation): switched off.</summary>
    public const string Unusable = "unusable";

    /// <summary>The site no longer has this resume for the user: switched off.</summary>
    public const string Gone = "gone";

    /// <summary>The site refused the grant for good: paused until the user signs in again.</summary>
    public const string ReloginRequired = "relogin_required";
}
