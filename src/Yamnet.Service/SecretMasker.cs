using System.Text.RegularExpressions;

namespace Yamnet.Service;

/// <summary>
/// Hides credentials before anything reaches a log line: the password of a URL's user info
/// (<c>rtsp://cam:secret@host</c> → <c>rtsp://cam:***@host</c>) and the values of query parameters
/// that commonly carry secrets (<c>password=</c>, <c>token=</c>, ...). ffmpeg quotes its input URL in
/// its messages, so its stderr goes through <see cref="MaskText"/> with the secrets of that URL.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "***";

    [GeneratedRegex(@"(?<=\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^@\s/]*(?=@)", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfoPassword();

    [GeneratedRegex(@"(?<=[?&;](?:password|passwd|pass|pwd|token|key|secret|auth|apikey|api_key|access_token|signature|sig)=)[^&\s""']*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQueryValue();

    /// <summary>The URL (or any text holding URLs) with passwords and secret query values masked.</summary>
    public static string MaskUrl(string text) => SecretQueryValue().Replace(UserInfoPassword().Replace(text, Mask), Mask);

    /// <summary>The secrets in <paramref name="url"/> (password, secret query values), raw and percent-decoded, to scrub from other text.</summary>
    public static IReadOnlyList<string> SecretsOf(string url)
    {
        var secrets = new List<string>();
        foreach (Match m in UserInfoPassword().Matches(url)) Add(m.Value);
        foreach (Match m in SecretQueryValue().Matches(url)) Add(m.Value);
        return secrets;

        void Add(string s)
        {
            if (s.Length == 0) return;
            secrets.Add(s);
            string decoded = Uri.UnescapeDataString(s);
            if (decoded != s) secrets.Add(decoded);
        }
    }

    /// <summary>Masks URLs in <paramref name="text"/>, then every known secret wherever it appears.</summary>
    public static string MaskText(string text, IReadOnlyList<string> secrets)
    {
        text = MaskUrl(text);
        foreach (string s in secrets) text = text.Replace(s, Mask, StringComparison.Ordinal);
        return text;
    }
}
