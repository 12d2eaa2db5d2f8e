using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Yamnet.Interop;
using Yamnet.Logging;

namespace Yamnet.TfLite;

/// <summary>
/// A validated TFLite model held in native memory. One model can back many interpreters, on
/// many threads; the model's memory stays alive until the model and every interpreter made from
/// it are disposed, whatever the order.
/// </summary>
public sealed class TfLiteModel : IDisposable
{
    /// <summary>Files larger than this are refused before being read (YAMNet is 4 MB).</summary>
    public const long MaxModelBytes = 512L * 1024 * 1024;

    private readonly SafeTfLiteModelHandle _handle;
    private readonly Lazy<IReadOnlyList<string>?> _embeddedLabels;
    private readonly ModelBuffer _buffer;
    private readonly Lazy<string> _sha256;
    // SafeHandle.IsClosed stays false while interpreters hold references, so disposal is tracked here.
    private volatile bool _disposed;
    private readonly Lock _xnnpackGate = new();
    private XnnPackVariant? _xnnpack;

    /// <summary>What XNNPACK interpreters of this model run: <see cref="Handle"/>, a padded copy, or nothing (<see cref="Refusal"/> says why).</summary>
    internal sealed record XnnPackVariant(SafeTfLiteModelHandle? Handle, int PaddedLayers, string? Refusal);

    private TfLiteModel(SafeTfLiteModelHandle handle, ModelBuffer buffer, string source, Lazy<string> sha256, ILoggerFactory? loggerFactory)
    {
        LoggerFactory = loggerFactory;
        _handle = handle;
        _buffer = buffer;
        Source = source;
        _sha256 = sha256;
        Metadata = ModelMetadata.Read(buffer.Span);
        _embeddedLabels = new Lazy<IReadOnlyList<string>?>(ReadEmbeddedLabels);
    }

    /// <summary>Where the model came from (a path, or a caller-supplied name).</summary>
    public string Source { get; }

    /// <summary>
    /// Lower-case hex SHA-256 of the model bytes. Computed on first use (or remembered for an
    /// unchanged file, see <see cref="TfLiteRuntime.ModelDigestCacheDirectory"/>): a run that never
    /// asks for it does not pay for hashing the model.
    /// </summary>
    public string Sha256 => _sha256.Value;

    public long ByteSize => _buffer.Length;

    /// <summary>The name <see cref="KnownModels"/> gives these bytes ("yamnet"), or null for a model it does not know.</summary>
    public string? KnownName => KnownModels.NameOf(Sha256);

    /// <summary>The factory given at load; interpreters of this model log through it unless their options name another.</summary>
    internal ILoggerFactory? LoggerFactory { get; }

