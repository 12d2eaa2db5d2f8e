namespace Yamnet.Audio;

/// <summary>
/// Makes a non-seekable stream (a pipe, a network or decompression stream) seekable by copying it.
/// libsndfile's virtual I/O needs the total length and random access while parsing headers: WAV walks
/// its chunks, FLAC and Ogg seek to the end to count frames, MP3 looks for trailing tags. So the whole
/// stream is read before decoding starts. The first <see cref="MemoryLimit"/> bytes stay in memory
/// (typical clips never touch the disk); past that the copy moves to a delete-on-close temp file, so
/// hours of piped audio cost disk, not RAM. Past <see cref="MaxBytes"/> the stream is rejected rather
/// than filling the disk. A live, never-ending pipe therefore cannot be classified through this path.
/// </summary>
internal static class StreamSpool
{
    /// <summary>Bytes kept in memory before spilling to a temp file (16 MiB, ~8.7 min of 16 kHz int16 mono).</summary>
    internal const int MemoryLimit = 16 << 20;

    /// <summary>Hard cap on a spooled stream (4 GiB, the largest plain WAV).</summary>
    internal const long MaxBytes = 4L << 30;

    internal static Stream ToSeekable(Stream source, string name, CancellationToken cancellationToken = default)
        => ToSeekableAsync(source, name, sync: true, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// The copy, chunk by chunk, with the token checked between chunks (and passed to the stream's
    /// asynchronous reads). With <paramref name="sync"/> every read is synchronous and the returned
    /// task has already completed.
    /// </summary>
    internal static async ValueTask<Stream> ToSeekableAsync(Stream source, string name, bool sync, CancellationToken cancellationToken)
    {
        var memory = new MemoryStream();
        Stream target = memory;
        byte[] buffer = new byte[81920];
        long total = 0;
        try
        {
            int n;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                n = sync ? ReadSource(source, buffer, name) : await ReadSourceAsync(source, buffer, name, cancellationToken).ConfigureAwait(false);
                if (n <= 0) break;
                total += n;
                if (total > MaxBytes)
                {
                    throw new AudioFormatException($"Audio stream '{name}' is larger than the {MaxBytes >> 30} GiB limit for non-seekable input.", name);
                }
                if (ReferenceEquals(target, memory) && total > MemoryLimit)
                {
                    target = CreateTempFile();
                    memory.Position = 0;
                    memory.CopyTo(target);
                    memory.Dispose();
                }
                target.Write(buffer, 0, n);
            }
            target.Position = 0;
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    private static int ReadSource(Stream source, byte[] buffer, string name)
    {
        try
        {
            return source.Read(buffer, 0, buffer.Length);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            throw new TruncatedAudioException($"Audio stream '{name}' failed while being read: {e.Message.ReplaceLineEndings(" ")}", name, e);
        }
    }

    private static async ValueTask<int> ReadSourceAsync(Stream source, byte[] buffer, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            throw new TruncatedAudioException($"Audio stream '{name}' failed while being read: {e.Message.ReplaceLineEndings(" ")}", name, e);
        }
    }

    private static FileStream CreateTempFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "yamnet-spool-" + Guid.NewGuid().ToString("N") + ".tmp");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
    }
}
