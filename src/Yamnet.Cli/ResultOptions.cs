using System.CommandLine;
using Yamnet.Classification;

namespace Yamnet.Cli;

/// <summary>What to report of each window, shared by <c>classify</c> and <c>listen</c>.</summary>
public sealed record ResultSettings(int MaxResults, float Threshold, float Overlap, string[] Allow, string[] Deny, string Format)
{
    /// <summary>The --hop text (samples, seconds, or 'window'), when given instead of --overlappingFactor.</summary>
    public string? HopText { get; init; }

    /// <summary>The hop in samples: --hop if given, else round(W · (1 − overlappingFactor)).</summary>
    public int HopFor(int windowLength, int sampleRate)
    {
        if (HopText is null) return FileAnalyzer.HopFor(windowLength, Overlap);
        try
        {
            return Yamnet.Audio.WindowHop.Parse(HopText, windowLength, sampleRate);
        }
        catch (FormatException e)
        {
            throw new UsageException("--" + e.Message);
        }
    }

    /// <summary>Classes to report per result for a model with <paramref name="classCount"/> classes (-1 means all).</summary>
    public int TopCount(int classCount) => MaxResults == -1 ? classCount : Math.Min(MaxResults, classCount);

    /// <summary>The allow/deny filter resolved against the model's labels (an unknown label is a usage error).</summary>
    public ClassFilter? CreateFilter(ClassLabels labels)
    {
        try
        {
            return ClassFilter.Create(labels, Allow, Deny);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>The result options (with the seed's names and rules) and their validation.</summary>
public sealed class ResultOptions(string formatDescription)
{
    public Option<int> MaxResults { get; } = new("--maxResults") { Description = "Classes per result, best first (at least 1, or -1 for all).", DefaultValueFactory = _ => 5 };

    public Option<float> ScoreThreshold { get; } = new("--scoreThreshold") { Description = "Only classes scoring at least this (0..1).", DefaultValueFactory = _ => 0f };

    public Option<float> OverlappingFactor { get; } = new("--overlappingFactor") { Description = "Overlap of consecutive windows, at least 0 and below 1: hop = round(window × (1 − factor)); 0 gives non-overlapping windows.", DefaultValueFactory = _ => 0.5f };

    public Option<string?> Hop { get; } = new("--hop") { Description = "Hop between window starts instead of --overlappingFactor: samples (7800), seconds (0.4875s), milliseconds (487.5ms) or 'window' (hop = window length, no overlap); 1 sample up to the window length." };

    public Option<string[]> Allow { get; } = new("--allow") { Description = "Only report this class label (exact, repeatable: one label per option). Excludes --deny." };

    public Option<string[]> Deny { get; } = new("--deny") { Description = "Never report this class label (exact, repeatable). Excludes --allow." };

    public Option<string> Format { get; } = new("--format") { Description = formatDescription, DefaultValueFactory = _ => "text" };

    public void AddTo(Command command)
    {
        command.Options.Add(MaxResults);
        command.Options.Add(ScoreThreshold);
        command.Options.Add(OverlappingFactor);
        command.Options.Add(Hop);
        command.Options.Add(Allow);
        command.Options.Add(Deny);
        command.Options.Add(Format);
    }

    /// <summary>Checks every value (no model needed), so bad values fail fast with exit 2.</summary>
    public ResultSettings Validate(ParseResult parse)
    {
        int max = parse.GetValue(MaxResults);
        if (max < 1 && max != -1) throw new UsageException("Max results must be at least 1, or -1 for all classes.");
        float threshold = parse.GetValue(ScoreThreshold);
        if (!(threshold >= 0f && threshold <= 1f)) throw new UsageException("Score threshold must be between (inclusive) 0 and 1.");
        float overlap = parse.GetValue(OverlappingFactor);
        if (!(overlap >= 0f && overlap < 1f)) throw new UsageException("Overlapping factor must be between 0 and 1.");
        string? hop = parse.GetValue(Hop);
        if (hop is not null && parse.GetResult(OverlappingFactor) is { Implicit: false })
            throw new UsageException("--hop and --overlappingFactor are mutually exclusive: give one.");
        string format = parse.GetValue(Format)?.ToLowerInvariant() switch
        {
            "text" => "text",
            "json" => "json",
            "csv" => "csv",
            "jsonl" => "jsonl",
            var f => throw new UsageException($"Unknown format '{f}': use text, json, jsonl or csv."),
        };
        var allow = parse.GetValue(Allow) ?? [];
        var deny = parse.GetValue(Deny) ?? [];
        if (allow.Length > 0 && deny.Length > 0) throw new UsageException("--allow and --deny are mutually exclusive.");
        return new ResultSettings(max, threshold, overlap, allow, deny, format) { HopText = hop };
    }
}
