using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// A sweep's folder (<c>--out DIR</c>), written by one process at a time (<see cref="FolderLock"/>):
/// <list type="bullet">
/// <item><c>sweep.json</c>: what the folder holds (setup, seed list, part of it, what is kept, the
/// network layout); written first, and a folder holding another sweep is refused, never mixed.</item>
/// <item><c>parts/part-NNNNNN.jsonl</c>: one line per seed (<see cref="SweepRecord"/>) for each block of
/// seeds finished, each written whole (a temporary file renamed), so a killed sweep restarts from the
/// blocks it finished.</item>
/// <item>A whole sweep ends with <c>summary.csv</c>, <c>solutions/</c> and <c>summary.json</c> (last: its
/// presence means complete), then drops <c>parts/</c>; a shard ends with <c>shard.json</c> and keeps
/// <c>parts/</c> for <c>sweep merge</c>.</item>
/// <item><c>runs/seed-N/</c>: per-seed folders kept by <c>--keep all</c> or <c>diverged</c>.</item>
/// </list>
/// </summary>
internal sealed class SweepFolder : IDisposable
{
    public const string IdentityFile = "sweep.json", ShardFile = Sweep.ShardFile, PartsDir = "parts", RunsDir = "runs", SolutionsDir = "solutions";

    private readonly FolderLock _lock;

    public string Dir { get; }

    private SweepFolder(string dir, FolderLock folderLock)
    {
        Dir = dir;
        _lock = folderLock;
    }

    /// <summary>
    /// Locks <paramref name="dir"/> and makes it hold the sweep <paramref name="identity"/> describes:
    /// a new or empty folder gets it; a folder that already holds the same sweep is continued; anything
    /// else is refused (<see cref="DataException"/> naming the folder and what differs).
    /// </summary>
    public static SweepFolder Open(string dir, string identity)
    {
        if (File.Exists(dir)) throw new DataException($"{dir}: is a file, not a folder");
        var folder = new SweepFolder(dir, FolderLock.Acquire(dir));
        try
        {
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, IdentityFile);
            if (File.Exists(path))
            {
                string held = File.ReadAllText(path);
                if (held != identity) throw new DataException($"{dir}: holds another sweep ({Difference(held, identity, path)}); use another folder for this one, or delete it");
            }
            else
            {
                var other = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault();
                if (other is not null) throw new DataException($"{dir}: is not empty ({other}) and holds no {IdentityFile}: not a sweep folder; use a new or empty folder");
                AtomicFile.WriteAllText(path, identity);
            }
            // The lock is ours: temporary files are what a killed writer left.
            foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Prepend(dir))
                AtomicFile.CleanStale(d, olderNames: true);
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The first field of sweep.json whose value differs, in words.</summary>
    private static string Difference(string held, string wanted, string path)
    {
        try
        {
            using var a = JsonDocument.Parse(held);
            using var b = JsonDocument.Parse(wanted);
            foreach (var p in b.RootElement.EnumerateObject())
                if (!a.RootElement.TryGetProperty(p.Name, out var v) || v.GetRawText() != p.Value.GetRawText())
                    return $"{IdentityFile} differs in '{p.Name}': {Short(v.ValueKind == JsonValueKind.Undefined ? "(none)" : v.GetRawText())} there, {Short(p.Value.GetRawText())} here";
            return $"{IdentityFile} differs";
        }
        catch (JsonException)
        {
            throw new DataException($"{path}: not valid JSON; it is not a sweep folder's {IdentityFile}");
        }
    }

    private static string Short(string json)
    {
        string one = string.Join(' ', json.Split('\n', StringSplitOptions.TrimEntries));
        return one.Length <= 200 ? one : one[..200] + "...";
    }

    public string Under(params string[] parts) => Path.Combine([Dir, .. parts]);

    public string PartPath(int part) => Under(PartsDir, $"part-{part + 1:D6}.jsonl");

    public bool HasPart(int part) => File.Exists(PartPath(part));

    /// <summary>Writes a block of seeds' records whole (or not at all).</summary>
    public void WritePart(int part, IEnumerable<SweepRecord> records, string precision) =>
        AtomicFile.WriteAllText(PartPath(part), string.Concat(records.Select(r => r.ToJsonLine(precision) + "\n")));

    /// <summary>The records of one part, in order, checked against the seeds it should hold.</summary>
    public static IEnumerable<SweepRecord> ReadPart(string file, IReadOnlyList<ulong> seeds, SweepLayout layout)
    {
        if (!File.Exists(file)) throw new DataException($"{file}: missing; the sweep did not finish this part (run its command again to finish it)");
        int k = 0;
        foreach (var line in File.ReadLines(file))
        {
            if (k == seeds.Count) throw new DataException($"{file}: more than the {seeds.Count} seeds of this part");
            var record = SweepRecord.Parse(line, $"{file}, line {k + 1}", layout.Precision, layout.ParameterCount, layout.Layers.Count);
            if (record.Seed != seeds[k]) throw new DataException($"{file}, line {k + 1}: seed {record.Seed}, expected {seeds[k]}");
            k++;
            yield return record;
        }
        if (k != seeds.Count) throw new DataException($"{file}: {k} seeds, expected {seeds.Count}");
    }

    /// <summary>Folders of runs kept with their files: each file written whole, model.json last.</summary>
    public static void CopyRun(string from, string to)
    {
        Directory.CreateDirectory(to);
        var files = Directory.GetFiles(from).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files.OrderBy(f => Path.GetFileName(f) == "model.json"))
            AtomicFile.WriteAllBytes(Path.Combine(to, Path.GetFileName(file)), File.ReadAllBytes(file));
    }

    public void Dispose() => _lock.Dispose();
}
