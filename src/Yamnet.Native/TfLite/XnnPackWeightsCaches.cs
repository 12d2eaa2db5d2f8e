using Yamnet.Interop;

namespace Yamnet.TfLite;

/// <summary>
/// The XNNPACK weights caches of one model (TFLite 2.19): every XNNPACK interpreter of the model
/// with the same delegate flags packs its weights once into a shared cache instead of each holding
/// its own packed copy (a pool of N interpreters otherwise holds N copies). One cache per flags
/// value, because the flags decide which operators XNNPACK takes and so which weights are packed.
/// Unavailable (null) on 2.9, whose library has no weights-cache functions.
/// </summary>
internal sealed class XnnPackWeightsCaches : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, Entry> _entries = [];
    private readonly HashSet<uint> _privatelyPacked = [];
    private bool _disposed;

    internal sealed class Entry(SafeXnnPackWeightsCacheHandle handle)
    {
        internal SafeXnnPackWeightsCacheHandle Handle { get; } = handle;

        /// <summary>Held by the interpreter that fills the cache, until it is finalized.</summary>
        internal object FillGate { get; } = new();

        /// <summary>Set once the first interpreter's weights are in and the cache is soft-finalized.</summary>
        internal volatile bool Finalized;

        /// <summary>Finalizing failed: the cache is no longer handed out; interpreters pack their own weights.</summary>
        internal volatile bool Broken;
    }

    /// <summary>
    /// True the first time it is asked for <paramref name="flags"/>: that interpreter packs its own
    /// weights and only the second and later ones share the cache. Filling a cache hashes every packed
    /// weight (murmur_hash3: ≈2.5 ms of the seed command's ≈23 ms CPU), a pure loss when only one
    /// interpreter is ever made (the seed command, a single-window run); with a pool of N the model's
    /// packed weights are held twice instead of once, still not N times.
    /// </summary>
    internal bool IsFirstInterpreter(uint flags)
    {
        lock (_gate) return _privatelyPacked.Add(flags);
    }

    /// <summary>The cache for <paramref name="flags"/>, created on first use; null when the runtime has none.</summary>
    internal Entry? For(uint flags)
    {
        lock (_gate)
        {
            if (_disposed) return null;
            if (_entries.TryGetValue(flags, out var entry)) return entry.Broken ? null : entry;
            var handle = SafeXnnPackWeightsCacheHandle.Create();
            if (handle is null) return null;
            return _entries[flags] = new Entry(handle);
        }
    }

    /// <summary>Releases the caches; each is deleted once the last delegate using it is.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var e in _entries.Values) e.Handle.Dispose();
            _entries.Clear();
        }
    }
}
