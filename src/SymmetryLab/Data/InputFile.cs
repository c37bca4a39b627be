using SymmetryLab.Serialization;

namespace SymmetryLab.Data;

/// <summary>
/// Opens a data file for reading once, front to back, whatever it is: a regular file, a named pipe or
/// a device (nothing seeks, so a pipe works), gzip or not (told by its first two bytes, not its name;
/// a gzip file must end with its trailer, <see cref="CheckedGzipStream"/>). A folder, a dangling or
/// looping link and a missing file are a <see cref="DataException"/> naming the path.
/// </summary>
internal static class InputFile
{
    /// <summary>
    /// What is at <paramref name="path"/>, when it can be read; otherwise a <see cref="DataException"/> saying why
    /// (<paramref name="what"/> names what a folder there is not: "a data file", "an ONNX file").
    /// </summary>
    public static FileKind Check(string path, string what = "a data file")
    {
        // An empty name ('' in a script whose variable was unset) names nothing; FileInfo would throw on it.
        if (path.Length == 0) throw new DataException($"\"\": an empty name, not {what}");
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
            throw new DataException(new FileInfo(path).LinkTarget is { } target ? $"{path}: a link to {target}, which does not exist" : $"{path}: no such file");
        if (kind == FileKind.Directory) throw new DataException($"{path}: is a folder, not {what}");
        if (kind == FileKind.Unreadable) throw new DataException($"{path}: {FileKinds.Describe(kind)}");
        return kind;
    }

    /// <summary>The file's bytes, decompressed when it is gzip; <paramref name="gzip"/> says which.</summary>
    public static Stream Open(string path, out bool gzip, out long? length)
    {
        var kind = Check(path);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"{path}: no permission to read it");
        }
        length = kind == FileKind.Regular ? file.Length : null;
        var prefix = new byte[2];
        int got = file.ReadAtLeast(prefix, 2, throwOnEndOfStream: false);
        gzip = got == 2 && prefix[0] == 0x1f && prefix[1] == 0x8b;
        Stream whole = new PrefixedStream(prefix.AsMemory(0, got), file);
        return gzip ? new CheckedGzipStream(whole) : whole;
    }

    /// <summary>Bytes already read, then the rest of the stream: the first bytes told the format without seeking back.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ForwardOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            // With the rest in the same read: a StreamReader handed only the first two bytes waits for a third to
            // look for a byte-order mark, and then takes one at the start of its next read (bytes 3 to 5 of the file,
            // U+FEFF inside a header's first names) for the file's own and drops it.
            return n < buffer.Length ? n + rest.Read(buffer[n..]) : n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
