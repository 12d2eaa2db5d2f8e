namespace Yamnet.Cli;

/// <summary>
/// stdout as the formatters see it: a write that fails (EPIPE when the reader of a pipe has gone,
/// ENOSPC on <c>&gt;/dev/full</c>) is reported once to the <see cref="Interruption"/>, which stops the run,
/// and every later write is dropped, so no IOException escapes a formatter or a writer's final flush.
/// </summary>
public sealed class GuardedOutput(Stream inner, Action<IOException> onFailed) : Stream
{
    private bool _failed;

    /// <summary>
    /// File descriptor 1 itself: Console.OpenStandardOutput() drops EPIPE silently (so <c>| head -1</c>
    /// went on classifying the whole batch), a FileStream on the descriptor reports it.
    /// </summary>
    public static GuardedOutput OpenStdout(Action<IOException> onFailed)
        => new(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0), onFailed);

    /// <summary>True once a write failed (everything since was dropped).</summary>
    public bool Failed => _failed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_failed) return;
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e)
        {
            Fail(e);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
        if (_failed) return;
        try
        {
            inner.Flush();
        }
        catch (IOException e)
        {
            Fail(e);
        }
    }

    private void Fail(IOException e)
    {
        _failed = true;
        onFailed(e);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                inner.Dispose();
            }
            catch (IOException)
            {
                // Already reported (or nothing left to say): the run's exit code carries it.
            }
        }
        base.Dispose(disposing);
    }
}
