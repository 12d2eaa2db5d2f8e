using System.CommandLine;
using Yamnet.Batch;

namespace Yamnet.Cli;

/// <summary>What <see cref="BatchOptions.Resolve"/> found: the extra inputs and how to split and store the batch.</summary>
public sealed record BatchSettings(IReadOnlyList<string> ListedInputs, ShardSpec Shard, string? OutputDir, bool Overwrite, bool IncludeHidden);

/// <summary>
/// Options of commands that run a batch of inputs (classify; detect and embed reuse them):
/// <c>--output-dir</c>, <c>--overwrite</c>, <c>--files-from</c>, <c>-0</c>, <c>--shard</c>, <c>--hidden</c>.
/// The mechanics live in the library (<c>Yamnet.Batch</c>); this only parses.
/// </summary>
public sealed class BatchOptions
{
    public Option<string?> OutputDir { get; } = new("--output-dir") { Description = "Write one result file per input into DIR (DIR/<input path>.<format>, atomically) instead of stdout; inputs whose result exists from the same model and options are skipped, so rerunning the same command resumes." };

    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "With --output-dir: replace result files made with other options and files that are not yamnet results (never done otherwise)." };

    public Option<string?> FilesFrom { get; } = new("--files-from") { Description = "Read more inputs from LIST, one path per line ('-' for standard input); taken literally (no globs)." };

    public Option<bool> Null { get; } = new("-0", "--null") { Description = "--files-from entries are NUL-separated (find -print0)." };

    public Option<string?> Shard { get; } = new("--shard") { Description = "I/N: only the inputs of shard I of N (0 <= I < N), chosen by a hash of each path as given, so N runs (a Slurm array, GNU parallel) split a batch with no overlap." };

    public Option<bool> Hidden { get; } = new("--hidden") { Description = "Also take hidden files and directories (names starting with '.', e.g. .git, ._* AppleDouble files) when expanding directories and globs." };

    public void AddTo(Command command)
    {
        command.Options.Add(OutputDir);
        command.Options.Add(Overwrite);
        command.Options.Add(FilesFrom);
        command.Options.Add(Null);
        command.Options.Add(Shard);
        command.Options.Add(Hidden);
    }

    /// <summary>Validates the options and reads --files-from (usage errors exit 2).</summary>
    public BatchSettings Resolve(ParseResult parse)
    {
        var shard = ShardSpec.All;
        if (parse.GetValue(Shard) is { } s)
        {
            try
            {
                shard = ShardSpec.Parse(s);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
        }
        string? outputDir = parse.GetValue(OutputDir);
        if (outputDir is { Length: 0 }) throw new UsageException("--output-dir needs a directory.");
        if (outputDir is not null && File.Exists(outputDir)) throw new UsageException($"--output-dir {outputDir}: is a file, not a directory.");
        bool overwrite = parse.GetValue(Overwrite);
        if (overwrite && outputDir is null) throw new UsageException("--overwrite applies to --output-dir only (stdout is never a file of yours).");
        bool nul = parse.GetValue(Null);
        string? list = parse.GetValue(FilesFrom);
        if (nul && list is null) throw new UsageException("-0 describes a --files-from list.");
        List<string> listed = [];
        if (list is not null)
        {
            try
            {
                using var stream = list == "-" ? Console.OpenStandardInput() : new FileStream(list, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
                listed = InputListReader.Read(stream, nul);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--files-from {list}: {CliHost.OneLine(e.Message)}");
            }
        }
        return new BatchSettings(listed, shard, outputDir, overwrite, parse.GetValue(Hidden));
    }
}
