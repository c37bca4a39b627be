using System.Globalization;
using System.Text.RegularExpressions;
using SymmetryLab.Engine;

namespace SymmetryLab.Web.State;

/// <summary>
/// The weights a learner set by hand, applied to a network at its start: first every edit (the exact value
/// parsed in the network's precision, so it keeps every digit typed), then every tie in order (the target
/// takes the source's value: a weight or bias, or a whole unit's incoming weights, bias and outgoing weights).
/// </summary>
internal static partial class HandSetWeights
{
    public static void Apply<T>(Network<T> network, PlaygroundState s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tiedTargets = new Dictionary<string, string>();
        var order = new List<(string To, string From)>(); // ties apply in the order given (a chain a -> b -> c copies a's value on)
        for (int i = 0; i < s.Ties.Length; i++)
        {
            var tie = s.Ties[i];
            string to = Canonical(tie.To, $"ties[{i}].to", network), from = Canonical(tie.From, $"ties[{i}].from", network);
            if (to == from) throw new FieldException($"ties[{i}].to", $"ties[{i}]: {tie.From} cannot be tied to itself");
            if ((to[0] == 'u') != (from[0] == 'u')) throw new FieldException($"ties[{i}].to", $"ties[{i}]: a unit ties to a unit, a weight or bias to a weight or bias ({tie.From}, {tie.To})");
            if (tiedTargets.ContainsKey(to)) throw new FieldException($"ties[{i}].to", $"ties[{i}]: {to} is already tied to {tiedTargets[to]}");
            if (to[0] == 'u' && UnitOf(to).Layer != UnitOf(from).Layer) throw new FieldException($"ties[{i}].to", $"ties[{i}]: units {from} and {to} are in different layers");
            tiedTargets[to] = from;
            order.Add((to, from));
        }
        for (int i = 0; i < s.Edits.Length; i++)
        {
            var edit = s.Edits[i];
            var p = Parameter(edit.Param, $"edits[{i}].param", network);
            string name = p.ToString();
            if (tiedTargets.TryGetValue(name, out var source) || tiedTargets.TryGetValue(UnitName(p), out source) || (p.Layer > 1 && !p.IsBias && tiedTargets.TryGetValue($"u{p.Layer - 1}[{p.Input}]", out source)))
                throw new FieldException($"edits[{i}].param", $"edits[{i}]: {name} is tied to {source}: edit {source}, or untie them");
            if (!T.TryParse(edit.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
                throw new FieldException($"edits[{i}].value", $"edits[{i}].value: '{edit.Value}' is not a finite {(typeof(T) == typeof(float) ? "float32" : "float64")} number");
            var (values, _, index) = p.Locate(network);
            values[index] = value;
        }
        foreach (var (to, from) in order)
        {
            if (to[0] != 'u')
            {
                Set(network, Parameter(to, "ties", network), Get(network, Parameter(from, "ties", network)));
                continue;
            }
            var (layer, a) = UnitOf(from);
            var (_, b) = UnitOf(to);
            var l = network.Layers[layer - 1];
            l.Weights.AsSpan((a - 1) * l.Inputs, l.Inputs).CopyTo(l.Weights.AsSpan((b - 1) * l.Inputs, l.Inputs));
            l.Biases[b - 1] = l.Biases[a - 1];
            if (layer < network.Layers.Count)
            {
                var next = network.Layers[layer];
                for (int k = 0; k < next.Units; k++) next.Weights[k * next.Inputs + b - 1] = next.Weights[k * next.Inputs + a - 1];
            }
        }
    }

    private static T Get<T>(Network<T> n, ParameterRef p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (values, _, index) = p.Locate(n);
        return values[index];
    }

    private static void Set<T>(Network<T> n, ParameterRef p, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (values, _, index) = p.Locate(n);
        values[index] = value;
    }

    /// <summary>A weight or bias of the network, or the field's message (as <c>symlab explain --weight</c> words it).</summary>
    public static ParameterRef Parameter<T>(string text, string field, Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!ParameterRef.TryParse(text, out var p))
            throw new FieldException(field, $"{field} {text}: expected a weight like W1[2,1] or W1:2:1 (layer, unit, input; from 1) or a bias like b2[1] or b2:1");
        if (!p.Fits(network, out string? why)) throw new FieldException(field, $"{field} {text}: {why}");
        return p;
    }

    /// <summary><c>u1[2]</c> (or <c>u1:2</c>) is unit 2 of layer 1, numbered as in SPEC.md.</summary>
    [GeneratedRegex(@"^u(?<layer>\d+)(?:\[(?<unit>\d+)\]|:(?<unit>\d+))$")]
    private static partial Regex UnitPattern();

    private static (int Layer, int Unit) UnitOf(string canonical)
    {
        var m = UnitPattern().Match(canonical);
        return (int.Parse(m.Groups["layer"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["unit"].Value, CultureInfo.InvariantCulture));
    }

    private static string UnitName(ParameterRef p) => $"u{p.Layer}[{p.Unit}]";

    /// <summary>A weight, bias or unit in one spelling (<c>W1[2,1]</c>, <c>b1[2]</c>, <c>u1[2]</c>), checked against the network.</summary>
    private static string Canonical<T>(string text, string field, Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = UnitPattern().Match(text.Trim());
        if (!m.Success) return Parameter(text, field, network).ToString();
        if (!int.TryParse(m.Groups["layer"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int layer) || !int.TryParse(m.Groups["unit"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int unit))
            throw new FieldException(field, $"{field} {text}: not a unit");
        if (layer < 1 || layer > network.Layers.Count) throw new FieldException(field, $"{field} {text}: the network has layers 1 to {network.Layers.Count}");
        if (unit < 1 || unit > network.Layers[layer - 1].Units) throw new FieldException(field, $"{field} {text}: layer {layer} has units 1 to {network.Layers[layer - 1].Units}");
        return $"u{layer}[{unit}]";
    }
}
