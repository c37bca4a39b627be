using System.Globalization;

namespace SymmetryLab.Runs;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of a sweep (1-based): the seeds at positions p of the
/// seed list with p % Count == Index - 1, so that Count machines share a sweep without talking to
/// each other and a merge puts the seeds back in order by taking one from each part in turn.
/// </summary>
/// <param name="Index">This part, 1 to <paramref name="Count"/>.</param>
/// <param name="Count">Parts in all.</param>
public readonly record struct SweepShard(int Index, int Count)
{
    /// <summary>The whole sweep: part 1 of 1.</summary>
    public static readonly SweepShard Whole = new(1, 1);

    /// <summary>Whether it is the whole sweep.</summary>
    public bool IsWhole => Count == 1;

    /// <summary>"INDEX/COUNT".</summary>
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>The seeds of this part, in seed-list order.</summary>
    public ulong[] SeedsOf(IReadOnlyList<ulong> seeds)
    {
        var mine = new ulong[(seeds.Count - Index + Count) / Count];
        for (int k = 0; k < mine.Length; k++) mine[k] = seeds[Index - 1 + k * Count];
        return mine;
    }

    /// <summary>
    /// <c>I/N</c> with 1 &lt;= I &lt;= N, or <c>auto</c>: the index and count of a Slurm job array task
    /// (<c>SLURM_ARRAY_TASK_ID</c> - <c>SLURM_ARRAY_TASK_MIN</c>, in steps of <c>SLURM_ARRAY_TASK_STEP</c>,
    /// out of <c>SLURM_ARRAY_TASK_COUNT</c>) or of a Kubernetes Indexed Job (<c>JOB_COMPLETION_INDEX</c>,
    /// 0-based, out of <paramref name="shards"/>). <paramref name="environment"/> reads a variable.
    /// </summary>
    internal static SweepShard Parse(string text, int? shards, Func<string, string?> environment)
    {
        if (shards is < 1) throw new SettingsException($"--shards {shards}: must be at least 1");
        if (text != "auto")
        {
            var parts = text.Split('/');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 1 && i <= n)
            {
                if (shards is { } s && s != n) throw new SettingsException($"--shard {text} --shards {s}: the counts disagree");
                return new SweepShard(i, n);
            }
            throw new SettingsException($"--shard {text}: expected I/N with 1 <= I <= N (e.g. 2/3), or auto");
        }
        if (environment("SLURM_ARRAY_TASK_ID") is { } id)
        {
            long task = Integer("SLURM_ARRAY_TASK_ID", id);
            long min = Integer("SLURM_ARRAY_TASK_MIN", environment("SLURM_ARRAY_TASK_MIN") ?? throw Missing("SLURM_ARRAY_TASK_MIN"));
            long count = Integer("SLURM_ARRAY_TASK_COUNT", environment("SLURM_ARRAY_TASK_COUNT") ?? throw Missing("SLURM_ARRAY_TASK_COUNT"));
            long step = environment("SLURM_ARRAY_TASK_STEP") is { } st ? Integer("SLURM_ARRAY_TASK_STEP", st) : 1;
            if (count < 1 || count > int.MaxValue) throw Bad($"SLURM_ARRAY_TASK_COUNT={count} is not a number of tasks");
            if (step < 1) throw Bad($"SLURM_ARRAY_TASK_STEP={step} is not a step");
            if (task < min || (task - min) % step != 0 || (task - min) / step >= count)
                throw Bad($"task {task} is not one of the {count} tasks from {min} in steps of {step} (an array with gaps, such as --array=1,5,7, cannot be split evenly; use --array=MIN-MAX)");
            if (shards is { } s && s != count) throw Bad($"--shards {s} but the job array has {count} tasks");
            return new SweepShard((int)((task - min) / step) + 1, (int)count);
        }
        if (environment("JOB_COMPLETION_INDEX") is { } index)
        {
            long k = Integer("JOB_COMPLETION_INDEX", index);
            if (shards is not { } n) throw Bad("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the number of parts: add --shards N (the Job's completions)");
            if (k < 0 || k >= n) throw Bad($"JOB_COMPLETION_INDEX={k} is not an index of {n} parts (0 to {n - 1}); --shards must equal the Job's completions");
            return new SweepShard((int)k + 1, n);
        }
        throw Bad("neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard I/N");

        static SettingsException Bad(string why) => new($"--shard auto: {why}");
        static SettingsException Missing(string name) => Bad($"SLURM_ARRAY_TASK_ID is set but {name} is not");
        static long Integer(string name, string value) =>
            long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Bad($"{name}={value} is not a whole number");
    }
}
