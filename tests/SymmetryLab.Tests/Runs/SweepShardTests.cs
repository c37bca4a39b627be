using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Runs;

/// <summary>--shard auto: the part of a Slurm job array task or of a Kubernetes Indexed Job pod, and the values refused.</summary>
public class SweepShardTests
{
    private static SweepShard Auto(int? shards, params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        return SweepShard.Parse("auto", shards, name => env.GetValueOrDefault(name));
    }

    [Fact]
    public void Slurm_array_tasks_are_numbered_from_the_arrays_first_task()
    {
        // --array=0-3: tasks 0..3 are parts 1..4.
        Assert.Equal(new SweepShard(1, 4), Auto(null, ("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")));
        // --array=5-8: task 8 is part 4 of 4.
        Assert.Equal(new SweepShard(4, 4), Auto(null, ("SLURM_ARRAY_TASK_ID", "8"), ("SLURM_ARRAY_TASK_MIN", "5"), ("SLURM_ARRAY_TASK_COUNT", "4")));
        // --array=0-9:3: tasks 0, 3, 6, 9.
        Assert.Equal(new SweepShard(3, 4), Auto(null, ("SLURM_ARRAY_TASK_ID", "6"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_STEP", "3")));
        // --shards that agrees is fine.
        Assert.Equal(new SweepShard(2, 4), Auto(4, ("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_COUNT", "4")));
    }

    [Fact]
    public void Kubernetes_indexed_jobs_count_from_zero_with_the_count_from_shards()
    {
        Assert.Equal(new SweepShard(1, 3), Auto(3, ("JOB_COMPLETION_INDEX", "0")));
        Assert.Equal(new SweepShard(3, 3), Auto(3, ("JOB_COMPLETION_INDEX", "2")));
    }

    [Theory]
    [InlineData(null, "neither SLURM_ARRAY_TASK_ID", new string[0])]
    [InlineData(null, "SLURM_ARRAY_TASK_MIN is not", new[] { "SLURM_ARRAY_TASK_ID", "3" })]
    [InlineData(null, "SLURM_ARRAY_TASK_ID=x is not a whole number", new[] { "SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_COUNT", "4" })]
    [InlineData(null, "task 4 is not one of the 4 tasks", new[] { "SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_COUNT", "4" })]
    [InlineData(null, "task 5 is not one of", new[] { "SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_STEP", "3" })]
    [InlineData(5, "--shards 5 but the job array has 4 tasks", new[] { "SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_COUNT", "4" })]
    [InlineData(null, "add --shards N", new[] { "JOB_COMPLETION_INDEX", "0" })]
    [InlineData(3, "JOB_COMPLETION_INDEX=3 is not an index of 3 parts", new[] { "JOB_COMPLETION_INDEX", "3" })]
    [InlineData(3, "JOB_COMPLETION_INDEX=-1 is not an index", new[] { "JOB_COMPLETION_INDEX", "-1" })]
    public void Bad_environments_are_refused_naming_the_variable(int? shards, string expected, string[] pairs)
    {
        var variables = Enumerable.Range(0, pairs.Length / 2).Select(i => (pairs[2 * i], pairs[2 * i + 1])).ToArray();
        var e = Assert.Throws<SettingsException>(() => Auto(shards, variables));
        Assert.StartsWith("--shard auto: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Explicit_parts_and_counts_must_agree()
    {
        Assert.Equal(new SweepShard(2, 3), SweepShard.Parse("2/3", null, _ => null));
        Assert.Throws<SettingsException>(() => SweepShard.Parse("2/3", 4, _ => null));
        Assert.Throws<SettingsException>(() => SweepShard.Parse("auto", 0, _ => null));
    }
}
