using SymmetryLab.Data;

namespace SymmetryLab.Serialization;

/// <summary>
/// The rules for every path the program writes (GUIDE: only regular files are written; nothing but our
/// own output is replaced): a file output is a new name or an existing regular file, reached through
/// any symbolic links (the link stays, its target gets the bytes); a folder output is a new name or an
/// existing folder. Anything else (a device, a pipe, a socket, a folder where a file is expected, a
/// loop of links, a name too long for the file system) is refused with a <see cref="DataException"/>
/// naming the path, before any work is done.
/// </summary>
internal static class OutputPath
{
    /// <summary>The longest file name (in UTF-8 bytes) that Linux, macOS and Windows file systems take.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>
    /// The absolute path that an output file named <paramref name="path"/> is written to: symbolic links
    /// followed to their final target. <paramref name="flag"/>, when given, starts the message.
    /// </summary>
    public static string File(string path, string? flag = null)
    {
        string full = Resolve(path, flag);
        var kind = FileKinds.Of(full);
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw Refuse(path, flag, kind == FileKind.Directory
                ? "is a folder; name the file to write"
                : $"{FileKinds.Describe(kind)}; only a regular file (or a new name) is written");
        CheckFolder(path, flag, Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>The absolute path of an output folder (links followed): a new name or an existing folder.</summary>
    public static string Folder(string path, string? flag = null)
    {
        string full = Resolve(path, flag).TrimEnd(Path.DirectorySeparatorChar);
        if (full.Length == 0) full = Path.DirectorySeparatorChar.ToString();
        var kind = FileKinds.Of(full);
        if (kind is not (FileKind.Missing or FileKind.Directory))
            throw Refuse(path, flag, kind == FileKind.Regular ? "is a file, not a folder" : $"{FileKinds.Describe(kind)}, not a folder");
        if (kind == FileKind.Missing && Path.GetDirectoryName(full) is { } parent) CheckFolder(path, flag, parent);
        return full;
    }

    private static string Resolve(string path, string? flag)
    {
        if (string.IsNullOrWhiteSpace(path)) throw Refuse(path, flag, "an empty path names nothing to write");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Refuse(path, flag, $"not a usable path ({e.Message})");
        }
        // Follow links one at a time: a dangling link's target is where the file will be created.
        for (int hops = 0; ; hops++)
        {
            FileSystemInfo info = new FileInfo(full);
            string? target = info.LinkTarget;
            if (target is null) break;
            if (hops == 40) throw Refuse(path, flag, "is a loop of symbolic links");
            full = Path.GetFullPath(target, Path.GetDirectoryName(full)!);
        }
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(full)) > MaxNameBytes)
            throw Refuse(path, flag, $"the name {Path.GetFileName(full)[..20]}... is longer than the {MaxNameBytes} bytes a file system allows");
        return full;
    }

    /// <summary>The folder an output goes into must be a folder, or a new name (it is then created).</summary>
    private static void CheckFolder(string path, string? flag, string folder)
    {
        for (string? dir = folder; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var kind = FileKinds.Of(dir);
            if (kind == FileKind.Directory) return;
            if (kind != FileKind.Missing) throw Refuse(path, flag, $"{dir} {FileKinds.Describe(kind)}, so nothing can be written inside it");
        }
    }

    private static DataException Refuse(string path, string? flag, string what) =>
        new($"{(flag is null ? "" : flag + " ")}{(path.Length == 0 ? "\"\"" : path)}: {what}");
}
