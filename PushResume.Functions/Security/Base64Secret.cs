namespace PushResume.Security;

/// <summary>Checks a base64 secret from configuration without throwing, so validators can say what is wrong.</summary>
public static class Base64Secret
{
    /// <summary>The number of bytes the value decodes to, or null when it is not base64.</summary>
    public static int? DecodedLength(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? written : null;
    }
}
