using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Runs;

/// <summary>
/// A run at step 0, as <see cref="TrainingRun.Prepare{T}"/> leaves it: the training and test sets after
/// the --test split, the network ready to train (initialized, normalized, perturbed), a copy of it as it
/// stands at step 0 (initial.json: where "at the start" counts from, after any perturbation), the loss
/// and the options the trainer takes.
/// </summary>
public sealed record PreparedRun<T>(Dataset Train, Dataset? Test, Network<T> Network, Network<T> Initialized, Loss Loss, TrainingOptions Options)
    where T : unmanaged, IFloatingPointIeee754<T>;
