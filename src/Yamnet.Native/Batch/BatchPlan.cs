namespace Yamnet.Batch;

/// <summary>
/// Which inputs of a batch this run does: those in its <see cref="ShardSpec"/> whose result (with an
/// output directory) is not already there. Built once from the whole ordered input list, so every
/// shard of the same command sees the same list and N shards cover each input exactly once.
/// </summary>
/// <typeparam name="T">The caller's input type (a path, or a path with an expansion error).</typeparam>
public sealed class BatchPlan<T>
{
    private BatchPlan(List<T> toRun, List<T> done, List<T> conflicts, int otherShards)
    {
        ToRun = toRun;
        Done = done;
        Conflicts = conflicts;
        OtherShards = otherShards;
    }

    /// <summary>Inputs to classify, in input order.</summary>
    public IReadOnlyList<T> ToRun { get; }

    /// <summary>Inputs skipped because their result exists with this run's fingerprint.</summary>
    public IReadOnlyList<T> Done { get; }

    /// <summary>Inputs whose result path holds a file this run may not replace (no overwrite).</summary>
    public IReadOnlyList<T> Conflicts { get; }

    /// <summary>Inputs left to the other shards.</summary>
    public int OtherShards { get; }

    /// <param name="inputs">Every input of the batch, in order.</param>
    /// <param name="pathOf">The path of an input as given (what shards and result names are computed from).</param>
    /// <param name="shard">This run's shard (<see cref="ShardSpec.All"/> for all).</param>
    /// <param name="results">The output directory, or null when results go to stdout (nothing is skipped).</param>
    /// <param name="checkable">False for inputs that cannot have a result (an expansion error): never skipped.</param>
    public static BatchPlan<T> Create(IReadOnlyList<T> inputs, Func<T, string> pathOf, ShardSpec shard, ResultDirectory? results, Func<T, bool>? checkable = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(pathOf);
        List<T> toRun = [], done = [], conflicts = [];
        int other = 0;
        foreach (var input in inputs)
        {
            string path = pathOf(input);
            // The shard key is the input's result name (its path relative to the current directory),
            // so "a.wav", "./a.wav" and "$PWD/a.wav" fall in the same shard whichever way they were listed.
            if (!shard.Contains(ResultDirectory.RelativeNameFor(path)))
            {
                other++;
                continue;
            }
            if (results is null || checkable?.Invoke(input) == false)
            {
                toRun.Add(input);
                continue;
            }
            switch (results.Check(path))
            {
                case ResultState.Done:
                    done.Add(input);
                    break;
                case ResultState.Foreign when !results.Overwrite:
                    conflicts.Add(input);
                    break;
                default:
                    toRun.Add(input);
                    break;
            }
        }
        return new BatchPlan<T>(toRun, done, conflicts, other);
    }
}
