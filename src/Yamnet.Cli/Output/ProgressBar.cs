using Yamnet.Cli;

namespace Yamnet.Cli.Output;

/// <summary>A one-line progress bar on stderr (only used when stderr is a terminal).</summary>
public sealed class ProgressBar(int total)
{
    private const int Width = 30;
    private int _lastDrawn = -1;
    private bool _visible;

    public void Draw(int done)
    {
        if (done == _lastDrawn && _visible) return;
        int filled = total == 0 ? Width : (int)((long)done * Width / total);
        StdErr.Write($"\r[{new string('#', filled)}{new string('-', Width - filled)}] {done}/{total} files");
        _lastDrawn = done;
        _visible = true;
    }

    public void Clear()
    {
        if (!_visible) return;
        StdErr.Write("\r" + new string(' ', Width + 24) + "\r");
        _visible = false;
    }
}
