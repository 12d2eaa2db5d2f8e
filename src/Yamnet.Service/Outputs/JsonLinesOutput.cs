namespace Yamnet.Service.Outputs;

/// <summary>Events as JSON lines on a stream (standard output), flushed per line so a pipe sees each at once.</summary>
public sealed class JsonLinesOutput(Stream output) : IEventOutput
{
    private readonly Lock _lock = new();
    private long _written;
    private bool _broken;

    public string Name => "stdout";

    public Task<string> Fatal { get; } = new TaskCompletionSource<string>().Task;

    public string Summary => $"stdout: {Interlocked.Read(ref _written)} events written" + (_broken ? " (stdout closed)" : "");

    public void Start(IReadOnlyDictionary<string, IReadOnlyList<string>> watched)
    {
    }

    public void Publish(ServiceEvent e)
    {
        byte[] json = EventJson.Serialize(e);
        lock (_lock)
        {
            if (_broken) return;
            try
            {
                output.Write(json);
                output.WriteByte((byte)'\n');
                output.Flush();
                _written++;
            }
            catch (IOException)
            {
                _broken = true; // a closed pipe ends this output, not the listener
            }
        }
    }

    public void PublishLevel(string source, double rms, double dbfs)
    {
    }

    public Task StopAsync(TimeSpan deadline) => Task.CompletedTask;
}
