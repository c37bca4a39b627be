using System.Globalization;

namespace SymmetryLab.Data;

/// <summary>
/// How much data and training state a process may hold: a share of the memory .NET says it may use
/// (the machine's, or a container's or DOTNET_GCHeapHardLimit's limit), so that a huge header, a
/// generator asked for billions of rows or a network too wide for the machine is refused up front with
/// its numbers and the limit (exit 2), instead of the kernel killing the process or an allocation failing
/// midway.
/// </summary>
internal static class DataLimits
{
    /// <summary>The memory this process may use, in bytes.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>A data set's arrays may take a quarter of it: training holds copies (splits, batches, targets) beside them.</summary>
    public static long MaxDataBytes => AvailableBytes / 4;

    /// <summary>The most values (doubles) one data set may have, and no more than one array holds.</summary>
    public static long MaxValues => Math.Min(Array.MaxLength, MaxDataBytes / sizeof(double));

    /// <summary>Training's own buffers (parameters, optimizer state, targets, activations) may take half of it.</summary>
    public static long MaxTrainingBytes => AvailableBytes / 2;

    /// <summary>Throws, naming <paramref name="what"/>, when <paramref name="values"/> doubles are more than a data set may hold.</summary>
    public static void CheckValues(string what, long values)
    {
        if (OverLimit(what, values, AvailableBytes) is { } message) throw new DataException(message);
    }

    /// <summary>As <see cref="CheckValues(string, long)"/>, for values a setting asks for (a generator's spec): the message names it.</summary>
    internal static void CheckValues(Runs.Setting what, long values)
    {
        // The message has no braces of its own: {0} is the setting's one hole.
        if (OverLimit("{0}", values, AvailableBytes) is { } message)
            throw DataException.Of(System.Runtime.CompilerServices.FormattableStringFactory.Create(message, what));
    }

    /// <summary>
    /// The message for <paramref name="values"/> doubles over the limit a process that may use
    /// <paramref name="availableBytes"/> has, naming the bound that holds (a quarter of the memory, or, with
    /// more than 64 GB, the most one .NET array holds); null when they fit.
    /// </summary>
    internal static string? OverLimit(string what, long values, long availableBytes)
    {
        long byMemory = availableBytes / 4 / sizeof(double), max = Math.Min(Array.MaxLength, byMemory);
        if (values <= max) return null;
        string why = max == byMemory ? $"a quarter of the {Size(availableBytes)} this process may use" : "the most one array holds";
        return $"{what}: {values.ToString("N0", CultureInfo.InvariantCulture)} values ({Size(values * (double)sizeof(double))}) are over the limit of {max.ToString("N0", CultureInfo.InvariantCulture)} values for one data set ({Size(max * (double)sizeof(double))}, {why})";
    }

    /// <summary>"1.5 GB".</summary>
    public static string Size(double bytes) => bytes switch
    {
        >= 1e9 => $"{(bytes / 1e9).ToString("0.#", CultureInfo.InvariantCulture)} GB",
        >= 1e6 => $"{(bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} MB",
        _ => $"{(bytes / 1e3).ToString("0.#", CultureInfo.InvariantCulture)} KB",
    };
}
