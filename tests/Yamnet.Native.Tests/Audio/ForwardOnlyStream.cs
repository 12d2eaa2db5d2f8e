namespace Yamnet.Native.Tests.Audio;

/// <summary>
/// What every test stand-in for a pipe or a socket shares: readable, not seekable, not writable, no
/// length. A subclass only says how its bytes arrive (<see cref="Stream.Read(byte[], int, int)"/>, and
/// the span or async reads when it needs them).
/// </summary>
internal abstract class ForwardOnlyStream : Stream
{
    public sealed override bool CanRead => true;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => false;
    public sealed override long Length => throw new NotSupportedException();
    public sealed override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public sealed override void Flush() { }
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
