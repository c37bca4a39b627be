namespace SymmetryLab.Serialization;

/// <summary>
/// Writes whole files or nothing: the bytes go to a temporary file beside the target, flushed to disk,
/// then renamed over it. The target is checked first by <see cref="OutputPath.File"/>: a symbolic link
/// is followed (its target is replaced, the link stays), and only a regular file or a new name is
/// written. The temporary name is short whatever the target's (<c>.symlab-PID-RANDOM.tmp</c>), so a
/// name at the file system's limit still works, and <see cref="CleanStale"/> can find what a killed
/// writer left.
/// </summary>
public static class AtomicFile
{
    internal const string TempPrefix = ".symlab-", TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> whole or not at all; <paramref name="flag"/> names the path in messages.</summary>
    /// <exception cref="Data.DataException">The path names a folder, a device, a pipe or a loop of links rather than a regular file or a new name.</exception>
    public static void WriteAllText(string path, string text, string? flag = null) =>
        Write(path, flag, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>The same for bytes (a PNG from <c>data show --png</c>).</summary>
    public static void WriteAllBytes(string path, byte[] bytes, string? flag = null) => Write(path, flag, stream => stream.Write(bytes));

    /// <summary>
    /// Writes what <paramref name="write"/> puts into the stream to <paramref name="path"/>, whole or not at
    /// all: when it fails, the folders it created for the file are removed again (those still empty).
    /// </summary>
    public static void Write(string path, string? flag, Action<Stream> write)
    {
        string full = OutputPath.File(path, flag);
        string dir = Path.GetDirectoryName(full)!;
        string? created = HighestMissing(dir), temp = null;
        bool written = false;
        try
        {
            Directory.CreateDirectory(dir);
            temp = TempName(dir);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            written = true;
        }
        finally
        {
            if (temp is not null && File.Exists(temp)) File.Delete(temp);
            if (!written && created is not null) RemoveEmpty(dir, created);
        }
    }

    /// <summary>The highest folder on the way to <paramref name="dir"/> that does not exist yet (what creating it creates), or null.</summary>
    private static string? HighestMissing(string dir)
    {
        string? highest = null;
        for (string? d = dir; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d)) highest = d;
        return highest;
    }

    /// <summary>Removes <paramref name="dir"/> and its parents up to <paramref name="top"/>, each only while empty (another writer's file keeps its folder).</summary>
    private static void RemoveEmpty(string dir, string top)
    {
        for (string? d = dir; d is not null; d = Path.GetDirectoryName(d))
        {
            try
            {
                Directory.Delete(d, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // not empty (or not ours to remove): leave it and what holds it
            }
            if (d == top) return;
        }
    }

    /// <summary>A fresh temporary name in <paramref name="dir"/> that marks its writer's process.</summary>
    internal static string TempName(string dir, string suffix = TempSuffix) =>
        Path.Combine(dir, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}{suffix}");

    /// <summary>
    /// Removes the temporary files and folders that writers killed mid-write left in <paramref name="dir"/>
    /// (<c>.symlab-PID-*</c>, and with <paramref name="olderNames"/> the <c>.NAME.PID.tmp</c> of earlier
    /// versions, for folders known to be ours), when their process is gone.
    /// </summary>
    internal static void CleanStale(string dir, bool olderNames = false)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, ".*"))
        {
            string name = Path.GetFileName(entry);
            if (!olderNames && !name.StartsWith(TempPrefix, StringComparison.Ordinal)) continue;
            if (WriterOf(name) is not { } pid || IsAlive(pid)) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another cleaner got there first, or it is not ours to remove: leave it.
            }
        }
    }

    /// <summary>The process that wrote a temporary name, or null when the name is not one of ours.</summary>
    internal static int? WriterOf(string name)
    {
        if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
        {
            int dash = name.IndexOf('-', TempPrefix.Length);
            return dash > 0 && int.TryParse(name.AsSpan(TempPrefix.Length, dash - TempPrefix.Length), out int pid) ? pid : null;
        }
        // .initial.json.1234.tmp, as earlier versions named them.
        if (!name.EndsWith(TempSuffix, StringComparison.Ordinal)) return null;
        var parts = name[..^TempSuffix.Length].Split('.');
        return parts.Length >= 3 && parts[0].Length == 0 && int.TryParse(parts[^1], out int old) ? old : null;
    }

    private static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
