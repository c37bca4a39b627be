using System.Globalization;
using System.Text.RegularExpressions;

namespace SymmetryLab.Engine;

/// <summary>
/// One parameter in SPEC.md notation, 1-based: <c>W1[2,1]</c> (or <c>W1:2:1</c>) is the weight from
/// input 1 to unit 2 of layer 1; <c>b2[1]</c> (or <c>b2:1</c>) is the bias of unit 1 of layer 2.
/// </summary>
/// <param name="Layer">The layer, 1-based (1: the first hidden layer).</param>
/// <param name="Unit">The unit of that layer, 1-based.</param>
/// <param name="Input">The input of that unit, 1-based, for a weight; null for the bias.</param>
public readonly partial record struct ParameterRef(int Layer, int Unit, int? Input)
{
    /// <summary>Whether it names a bias (no input).</summary>
    public bool IsBias => Input is null;

    /// <summary>SPEC.md notation: <c>W1[2,1]</c> or <c>b2[1]</c>.</summary>
    public override string ToString() => IsBias ? $"b{Layer}[{Unit}]" : $"W{Layer}[{Unit},{Input}]";

    /// <summary>Parses <c>W1[2,1]</c>, <c>W1:2:1</c>, <c>b2[1]</c> or <c>b2:1</c> (indices from 1); false for anything else.</summary>
    public static bool TryParse(string text, out ParameterRef parameter)
    {
        parameter = default;
        var m = Pattern().Match(text.Trim());
        if (!m.Success) return false;
        // A number too large for an index (W1[99999999999,1]) names no parameter: false, not an overflow.
        if (!Index(m.Groups["layer"].Value, out int layer) || !Index(m.Groups["unit"].Value, out int unit)) return false;
        bool weight = m.Groups["kind"].Value is "W" or "w";
        if (weight != m.Groups["input"].Success) return false;
        int? input = null;
        if (weight)
        {
            if (!Index(m.Groups["input"].Value, out int i)) return false;
            input = i;
        }
        if (layer < 1 || unit < 1 || input is < 1) return false;
        parameter = new ParameterRef(layer, unit, input);
        return true;
    }

    private static bool Index(string digits, out int value) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"^(?<kind>[Wwb])(?<layer>\d+)(?:\[(?<unit>\d+)(?:,\s*(?<input>\d+))?\]|:(?<unit>\d+)(?::(?<input>\d+))?)$")]
    private static partial Regex Pattern();

    /// <summary>Whether it names a parameter of <paramref name="network"/>; if not, says why.</summary>
    public bool Fits<T>(Network<T> network, out string? why) where T : unmanaged, IFloatingPointIeee754<T>
    {
        why = null;
        if (Layer > network.Layers.Count) why = $"the network has layers 1 to {network.Layers.Count}";
        else if (Unit > network.Layers[Layer - 1].Units) why = $"layer {Layer} has units 1 to {network.Layers[Layer - 1].Units}";
        else if (Input > network.Layers[Layer - 1].Inputs) why = $"units of layer {Layer} have inputs 1 to {network.Layers[Layer - 1].Inputs}";
        return why is null;
    }

    /// <summary>The storage behind it: the array and the index.</summary>
    public (T[] Values, T[] Gradients, int Index) Locate<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = network.Layers[Layer - 1];
        return IsBias
            ? (layer.Biases, layer.BiasGradients, Unit - 1)
            : (layer.Weights, layer.WeightGradients, (Unit - 1) * layer.Inputs + Input!.Value - 1);
    }

    /// <summary>Every parameter of a network, layer by layer, weights row by row, then biases.</summary>
    public static IEnumerable<ParameterRef> All<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            for (int j = 1; j <= layer.Units; j++)
                for (int i = 1; i <= layer.Inputs; i++) yield return new ParameterRef(l + 1, j, i);
            for (int j = 1; j <= layer.Units; j++) yield return new ParameterRef(l + 1, j, null);
        }
    }
}
