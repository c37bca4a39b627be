using System.IO.Compression;

namespace SymmetryLab.Data;

/// <summary>
/// A binary data file read front to back in chunks, gzip or not (told by its first two bytes, not its
/// name), that knows how far it has read so that every complaint can say <c>FILE: byte N: ...</c>.
/// For a gzip file N counts bytes of the decompressed content, which is where the format's fields are.
/// </summary>
internal sealed class BinaryInput : IDisposable
{
    private const int ChunkBytes = 1 << 16;
    private readonly Stream _file;
    private readonly Stream _input;

    private BinaryInput(string path, Stream file, Stream input, bool gzip)
    {
        Path = path;
        _file = file;
        _input = input;
        IsGzip = gzip;
    }

    public string Path { get; }
    public bool IsGzip { get; }

    /// <summary>Bytes consumed so far (of the decompressed content for gzip files).</summary>
    public long Position { get; private set; }

    public static BinaryInput Open(string path)
    {
        if (!File.Exists(path)) throw new DataException($"{path}: no such file");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        // GZipStream reads the file in its own chunks; the BufferedStream keeps our many small reads
        // (one image at a time) from each paying the decompressor's call overhead.
        Stream input = gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), ChunkBytes) : file;
        return new BinaryInput(path, file, input, gzip);
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
            throw Error($"the gzip data is corrupt ({e.Message})");
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

    public void Dispose()
    {
        _input.Dispose();
        _file.Dispose();
    }
}
