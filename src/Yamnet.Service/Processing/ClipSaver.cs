using System.Globalization;
using Yamnet.Audio;
using Yamnet.Service.Configuration;

namespace Yamnet.Service.Processing;

/// <summary>
/// Saves each ended event's audio with pre- and post-roll from a source's <see cref="SampleHistory"/>,
/// as 16-bit FLAC or WAV through libsndfile (<see cref="AudioFileWriter"/>). A clip is written once
/// its post-roll has been captured (or at the end of the run, with what there is). The name is
/// <c>&lt;source&gt;_&lt;label slug&gt;_&lt;UTC start yyyyMMddTHHmmss.fffZ&gt;.flac</c>; it is written under a
/// hidden temporary name and renamed, so a crash never leaves a half file under the final name.
/// With max_mb, the oldest clips in the directory are deleted first until the total fits.
/// </summary>
public sealed class ClipSaver(ClipsConfig config, string source, int sampleRate, SampleHistory history, Action<string> log)
{
    private readonly List<Pending> _pending = [];
    private readonly List<float> _scratch = [];
    private readonly Lock _lock = new(); // Schedule may come from the stall timer's thread

    /// <summary>The history a clip needs: longest event + pre + post, plus a second of slack for the queue between capture and inference.</summary>
    public static int HistoryCapacity(ClipsConfig config, int sampleRate)
        => (int)Math.Ceiling((config.MaxEventSeconds + config.PreSeconds + config.PostSeconds + 1) * sampleRate);

    public int Written { get; private set; }

    /// <summary>The final path of the clip of an event of <paramref name="label"/> that started at <paramref name="startUtc"/>.</summary>
    public string PathFor(string label, DateTimeOffset startUtc)
    {
        string stamp = startUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture);
        return Path.Combine(config.Dir, $"{source}_{LabelSlug.Of(label)}_{stamp}.{config.Format}");
    }

    /// <summary>Schedules the clip of an ended event (stream seconds of the run).</summary>
    public void Schedule(string finalPath, double startSeconds, double endSeconds)
    {
        long from = Math.Max(0, (long)Math.Round((startSeconds - config.PreSeconds) * sampleRate));
        long to = (long)Math.Round((endSeconds + config.PostSeconds) * sampleRate);
        long earliest = (long)Math.Round((endSeconds - config.MaxEventSeconds - config.PreSeconds) * sampleRate);
        lock (_lock) _pending.Add(new Pending(finalPath, Math.Max(from, earliest), to));
    }

    /// <summary>Writes every scheduled clip whose post-roll is in (all of them when <paramref name="final"/>).</summary>
    public void Poll(bool final = false)
    {
        long have = history.Written;
        List<Pending>? due = null;
        lock (_lock)
        {
            for (int i = 0; i < _pending.Count; i++)
            {
                if (!final && _pending[i].To > have) continue;
                (due ??= []).Add(_pending[i]);
                _pending.RemoveAt(i--);
            }
        }
        if (due is not null) foreach (var p in due) Write(p);
    }

    private void Write(Pending p)
    {
        _scratch.Clear();
        history.CopyRange(p.From, p.To, _scratch);
        if (_scratch.Count == 0) return;
        var pcm = new short[_scratch.Count];
        for (int i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Clamp(MathF.Round(_scratch[i] * 32768f), short.MinValue, short.MaxValue);
        string dir = Path.GetDirectoryName(p.Path)!;
        string temp = Path.Combine(dir, "." + Path.GetFileName(p.Path) + ".tmp");
        try
        {
            Directory.CreateDirectory(dir);
            AudioFileWriter.WriteFile(temp, pcm, sampleRate, 1, config.Format == "wav" ? AudioContainer.Wav : AudioContainer.Flac, AudioEncoding.Pcm16);
            File.Move(temp, p.Path, overwrite: false);
            Written++;
            log($"clip {p.Path} ({pcm.Length / (double)sampleRate:0.00} s)");
            Prune();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamnetException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            log($"clip {p.Path} not saved: {e.Message}");
        }
    }

    private void Prune()
    {
        if (config.MaxMegabytes is not { } mb) return;
        long limit = (long)(mb * 1024 * 1024);
        var files = new DirectoryInfo(config.Dir).EnumerateFiles("*." + config.Format)
            .Where(f => !f.Name.StartsWith('.')).OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        long total = files.Sum(f => f.Length);
        foreach (var f in files)
        {
            if (total <= limit) break;
            total -= f.Length;
            f.Delete();
            log($"clip {f.FullName} deleted (clips over {mb} MB)");
        }
    }

    private readonly record struct Pending(string Path, long From, long To);
}
