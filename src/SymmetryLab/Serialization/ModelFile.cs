using System.Globalization;
using System.Text;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Serialization;

/// <summary>
/// The model file of SPEC.md (<c>"format": "symlab-model", "version": 1</c>). Numbers are written in
/// their shortest round-trip form and read back from their exact text in the network's precision, so a
/// file read and written again is byte-identical and weights keep every bit. Anything unexpected is
/// rejected with a <see cref="DataException"/> naming the file and field.
/// </summary>
public static class ModelFile
{
    /// <summary>The model file's <c>format</c> field.</summary>
    public const string Format = "symlab-model";

    /// <summary>The model file's <c>version</c> field: the version of the format written and read.</summary>
    public const int Version = 1;

    /// <summary>
    /// The model file text of <paramref name="network"/>, with its precision recorded and, when given, the
    /// name of the target column it was trained on (<c>meta.target</c>, so predict reads the same columns).
    /// </summary>
    public static string Write<T>(Network<T> network, string? target = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Write(network, target is null ? [] : [new KeyValuePair<string, string>("target", target)]);

    /// <summary>
    /// The model file text of <paramref name="network"/> with <paramref name="meta"/> as its <c>meta</c> object
    /// (string fields in the order given: <c>target</c>, or an imported file's <c>producer</c> and
    /// <c>producerVersion</c>); no <c>meta</c> when empty.
    /// </summary>
    public static string Write<T>(Network<T> network, IReadOnlyList<KeyValuePair<string, string>> meta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var normalization = network.Normalization is { } norm
            ? new InlineObject([new("mean", NumberRow.Of(norm.Mean).Text()), new("std", NumberRow.Of(norm.Std).Text())])
            : null;
        var document = new ModelDocument(Format, Version, PrecisionName<T>(), network.Inputs, normalization, meta.Count > 0 ? InlineObject.OfStrings(meta) : null,
            [.. network.Layers.Select(l => new LayerDocument(l.Activation.Name(), new NumberRows(l.Weights, l.Units, l.Inputs), NumberRow.Of(l.Biases)))]);
        return JsonSerializer.Serialize(document, ModelJsonContext.Default.ModelDocument) + "\n";
    }

    /// <summary>"float32" for float, "float64" for double: the model file's <c>precision</c>.</summary>
    public static string PrecisionName<T>() => typeof(T) == typeof(float) ? "float32" : "float64";

    /// <summary>Shortest text that parses back to the same bits in T ("R" round-trip).</summary>
    public static string Number<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> =>
        value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes atomically: a temporary file beside <paramref name="path"/>, then a rename.</summary>
    public static void Save<T>(Network<T> network, string path) where T : unmanaged, IFloatingPointIeee754<T> =>
        AtomicFile.WriteAllText(path, Write(network));

    /// <summary>Model files larger than this are refused before they are read (a link to /dev/zero, say).</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>Reads and validates a model file into a network of precision <typeparamref name="T"/>.</summary>
    public static Network<T> Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T> => Read<T>(ReadBytes(path), path).Network;

    /// <summary>
    /// The text of a model file, read once (it may be a pipe, <c>&lt;(cat model.json)</c>, which cannot be read
    /// twice: read it here, then take the precision, the target and the network from the text). A missing
    /// file, a folder or more than <see cref="MaxBytes"/> is a <see cref="DataException"/> naming it.
    /// </summary>
    public static string ReadText(string path) => Decode(ReadBytes(path));

    /// <summary>Bytes as a text reader decodes them: UTF-8 unless a byte-order mark says otherwise, a bad byte as U+FFFD.</summary>
    private static string Decode(ArraySegment<byte> bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count));
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The bytes of a model file, read once: a missing file, a folder or more than <see cref="MaxBytes"/>
    /// is a <see cref="DataException"/> naming it. Handing the UTF-8 to the JSON reader as it is skips
    /// decoding 9 MB into a string only for the reader to encode it back.
    /// </summary>
    private static ArraySegment<byte> ReadBytes(string path)
    {
        InputFile.Check(path, "a model file (name its model.json)");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var bytes = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length, MaxBytes) + 1 : 1 << 16);
            var buffer = new byte[1 << 16];
            int got;
            while ((got = stream.Read(buffer)) > 0)
            {
                bytes.Write(buffer, 0, got);
                if (bytes.Length > MaxBytes) throw new DataException($"{path}: over {MaxBytes >> 20} MB, larger than any model file this program writes");
            }
            return new ArraySegment<byte>(bytes.GetBuffer(), 0, (int)bytes.Length);
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"{path}: no permission to read it");
        }
    }

    /// <summary>Whether a model file's text names its precision (files from elsewhere may not; they are read in float64).</summary>
    public static bool RecordsPrecision(string json)
    {
        if (PrecisionInHead(json) is not null) return true;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("precision", out _);
        }
        catch (JsonException)
        {
            return true; // not JSON: loading it reports why
        }
    }

    /// <summary>The precision a model file records (float64 when it says none, so no digit is lost).</summary>
    public static string ReadPrecision(string path) => PrecisionOf(ReadText(path));

    /// <summary>The precision a model file's text records (float64 when it says none; float32 when it is not JSON, whose error Parse reports).</summary>
    public static string PrecisionOf(string json)
    {
        if (PrecisionInHead(json) is { } early) return early;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("precision", out var p) && p.ValueKind == JsonValueKind.String
                && p.GetString() is "float32" or "float64" ? p.GetString()! : "float64"; // a file from elsewhere: float64 keeps every digit it wrote
        }
        catch (JsonException)
        {
            return "float32";
        }
    }

    /// <summary>
    /// The precision a model file's text records, from its first few thousand characters alone when they
    /// hold the top-level field (this program writes it third, after format and version): predict and
    /// train then parse the file once, not twice. Null when the head does not settle it (no such field
    /// there, or the head is not valid JSON so far): the whole text decides.
    /// </summary>
    private static string? PrecisionInHead(string json)
    {
        const int Head = 4096;
        if (json.Length <= Head) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json, 0, Head), isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType != JsonTokenType.PropertyName) continue;
                if (!reader.ValueTextEquals("precision"u8)) continue;
                if (!reader.Read()) return null;
                return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("float32"u8) ? "float32" : "float64";
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>
    /// A model file as <c>symlab compare</c> reads it: its text read once, the network in double (every
    /// float32 weight is exact there) and the precision the file records.
    /// </summary>
    internal static (Network<double> Network, string Precision) ReadInDouble(string path)
    {
        var (network, float32) = Read<double>(ReadBytes(path), path);
        return (network, float32 ? "float32" : "float64");
    }

    /// <summary>The target column name a model file records in <c>meta.target</c>, if any.</summary>
    public static string? ReadTarget(string path) => TargetOf(ReadText(path));

    /// <summary>The target column name a model file's text records in <c>meta.target</c>, if any.</summary>
    public static string? TargetOf(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("meta", out var meta)
                && meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("target", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The string fields of a model file's <c>meta</c> object, in file order (fields of other kinds are left
    /// out); empty when it has none. The file is assumed valid (read it with <see cref="Load{T}"/> first).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadMeta(string path)
    {
        try
        {
            return MetaOf(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>The string fields of the <c>meta</c> object of a model file's text (see <see cref="ReadMeta"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> MetaOf(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
                return [];
            return meta.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The network in model file text <paramref name="json"/>, in precision <typeparamref name="T"/>; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="DataException">Malformed text; names the file and field.</exception>
    public static Network<T> Parse<T>(string json, string file) where T : unmanaged, IFloatingPointIeee754<T> => Read<T>(json, file).Network;

    /// <summary>
    /// <see cref="Parse{T}(string, string)"/>, and whether the file records float32 (from the same reading:
    /// a second parse of a model's million numbers only to find its precision took 40% as long again).
    /// </summary>
    private static (Network<T> Network, bool Float32) Read<T>(string json, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Utf8OrNull(json) is { } utf8 && StreamingModelReader.TryRead<T>(utf8) is { } read) return read;
        return ThroughDocument<T>(json, file);
    }

    /// <summary>
    /// <see cref="Read{T}(string, string)"/> through a <see cref="JsonDocument"/> alone: the reader of any
    /// layout, and the words of every refusal (tests hold <see cref="StreamingModelReader"/> to it).
    /// </summary>
    internal static (Network<T> Network, bool Float32) ThroughDocument<T>(string json, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            throw new DataException($"{file}: not valid JSON{Where(json, e)}");
        }
        using (doc) return Read<T>(doc, file);
    }

    /// <summary>The text as UTF-8; null when it holds a lone surrogate (the document reader decides what such text is).</summary>
    private static byte[]? Utf8OrNull(string text)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonDocumentOptions Strict = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, AllowDuplicateProperties = false };

    /// <summary>
    /// <see cref="Read{T}(string, string)"/> from the file's bytes: valid UTF-8 (a byte-order mark left out)
    /// is parsed as it is; anything else, or bytes that are not valid JSON, go through the text as
    /// <see cref="ReadText"/> decodes it, so the file reads, or is refused with the same words, either way.
    /// </summary>
    private static (Network<T> Network, bool Float32) Read<T>(ArraySegment<byte> bytes, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var utf8 = bytes.AsMemory();
        if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        if (System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            // The layout this program writes, in one pass; anything else through the document.
            if (StreamingModelReader.TryRead<T>(utf8.Span) is { } read) return read;
            JsonDocument? doc = null;
            try
            {
                doc = JsonDocument.Parse(utf8, Strict);
            }
            catch (JsonException)
            {
            }
            if (doc is not null)
                using (doc) return Read<T>(doc, file);
        }
        return ThroughDocument<T>(Decode(bytes), file);
    }

    private static (Network<T> Network, bool Float32) Read<T>(JsonDocument doc, string file) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Field(file, "(top level)", "must be an object");
        var known = new HashSet<string> { "format", "version", "precision", "inputs", "normalization", "layers", "meta" };
        foreach (var p in root.EnumerateObject())
            if (!known.Contains(p.Name)) throw Field(file, p.Name, "is not a field of a symlab model");
        string format = String(root, "format", file);
        if (format != Format) throw Field(file, "format", $"is '{format}', expected '{Format}'");
        int version = Integer(root, "version", file);
        if (version != Version) throw Field(file, "version", $"is {version}; this symlab reads version {Version}");
        if (root.TryGetProperty("precision", out var prec) && (prec.ValueKind != JsonValueKind.String || prec.GetString() is not ("float32" or "float64")))
            throw Field(file, "precision", "must be \"float32\" or \"float64\"");
        // A float32 file's numbers are float32 numbers, whatever precision reads them (inspect reads in float64).
        bool float32 = prec.ValueKind == JsonValueKind.String && prec.GetString() == "float32";
        int inputs = Integer(root, "inputs", file);
        if (inputs < 1) throw Field(file, "inputs", "must be at least 1");
        if (!root.TryGetProperty("layers", out var layersEl) || layersEl.ValueKind != JsonValueKind.Array || layersEl.GetArrayLength() == 0)
            throw Field(file, "layers", "must be a non-empty array");

        var specs = new List<(int Units, Activation Activation)>();
        int fanIn = inputs, index = 0, count = layersEl.GetArrayLength();
        foreach (var layer in layersEl.EnumerateArray())
        {
            string at = $"layers[{index}]";
            if (layer.ValueKind != JsonValueKind.Object) throw Field(file, at, "must be an object");
            foreach (var p in layer.EnumerateObject())
                if (p.Name is not ("activation" or "weights" or "biases")) throw Field(file, $"{at}.{p.Name}", "is not a field of a layer");
            string name = String(layer, "activation", file, at);
            if (!ActivationNames.TryParse(name, out var activation))
                throw Field(file, $"{at}.activation", $"'{name}' is unknown (known: {string.Join(", ", ActivationNames.All)})");
            if (activation == Activation.Softmax && index < count - 1)
                throw Field(file, $"{at}.activation", "softmax is for the output layer only");
            if (!layer.TryGetProperty("weights", out var w) || w.ValueKind != JsonValueKind.Array || w.GetArrayLength() == 0)
                throw Field(file, $"{at}.weights", "must be a non-empty array of rows");
            int units = w.GetArrayLength();
            int row = 0;
            foreach (var r in w.EnumerateArray())
            {
                if (r.ValueKind != JsonValueKind.Array || r.GetArrayLength() != fanIn)
                    throw Field(file, $"{at}.weights[{row}]", $"must be a row of {fanIn} numbers (one per {(index == 0 ? "input" : $"unit of layer {index}")})");
                row++;
            }
            if (!layer.TryGetProperty("biases", out var b) || b.ValueKind != JsonValueKind.Array || b.GetArrayLength() != units)
                throw Field(file, $"{at}.biases", $"must be an array of {units} numbers (one per unit)");
            specs.Add((units, activation));
            fanIn = units;
            index++;
        }

        var network = new Network<T>(inputs, specs);
        index = 0;
        foreach (var layer in layersEl.EnumerateArray())
        {
            string at = $"layers[{index}]";
            var target = network.Layers[index];
            int j = 0;
            foreach (var r in layer.GetProperty("weights").EnumerateArray())
            {
                int i = 0;
                foreach (var v in r.EnumerateArray())
                {
                    if (!TryRead(v, float32, out target.Weights[j * target.Inputs + i])) throw NotANumber<T>(v, file, $"{at}.weights[{j}][{i}]", float32);
                    i++;
                }
                j++;
            }
            j = 0;
            foreach (var v in layer.GetProperty("biases").EnumerateArray())
            {
                if (!TryRead(v, float32, out target.Biases[j])) throw NotANumber<T>(v, file, $"{at}.biases[{j}]", float32);
                j++;
            }
            index++;
        }

        if (root.TryGetProperty("normalization", out var norm) && norm.ValueKind != JsonValueKind.Null)
        {
            if (norm.ValueKind != JsonValueKind.Object) throw Field(file, "normalization", "must be an object with mean and std");
            var mean = Vector(norm, "mean", inputs, file);
            var std = Vector(norm, "std", inputs, file);
            for (int i = 0; i < std.Length; i++)
                if (!(std[i] >= MinStd)) throw Field(file, $"normalization.std[{i}]", $"is {std[i]}; it must be at least {MinStd:G} (dividing by less turns ordinary inputs into infinity)");
            network.Normalization = new Normalization(mean, std);
        }
        return (network, float32);
    }

    /// <summary>The smallest standard deviation a normalization may divide by.</summary>
    public const double MinStd = 1e-100;

    private static DataException Field(string file, string field, string what) => new($"{file}: field {field} {what}");

    /// <summary>" at line L, column C: what is there", in our words (the reader's own text speaks of its options).</summary>
    private static string Where(string json, JsonException e)
    {
        // A repeated name is found after parsing, with no position: name the field.
        if (System.Text.RegularExpressions.Regex.Match(e.Message, "[Dd]uplicate property '([^']*)'") is { Success: true } duplicate)
            return $": the field {duplicate.Groups[1].Value} appears twice";
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } bytes) return "";
        var lines = json.Split('\n');
        if (line >= lines.Length) return $" at line {line + 1}";
        byte[] text = System.Text.Encoding.UTF8.GetBytes(lines[line]);
        int at = (int)Math.Min(bytes, text.Length);
        string before = System.Text.Encoding.UTF8.GetString(text, 0, at), rest = System.Text.Encoding.UTF8.GetString(text, at, text.Length - at);
        string where = $" at line {line + 1}, column {before.Length + 1}";
        // What came before, across line breaks: a comma right before a closing bracket is a trailing comma.
        string sofar = string.Join('\n', lines.Take((int)line).Append(before)).TrimEnd();
        char? next = rest.TrimStart() is { Length: > 0 } r ? r[0] : null;
        if (sofar.EndsWith(',') && next is '}' or ']') return $"{where}: a comma before '{next}' (JSON allows no comma after the last item)";
        if (next is null && line >= lines.Length - 1) return $"{where}: the text ends before the JSON does";
        return next is { } c ? $"{where}: unexpected '{c}'" : where;
    }

    private static string String(JsonElement obj, string name, string file, string? at = null)
    {
        string field = at is null ? name : $"{at}.{name}";
        if (!obj.TryGetProperty(name, out var v)) throw Field(file, field, "is missing");
        if (v.ValueKind != JsonValueKind.String) throw Field(file, field, "must be a string");
        return v.GetString()!;
    }

    private static int Integer(JsonElement obj, string name, string file)
    {
        if (!obj.TryGetProperty(name, out var v)) throw Field(file, name, "is missing");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n)) throw Field(file, name, "must be an integer");
        return n;
    }

    private static double[] Vector(JsonElement obj, string name, int length, string file)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != length)
            throw Field(file, $"normalization.{name}", $"must be an array of {length} numbers (one per input)");
        var result = new double[length];
        int i = 0;
        foreach (var e in v.EnumerateArray())
        {
            if (!TryRead(e, float32: false, out result[i])) throw NotANumber<double>(e, file, $"normalization.{name}[{i}]");
            i++;
        }
        return result;
    }

    /// <summary>
    /// A number of the file in T (<see cref="DecimalText.TryParseFinite"/>), from the UTF-8 bytes in place:
    /// a model of a million weights is read without a string per number. The caller names the field only
    /// when this fails.
    /// </summary>
    private static bool TryRead<T>(JsonElement v, bool float32, out T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        value = T.Zero;
        return v.ValueKind == JsonValueKind.Number && DecimalText.TryParseFinite(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(v), float32, out value);
    }

    private static DataException NotANumber<T>(JsonElement v, string file, string field, bool float32 = false) where T : unmanaged, IFloatingPointIeee754<T> =>
        v.ValueKind != JsonValueKind.Number
            ? Field(file, field, $"must be a number, not {v.ValueKind.ToString().ToLowerInvariant()}")
            : Field(file, field, $"is {v.GetRawText()}, not a finite {(float32 ? PrecisionName<float>() : PrecisionName<T>())} number");
}
