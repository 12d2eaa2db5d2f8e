namespace Yamnet.Service.Hosting;

/// <summary>
/// The listener's log: one line per message on stderr (journald keeps one entry per line), prefixed
/// <c>yamnet: </c>. Every line goes through <see cref="SecretMasker"/> with every secret the config
/// holds (URL passwords, the MQTT password), so no code path can print one by mistake.
/// </summary>
public sealed class ServiceLog(TextWriter writer)
{
    private readonly Lock _lock = new();
    private readonly List<string> _secrets = [];

    /// <summary>Adds secrets to mask from now on (empty strings are ignored).</summary>
    public void AddSecrets(IEnumerable<string?> secrets)
    {
        lock (_lock)
        {
            foreach (string? s in secrets)
                if (!string.IsNullOrEmpty(s) && !_secrets.Contains(s)) _secrets.Add(s);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length)); // longest first: a secret containing another is masked whole
        }
    }

    public void Write(string message)
    {
        lock (_lock)
        {
            string line = SecretMasker.MaskText(string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)), _secrets);
            try
            {
                writer.WriteLine("yamnet: " + line);
                writer.Flush();
            }
            catch (IOException)
            {
                // stderr gone: nothing left to tell
            }
        }
    }
}
