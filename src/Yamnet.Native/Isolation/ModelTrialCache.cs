namespace Yamnet.Isolation;

/// <summary>One small file per verdict (<see cref="ModelTrial.CacheKey"/>): "kind&lt;TAB&gt;detail".</summary>
internal static class ModelTrialCache
{
    internal static ModelVerdict? Read(string file, string sha)
    {
        try
        {
            string[] parts = File.ReadAllText(file).TrimEnd('\n').Split('\t', 2);
            if (!Enum.TryParse(parts[0], ignoreCase: true, out ModelVerdictKind kind) || kind is ModelVerdictKind.Known or ModelVerdictKind.Hung) return null;
            return new ModelVerdict(sha, kind, parts.Length > 1 ? parts[1] : "", FromCache: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static void Write(string file, ModelVerdict verdict)
    {
        // Best effort: a read-only or full cache only means the trial is repeated next time.
        string temp = file + "." + Environment.ProcessId + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(temp, verdict.Kind.ToString().ToLowerInvariant() + "\t" + verdict.Detail.Replace('\n', ' ') + "\n");
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
