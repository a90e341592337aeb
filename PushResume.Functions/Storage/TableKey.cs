using System.Globalization;
using System.Text;

namespace PushResume.Storage;

/// <summary>
/// Makes external ids (provider user ids, resume ids) safe as PartitionKey or RowKey. Table Storage forbids
/// <c>/ \ # ?</c> and control characters in keys; those and <c>%</c> itself are percent-encoded, so two different
/// ids never share a key and ordinary ids stay readable.
/// </summary>
public static class TableKey
{
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (IsForbidden(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool IsForbidden(char c) =>
        c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
