using System.Text.Json;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// The precision a model file's text records, which predict and train read before the network: from
/// the file's head when the top-level field is there (a model's million numbers are not parsed twice),
/// and always what the whole document says, checked here against JsonDocument read in the test.
/// </summary>
public class ModelPrecisionTests
{
    /// <summary>Numbers enough to put the rest of the file past the head.</summary>
    private static readonly string Filler = "[" + string.Join(", ", Enumerable.Range(0, 2000).Select(i => (i * 0.001).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";

    public static TheoryData<string, string> Texts => new()
    {
        // As this program writes them: the field third, in the head.
        { "written float32", ModelFile.Write(TestNets.Random<float>(30, [(40, Activation.Tanh), (2, Activation.Softmax)], seed: 1)) },
        { "written float64", ModelFile.Write(TestNets.Random<double>(30, [(40, Activation.Tanh), (2, Activation.Softmax)], seed: 2)) },
        // From elsewhere: no field, the field past the head, odd values, a field of that name nested.
        { "no precision", $$$"""{"format": "symlab-model", "version": 1, "inputs": 1, "layers": [], "meta": {"x": {{{Filler}}}}}""" },
        { "past the head", $$$"""{"format": "symlab-model", "meta": {"x": {{{Filler}}}}, "precision": "float32"}""" },
        { "float16 in the head", $$$"""{"precision": "float16", "meta": {"x": {{{Filler}}}}}""" },
        { "a number in the head", $$$"""{"precision": 32, "meta": {"x": {{{Filler}}}}}""" },
        { "escaped in the head", $$$"""{"precision": "float\u0033\u0032", "meta": {"x": {{{Filler}}}}}""" },
        { "nested in the head, float64 after", $$$"""{"meta": {"precision": "float32"}, "x": {{{Filler}}}, "precision": "float64"}""" },
        { "nested in the head, none at the top", $$$"""{"meta": {"precision": "float32"}, "x": {{{Filler}}}}""" },
        { "not JSON past the head", $$$"""{"precision": "float64", "x": {{{Filler}}}, oops}""" },
        { "not JSON in the head", $$$"""{"precision" "float64", "x": {{{Filler}}}}""" },
        { "an array at the top", $$$"""[{"precision": "float64"}, {{{Filler}}}]""" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_precision_read_is_the_one_the_document_records(string what, string text)
    {
        Assert.True(text.Length > 4096, $"{what}: {text.Length} characters, within the head");
        var (expected, records) = FromTheWholeDocument(text);
        if (what == "not JSON past the head")
        {
            // The head settles it; the file is refused when read, in either precision, with the same words.
            Assert.Equal("float64", ModelFile.PrecisionOf(text));
            Assert.Equal(Refusal<float>(text), Refusal<double>(text));
            return;
        }
        Assert.Equal(expected, ModelFile.PrecisionOf(text));
        Assert.Equal(records, ModelFile.RecordsPrecision(text));
    }

    /// <summary>What the whole text says, read independently: float32 when it is not JSON (its reading reports why).</summary>
    private static (string Precision, bool Records) FromTheWholeDocument(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("precision", out var p)) return ("float64", false);
            return (p.ValueKind == JsonValueKind.String && p.GetString() == "float32" ? "float32" : "float64", true);
        }
        catch (JsonException)
        {
            return ("float32", true);
        }
    }

    private static string Refusal<T>(string text) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Assert.Throws<SymmetryLab.Data.DataException>(() => ModelFile.Parse<T>(text, "m.json")).Message;
}
