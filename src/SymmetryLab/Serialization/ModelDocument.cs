namespace SymmetryLab.Serialization;

/// <summary>
/// The model file of SPEC.md as records, serialized by <see cref="ModelJsonContext"/> (System.Text.Json
/// source generation): the fields in the file's order, <c>normalization</c> and <c>meta</c> left out when
/// absent. The numbers keep the file's compact layout (a row of weights on one line) through
/// <see cref="NumberRow"/>, <see cref="NumberRows"/> and <see cref="InlineObject"/>.
/// </summary>
internal sealed record ModelDocument(string Format, int Version, string Precision, int Inputs, InlineObject? Normalization, InlineObject? Meta, IReadOnlyList<LayerDocument> Layers);

/// <summary>One layer of <see cref="ModelDocument"/>: its activation's name, weights (a row per unit) and biases.</summary>
internal sealed record LayerDocument(string Activation, NumberRows Weights, NumberRow Biases);
