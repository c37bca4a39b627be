namespace SymmetryLab.Data;

/// <summary>
/// A binary data file read front to back in chunks, gzip or not (told by its first two bytes, not its
/// name), that knows how far it has read so that every complaint can say <c>FILE: byte N: ...</c>.
/// For a gzip file N counts bytes of the decompressed content, which is where the format's fields are.
/// </summary>
internal sealed class BinaryInput : IDisposable
{
    private const int ChunkBytes = 1 << 16;
    private readonly Stream _input;

    private BinaryInput(string path, Stream input, bool gzip, long? length)
    {
        Path = path;
        _input = input;
        IsGzip = gzip;
        FileLength = length;
    }

    public string Path { get; }
    public bool IsGzip { get; }

    /// <summary>The bytes the content has, when known before reading (a regular file, not compressed): headers are checked against it.</summary>
    public long? FileLength { get; }

    /// <summary>Bytes consumed so far (of the decompressed content for gzip files).</summary>
    public long Position { get; private set; }

    public static BinaryInput Open(string path)
    {
        var stream = InputFile.Open(path, out bool gzip, out long? length);
        // GZipStream reads the file in its own chunks; the BufferedStream keeps our many small reads
        // (one image at a time) from each paying the decompressor's call overhead.
        return new BinaryInput(path, gzip ? new BufferedStream(stream, ChunkBytes) : stream, gzip, gzip ? null : length);
    }

    /// <summary>
    /// Refuses a header that announces more bytes than the file has (before anything that size is
    /// allocated), or more values than a data set may hold.
    /// </summary>
    /// <remarks><paramref name="endsAt"/> says where among the items the file's length falls (the message a read to the end would give).</remarks>
    public void CheckAnnounced(long bytes, long values, string what, long at, Func<long, string> endsAt)
    {
        if (FileLength is { } length && bytes > length)
            throw Error($"file ends after {length} bytes, {endsAt(length)}; the file is truncated (the header at byte {at} announces {what}, {bytes:N0} bytes in all)", length);
        DataLimits.CheckValues($"{Path}: byte {at}: {what}", values);
    }

    /// <summary>
    /// Where data cut after <paramref name="bytes"/> bytes of <paramref name="count"/> items of
    /// <paramref name="itemBytes"/> bytes ends: "in the middle of item 5 of 10 (3 of its 6 bytes there)",
    /// or, on an item's boundary, "after item 4 of 10" (a cut there is in the middle of nothing).
    /// </summary>
    public static string EndsAmong(long bytes, long itemBytes, long count, string item)
    {
        long whole = bytes / itemBytes, part = bytes % itemBytes;
        if (part != 0) return $"in the middle of {item} {whole + 1} of {count} ({part} of its {itemBytes} bytes there)";
        return whole == 0 ? $"before {item} 1 of {count}" : $"after {item} {whole} of {count}";
    }

    /// <summary>"FILE: byte N: what" at the current position (or at <paramref name="at"/>).</summary>
    public DataException Error(string what, long? at = null) =>
        new($"{Path}: byte {at ?? Position}{(IsGzip ? " (decompressed)" : "")}: {what}");

    /// <summary>Fills <paramref name="buffer"/> or throws a truncation error that names <paramref name="what"/>.</summary>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        int got = Read(buffer);
        if (got < buffer.Length)
            throw Error($"file ends after {Position} bytes, in the middle of {what} ({got} of {buffer.Length} bytes there); the file is truncated");
    }

    /// <summary>Reads as much as is there, up to the buffer's length; fewer only at the end of the file.</summary>
    public int Read(Span<byte> buffer)
    {
        int got;
        try
        {
            got = _input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw Error(e.Message.Contains("truncated") || e.Message.Contains("ends") ? e.Message : $"the gzip data is corrupt ({e.Message})");
        }
        Position += got;
        return got;
    }

    /// <summary>Fails when anything follows the data the header announced: a wrong header is likelier than junk.</summary>
    public void ExpectEnd(string what)
    {
        Span<byte> one = stackalloc byte[1];
        if (Read(one) != 0) throw Error($"extra bytes after {what}; the header does not describe this file", Position - 1);
    }

    public void Dispose() => _input.Dispose();
}
