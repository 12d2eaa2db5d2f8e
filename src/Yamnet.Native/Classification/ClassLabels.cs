using Yamnet.TfLite;

namespace Yamnet.Classification;

/// <summary>Names (and, from a class map, AudioSet machine ids) of a model's output classes.</summary>
public sealed class ClassLabels
{
    private readonly string[] _names;
    private readonly string[]? _mids;

    private ClassLabels(string[] names, string[]? mids, string source)
    {
        _names = names;
        _mids = mids;
        Source = source;
    }

    public int Count => _names.Length;

    /// <summary>Where the labels came from: "embedded:&lt;file&gt;", a CSV path, or "index" when the model has none.</summary>
    public string Source { get; }

    public bool HasMids => _mids is not null;

    /// <summary>The label of class <paramref name="index"/>; classes beyond the list are named by their index.</summary>
    public string NameOf(int index) => (uint)index < (uint)_names.Length ? _names[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string? MidOf(int index) => _mids is not null && (uint)index < (uint)_mids.Length ? _mids[index] : null;

    /// <summary>The model's embedded label list, or index names when it has none.</summary>
    public static ClassLabels FromModel(TfLiteModel model, int classCount)
    {
        var embedded = model.EmbeddedLabels;
        if (embedded is null) return ForIndices(classCount);
        if (embedded.Count != classCount)
            throw new InvalidModelException($"{model.Source}: the embedded label list has {embedded.Count} lines for {classCount} classes");
        return new ClassLabels(embedded.ToArray(), null, "embedded:" + (model.Metadata?.LabelFileName ?? "labels"));
    }

    /// <summary>Largest class map accepted (bytes): AudioSet's 521 classes take 14 KB.</summary>
    public const int MaxClassMapBytes = 16 * 1024 * 1024;

    public static ClassLabels ForIndices(int classCount)
        => new(Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), null, "index");

    /// <summary>
    /// Reads an AudioSet class map (<c>index,mid,display_name</c>, header line, display names
    /// possibly quoted with embedded commas). Every index 0..classCount-1 must appear exactly once.
    /// </summary>
    public static ClassLabels FromClassMapCsv(string path, int classCount)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: label file not found", path);
        // A class map is a few hundred lines; cap what is read so /dev/zero or a wrong multi-GB file
        // fails at once instead of being read to the end (measured: --labels /dev/zero read 8.2 GiB).
        using var capped = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var text = new byte[MaxClassMapBytes + 1];
        int length = capped.ReadAtLeast(text, text.Length, throwOnEndOfStream: false);
        if (length > MaxClassMapBytes) throw new InvalidLabelsException($"{path}: larger than {MaxClassMapBytes / (1024 * 1024)} MiB, not a class map", path);
        if (text.AsSpan(0, length).IndexOf((byte)0) >= 0) throw new InvalidLabelsException($"{path}: holds NUL bytes, not a text class map", path);
        var names = new string?[classCount];
        var mids = new string?[classCount];
        int lineNo = 0;
        using var reader = new StringReader(new System.Text.UTF8Encoding(false).GetString(text, 0, length));
        while (reader.ReadLine() is { } raw)
        {
            lineNo++;
            string line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            var fields = Csv.Split(line);
            if (lineNo == 1 && fields.Count > 0 && !int.TryParse(fields[0], out _)) continue; // header
            if (fields.Count != 3 || !int.TryParse(fields[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
                throw new InvalidLabelsException($"{path}:{lineNo}: expected 'index,mid,display_name'", path);
            if (index >= classCount) throw new InvalidLabelsException($"{path}:{lineNo}: class {index} is beyond the model's {classCount} classes", path);
            if (names[index] is not null) throw new InvalidLabelsException($"{path}:{lineNo}: class {index} appears twice", path);
            mids[index] = fields[1];
            names[index] = fields[2];
        }
        int missing = Array.IndexOf(names, null);
        if (missing >= 0) throw new InvalidLabelsException($"{path}: class {missing} is missing (the model has {classCount} classes)", path);
        return new ClassLabels(names!, mids!, path);
    }
}
