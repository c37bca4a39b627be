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
/// <param name="Train">The training set.</param>
/// <param name="Test">The test set; null without one.</param>
/// <param name="Network">The network to train, in place.</param>
/// <param name="Initialized">A copy of the network at step 0.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Options">The trainer's options.</param>
internal sealed record PreparedRun<T>(Dataset Train, Dataset? Test, Network<T> Network, Network<T> Initialized, Loss Loss, TrainingOptions Options)
    where T : unmanaged, IFloatingPointIeee754<T>;
