using Yamnet.Analysis;

namespace Yamnet.Cli.Output;

/// <summary>
/// Writes the windows of a single input through a formatter as the library delivers them (its
/// <see cref="BatchClassificationOptions.OnWindow"/>), so a long recording's output is out by its
/// last window instead of being formatted after it, and audio arriving on stdin shows as it is
/// classified. What was written reaches the output at most <see cref="FlushInterval"/> later: a timer
/// flushes, not every window (a system call per window would cost a long file more than its output).
/// </summary>
public sealed class StreamedFileOutput : IDisposable
{
    /// <summary>How long a written window may wait in the buffer.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly IResultFormatter _formatter;
    private readonly Lock _gate = new();
    private Timer? _timer;
    private FileClassification? _file;
    private bool _unflushed;
    private bool _ended;

    public StreamedFileOutput(IResultFormatter formatter) => _formatter = formatter;

    /// <summary>True for the result of the input whose windows went out here (it then only needs <see cref="End"/>).</summary>
    public bool Streamed(FileClassification result) => ReferenceEquals(result, _file);

    /// <summary>The library's per-window callback: begins the file at its first window, then writes each one.</summary>
    public void Write(FileClassification file, WindowClassification window)
    {
        var copy = new WindowResult(window.Window, window.Classes.ToArray());
        lock (_gate)
        {
            if (_ended) return;
            if (_file is null)
            {
                _file = file;
                _formatter.BeginFile(new FileResult { Path = file.Name, Format = file.Format });
                // Started with the first window, not before: an input that fails to open never needs it.
                _timer = new Timer(_ => FlushPending(), null, FlushInterval, FlushInterval);
            }
            _formatter.WriteWindow(copy);
            _unflushed = true;
        }
    }

    /// <summary>Ends the streamed file with its whole result (an error, for JSON, follows its windows).</summary>
    public void End(FileResult result)
    {
        lock (_gate)
        {
            _ended = true;
            _unflushed = false;
            _formatter.EndFile(result);
        }
    }

    private void FlushPending()
    {
        lock (_gate)
        {
            if (!_unflushed || _ended) return;
            _unflushed = false;
            _formatter.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _ended = true;
            _timer?.Dispose();
        }
    }
}
