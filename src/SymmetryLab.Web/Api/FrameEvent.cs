using System.Text.Json.Serialization;

namespace SymmetryLab.Web.Api;

/// <summary>
/// The "frame" event: the run at one step in its precision <typeparamref name="T"/>: per layer the weights,
/// biases and last gradients, the groups of identical and interchangeable units and the step its symmetry
/// broke, the heat maps over the plane (base64, one byte a cell), the output's map, the distinct units at
/// the start and each change since, the loss and accuracy when they were measured for this frame (null
/// otherwise) and the last finished epoch.
/// </summary>
internal sealed record FrameEvent<T>(
    int Generation, long Step, int Epoch, long EpochStep, int StepsPerEpoch, bool Running, string? Stopped, int Grid,
    IReadOnlyList<LayerFrame<T>> Layers, byte[]? InputMaps, OutputFrame? Output, int[] DistinctAtStart, IReadOnlyList<long[]> Changes,
    MetricsFrame? Metrics, EpochFrame? LastEpoch);

/// <summary>
/// One layer of a frame. <paramref name="Weights"/> and <paramref name="WeightGradients"/> are null for a layer
/// too large to stream; <paramref name="Maps"/> (each unit's output over the plane) null without a plane.
/// </summary>
internal sealed record LayerFrame<T>(
    int Layer, int Units, int Inputs, string Activation, T[]? Weights, T[]? WeightGradients, T[] Biases, T[] BiasGradients,
    int Distinct, IReadOnlyList<int[]> Groups, IReadOnlyList<int[]> Interchangeable, long? BrokeAtStep, byte[]? Maps);

/// <summary>
/// The output over the plane: <paramref name="Kind"/> "probability", "classes" (two bytes a cell: the class and
/// its probability) or "value", whose map spans <paramref name="Min"/> to <paramref name="Max"/> (given for it only).
/// </summary>
internal sealed record OutputFrame(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Min,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Max,
    byte[] Map);

/// <summary>The loss and accuracy of the frame's weights on all training and test rows (null where there are none).</summary>
internal sealed record MetricsFrame(long Step, double? Loss, double? Accuracy, double? TestLoss, double? TestAccuracy);

/// <summary>The last finished epoch: its mean batch loss and accuracy while it trained.</summary>
internal sealed record EpochFrame(int Epoch, double? MeanBatchLoss, double? Accuracy);
