using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace SymmetryLab.Data;

/// <summary>
/// The decompressed content of a gzip file that must end with its trailer: at the end of the data the
/// CRC-32 and length of what was decompressed are compared with the last 8 bytes of the file, so a
/// file cut short is an error even where the cut falls on a deflate block boundary (there .NET's
/// GZipStream just reports the end of the data: 10,594 of 20,000 rows were taken for the whole file).
/// </summary>
/// <remarks>
/// One gzip member (what gzip, pigz and Python write); a file of several concatenated members is
/// reported as not ending with its trailer. Errors are <see cref="InvalidDataException"/>, as GZipStream's.
/// </remarks>
internal sealed class CheckedGzipStream : ForwardOnlyStream
{
    private readonly TailStream _file;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _checked;

    public CheckedGzipStream(Stream file, bool leaveOpen = false)
    {
        _file = new TailStream(file, leaveOpen);
        _gzip = new GZipStream(_file, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        int got = _gzip.Read(buffer);
        if (got > 0)
        {
            _crc.Append(buffer[..got]);
            _length += got;
        }
        else if (buffer.Length > 0 && !_checked)
        {
            _checked = true;
            CheckTrailer();
        }
        return got;
    }

    private void CheckTrailer()
    {
        // GZipStream may stop reading the file before its end: drain it so the tail is the file's last bytes.
        Span<byte> rest = stackalloc byte[512];
        long extra = 0;
        int n;
        while ((n = _file.Read(rest)) > 0) extra += n;
        var tail = _file.Tail;
        bool whole = _file.Seen >= 18 && BinaryPrimitives.ReadUInt32LittleEndian(tail) == _crc.GetCurrentHashAsUInt32()
            && BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]) == (uint)_length;
        if (!whole)
            throw new InvalidDataException(extra > 0
                ? "the gzip data ends before the file does (several gzip members, or junk after the data)"
                : "the gzip data ends without its trailer (CRC and length): the file is truncated");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Passes a stream through, remembering its last 8 bytes and how many bytes went by.</summary>
    private sealed class TailStream(Stream inner, bool leaveOpen) : ForwardOnlyStream
    {
        private readonly byte[] _tail = new byte[8];

        public long Seen { get; private set; }

        /// <summary>The last 8 bytes read, oldest first.</summary>
        public ReadOnlySpan<byte> Tail
        {
            get
            {
                var ordered = new byte[8];
                for (int i = 0; i < 8; i++) ordered[i] = _tail[(Seen + i) % 8];
                return ordered;
            }
        }

        public override int Read(Span<byte> buffer)
        {
            int got = inner.Read(buffer);
            for (int i = Math.Max(0, got - 8); i < got; i++) _tail[(Seen + i) % 8] = buffer[i];
            Seen += got;
            return got;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
