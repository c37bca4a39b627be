using System.Text;
using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// A model file read from its bytes (<see cref="ModelFile.Load{T}"/>) against the same file read as
/// text (<see cref="ModelFile.ReadText"/> then <see cref="ModelFile.Parse{T}(string, string)"/>): the
/// same network bit for bit, or the same refusal, whatever the encoding.
/// </summary>
public class ModelFileEncodingTests
{
    public static TheoryData<string> Encodings() => ["utf8", "utf8-bom", "utf16-bom", "bad-byte-in-meta", "truncated", "not-json"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Bytes_and_text_read_a_file_alike(string encoding)
    {
        var net = TestNets.Random<float>(3, [(4, Activation.Relu), (2, Activation.Softmax)], seed: 4);
        string text = ModelFile.Write(net, "label");
        byte[] bytes = encoding switch
        {
            "utf8" => Encoding.UTF8.GetBytes(text),
            "utf8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            "utf16-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            "bad-byte-in-meta" => Encoding.UTF8.GetBytes(text.Replace("\"label\"", "\"lab\u00ffel\"")).Select(b => b == 0xC3 ? (byte)0xFF : b).ToArray(),
            "truncated" => Encoding.UTF8.GetBytes(text[..(text.Length / 2)]),
            _ => Encoding.UTF8.GetBytes("model: " + text),
        };
        string path = Path.Combine(Path.GetTempPath(), $"symlab-encoding-{encoding}-{Environment.ProcessId}.json");
        File.WriteAllBytes(path, bytes);
        try
        {
            var (fromText, textError) = Try(() => ModelFile.Parse<double>(ModelFile.ReadText(path), path));
            var (fromBytes, bytesError) = Try(() => ModelFile.Load<double>(path));
            Assert.Equal(textError, bytesError);
            if (fromText is null) return;
            Assert.NotNull(fromBytes);
            Assert.Equal(ModelFile.Write(fromText), ModelFile.Write(fromBytes));
            Assert.Equal(fromText.Layers[0].Weights, fromBytes.Layers[0].Weights);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (SymmetryLab.Engine.Network<double>? Network, string? Error) Try(Func<SymmetryLab.Engine.Network<double>> read)
    {
        try
        {
            return (read(), null);
        }
        catch (DataException e)
        {
            return (null, e.Message);
        }
    }
}