    /// <summary>The validated model bytes (read-only by convention: TFLite runs from this very buffer). Only while the model is not disposed.</summary>
    internal ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer.Span;
        }
    }

    /// <summary>TFLite Support metadata (audio sample rate, channels, label file), or null when the model has none.</summary>
    public ModelMetadata? Metadata { get; }

    /// <summary>The label list zipped inside the model file (TFLite Support models append one), or null.</summary>
    public IReadOnlyList<string>? EmbeddedLabels => _embeddedLabels.Value;

    /// <summary>XNNPACK packed weights shared by this model's interpreters (TFLite 2.19).</summary>
    internal XnnPackWeightsCaches XnnPackWeights { get; } = new();

    internal SafeTfLiteModelHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    /// <summary>
    /// The native model XNNPACK interpreters run, decided on first use: this model's own, or a copy
    /// whose float FULLY_CONNECTED layers are padded (<see cref="FloatGemmPadding"/>, when
    /// <see cref="TfLiteRuntime.XnnPackFloatPadding"/> says this process needs it), or none when the
    /// model needs padding but cannot be padded (XNNPACK would abort the process).
    /// </summary>
    internal XnnPackVariant ForXnnPack(ILogger log)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_xnnpackGate)
        {
            if (_xnnpack is { } decided) return decided;
            _xnnpack = DeriveForXnnPack(log);
            return _xnnpack;
        }
    }

    private XnnPackVariant DeriveForXnnPack(ILogger log)
    {
        var mode = TfLiteRuntime.XnnPackFloatPadding;
        if (!FloatGemmPadding.IsNeeded(mode)) return new XnnPackVariant(_handle, 0, null);
        ModelBuffer? padded = null;
        int layers = 0;
        string? refusal = null;
        try
        {
            // Written straight into the native buffer TFLite runs (no managed copy of the model).
            var front = FloatGemmPadding.DeriveFront(_buffer.Span, out layers, out refusal);
            if (front is not null)
            {
                long total = front.Length(_buffer.Length);
                if (total > MaxModelBytes) throw new InvalidModelException("the padded model is too large");
                padded = ModelBuffer.Allocate((int)total);
                front.WriteTo(padded.Span, _buffer.Span);
                ModelValidator.Validate(padded.Span);
            }
        }
        catch (InvalidModelException e)
        {
            padded?.Free();
            (padded, layers, refusal) = (null, 0, e.Message);
        }
        string why = mode == XnnPackFloatPaddingMode.Always ? "asked for" : $"TFLite {TfLiteRuntime.Version}'s XNNPACK on this AMD Zen-family CPU";
        if (refusal is not null)
        {
            LogEvents.XnnPackPaddingRefused(log, Source, why, refusal);
            return new XnnPackVariant(null, 0, refusal);
        }
        if (padded is null) return new XnnPackVariant(_handle, 0, null);
        // Takes the buffer over: freed with the handle, or here when TFLite rejects it.
        var handle = NativeStderr.Run(() => SafeTfLiteModelHandle.Create(padded), out var captured);
        captured.LogTo(ContainedLogger.Create(LoggerFactory, YamnetLogCategories.TfLite));
        if (handle is null)
        {
            LogEvents.XnnPackPaddingRefused(log, Source, why, "TFLite could not build the padded model");
            return new XnnPackVariant(null, 0, "TFLite could not build the padded model");
        }
        LogEvents.XnnPackPaddingApplied(log, Source, layers, FloatGemmPadding.Block, why);
        return new XnnPackVariant(handle, layers, null);
    }

    /// <summary>
    /// Reads and validates a model file. The bytes are copied into memory owned by the model (one
    /// read, no mapping of the file), so the file may change or vanish afterwards without harm
    /// (TFLite's own mapped loading would crash).
    /// </summary>
    /// <param name="path">The .tflite file.</param>
    /// <param name="expectedSha256">When given, the file must have exactly this SHA-256 (see <see cref="KnownModels"/>).</param>
    /// <param name="loggerFactory">Where to log the load (<see cref="YamnetLogCategories.Model"/>) and, by default, this model's interpreters.</param>
    /// <param name="cancellationToken">
    /// Checked between 1 MiB reads and before hashing, validation and the native build (a model on a
    /// slow or network file system can take seconds); surfaces only as <see cref="OperationCanceledException"/>.
    /// </param>
    public static TfLiteModel FromFile(string path, string? expectedSha256 = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        if (Directory.Exists(path)) throw new InvalidModelException($"{path}: is a directory, not a model file");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found", path);
        ModelBuffer buffer;
        Lazy<string> sha;
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            long length = RandomAccess.GetLength(file);
            if (length > MaxModelBytes) throw new InvalidModelException($"{path}: {length} bytes is larger than the {MaxModelBytes}-byte limit");
            if (length == 0) throw new InvalidModelException($"{path}: the file is empty");
            var before = ModelFileIdentity.Of(file);
            buffer = ModelBuffer.ReadAll(file, (int)length, path, cancellationToken);
            // The digest of an unchanged file is remembered; one that changed while read is hashed from what was read.
            var after = ModelFileIdentity.Of(file);
            sha = before is { } id && after == id && ModelDigestCache.TryGet(id) is { } cached
                ? new Lazy<string>(cached)
                : new Lazy<string>(() => HashAndRemember(buffer, before == after ? before : null));
        }
        return Build(buffer, path, sha, expectedSha256, loggerFactory, cancellationToken);
    }

    /// <summary>Validates and copies <paramref name="bytes"/>; the caller may reuse its buffer at once.</summary>
    public static TfLiteModel FromBytes(ReadOnlySpan<byte> bytes, string source = "(memory)", string? expectedSha256 = null, ILoggerFactory? loggerFactory = null)
    {
        if (bytes.IsEmpty) throw new InvalidModelException($"{source}: the model is empty");
        return FromBuffer(ModelBuffer.CopyOf(bytes), source, expectedSha256, loggerFactory);
    }

    /// <summary>A model derived in memory from another (see Embeddings/): validated exactly like a file.</summary>
    internal static TfLiteModel FromDerivedBytes(byte[] bytes, string source, ILoggerFactory? loggerFactory = null) => FromBytes(bytes, source, null, loggerFactory);

    private static TfLiteModel FromBuffer(ModelBuffer buffer, string source, string? expectedSha256, ILoggerFactory? loggerFactory)
        => Build(buffer, source, new Lazy<string>(() => HashAndRemember(buffer, null)), expectedSha256, loggerFactory);

    private static unsafe string HashAndRemember(ModelBuffer buffer, ModelFileIdentity? identity)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(buffer.Span));
        if (identity is { IsSettled: true } id) ModelDigestCache.Put(id, sha);
        return sha;
    }

    // Takes over buffer: freed here on failure, else by the model's handle once TFLite is done with it.
    private static TfLiteModel Build(ModelBuffer buffer, string source, Lazy<string> sha, string? expectedSha256, ILoggerFactory? loggerFactory, CancellationToken cancellationToken = default)
    {
        SafeTfLiteModelHandle? handle;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch
        {
            buffer.Free();
            throw;
        }
        try
        {
            if (expectedSha256 is not null && !string.Equals(sha.Value, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidModelException(YamnetErrorCode.ModelChecksumMismatch, $"{source}: SHA-256 {sha.Value} does not match the expected {expectedSha256.ToLowerInvariant()}");
            try
            {
                ModelValidator.Validate(buffer.Span);
            }
            catch (InvalidModelException e)
            {
                throw new InvalidModelException($"{source}: {e.Message}");
            }
        }
        catch
        {
            buffer.Free();
            throw;
        }
        // The last point to stop: past it the native model exists and is handed to the caller.
        if (cancellationToken.IsCancellationRequested)
        {
            buffer.Free();
            cancellationToken.ThrowIfCancellationRequested();
        }
        handle = NativeStderr.Run(() => SafeTfLiteModelHandle.Create(buffer), out var captured);
        // Logged only now: the native call has returned and no capture is in force.
        var tfliteLog = ContainedLogger.Create(loggerFactory, YamnetLogCategories.TfLite);
        captured.LogTo(tfliteLog);
        if (handle is null) throw new InvalidModelException($"{source}: TFLite could not build a model from the file");
        var model = new TfLiteModel(handle, buffer, source, sha, loggerFactory);
        var modelLog = ContainedLogger.Create(loggerFactory, YamnetLogCategories.Model);
        // Only a logger that is listening pays for the digest the message names.
        if (modelLog.IsEnabled(LogLevel.Information))
            LogEvents.ModelLoaded(modelLog, source, buffer.Length, model.Sha256, model.KnownName is { } known ? "known model " + known : "not a known model");
        return model;
    }

    private unsafe IReadOnlyList<string>? ReadEmbeddedLabels()
    {
        // The buffer belongs to the handle: hold it so a concurrent Dispose cannot free it mid-read.
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            return ReadEmbeddedLabelsCore();
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(TfLiteModel));
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    private unsafe IReadOnlyList<string>? ReadEmbeddedLabelsCore()
    {
        try
        {
            using var zip = new ZipArchive(new UnmanagedMemoryStream((byte*)_buffer.Pointer, _buffer.Length), ZipArchiveMode.Read);
            var entry = (Metadata?.LabelFileName is { } name ? zip.GetEntry(name) : null)
                ?? zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase));
            if (entry is null || entry.Length > 16 * 1024 * 1024) return null;
            using var reader = new StreamReader(entry.Open());
            var labels = new List<string>();
            while (reader.ReadLine() is { } line) labels.Add(line.TrimEnd('\r'));
            while (labels.Count > 0 && labels[^1].Length == 0) labels.RemoveAt(labels.Count - 1);
            return labels.Count == 0 ? null : labels;
        }
        catch (InvalidDataException)
        {
            // No zip appended: a model without embedded labels. But when the metadata names a label
            // file and a zip entry of that name starts after the flatbuffer, the zip was there and is cut.
            if (Metadata?.LabelFileName is { Length: > 0 } name && HasZipEntryHeader(name))
                throw new InvalidModelException($"{Source}: the label zip appended to the model is damaged or cut (it starts an entry '{name}' but cannot be read); re-download the model, or give a class map with --labels");
            return null;
        }
    }

    /// <summary>True when a zip local-file header for <paramref name="name"/> is in the model's bytes.</summary>
    private unsafe bool HasZipEntryHeader(string name)
    {
        ReadOnlySpan<byte> signature = [0x50, 0x4B, 0x03, 0x04];
        byte[] nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        ReadOnlySpan<byte> all = _buffer.Span;
        for (int at = all.IndexOf(signature); at >= 0;)
        {
            if (at + 30 + nameBytes.Length <= all.Length && all.Slice(at + 30, nameBytes.Length).SequenceEqual(nameBytes)) return true;
            int next = all[(at + 1)..].IndexOf(signature);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return false;
    }

    public void Dispose()
    {
        _disposed = true;
        XnnPackWeights.Dispose();
        lock (_xnnpackGate)
        {
            if (_xnnpack?.Handle is { } padded && padded != _handle) padded.Dispose();
        }
        _handle.Dispose();
    }

    public override string ToString() => Source;
}
