namespace SymmetryLab.Engine.Losses;

/// <summary>The cost J, a mean over the batch (SPEC.md).</summary>
public enum Loss
{
    /// <summary>Binary cross-entropy on a sigmoid output, from the logit z: max(z,0) - z y + ln(1 + e^-|z|).</summary>
    Bce,
    /// <summary>Categorical cross-entropy on a softmax output, from the logits: logsumexp(z) - z_y.</summary>
    Ce,
    /// <summary>Mean over samples and outputs of (a - t)^2.</summary>
    Mse,
}

/// <summary>The losses' names in SPEC.md (<c>--loss</c>, run records).</summary>
public static class LossNames
{
    /// <summary>The SPEC.md name of <paramref name="loss"/>: bce, ce or mse.</summary>
    public static string Name(this Loss loss) => loss switch
    {
        Loss.Bce => "bce",
        Loss.Ce => "ce",
        Loss.Mse => "mse",
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    /// <summary>The loss named <paramref name="name"/> (any case); false for an unknown name.</summary>
    public static bool TryParse(string name, out Loss loss)
    {
        switch (name.ToLowerInvariant())
        {
            case "bce": loss = Loss.Bce; return true;
            case "ce": loss = Loss.Ce; return true;
            case "mse": loss = Loss.Mse; return true;
            default: loss = default; return false;
        }
    }
}
