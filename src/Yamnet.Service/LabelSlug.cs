using System.Text;

namespace Yamnet.Service;

/// <summary>A label as one MQTT topic level or file-name part: lower case, each run of anything but ASCII letters and digits as one '_' ("Whimper (dog)" → "whimper_dog").</summary>
public static class LabelSlug
{
    public static string Of(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (char c in label.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().TrimEnd('_') is { Length: > 0 } s ? s : "label";
    }
}
