using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// A whole run as <c>symlab train</c> does it: load the data, settle the defaults of SPEC.md, build or
/// load the network, initialize it from the seed, train, inspect, and write the run folder.
/// </summary>
internal static class TrainingRun
{
    /// <summary>
    /// Runs <paramref name="settings"/> as <c>symlab train</c> does, in its precision: trains, reads the result and,
    /// with <see cref="RunSettings.Out"/>, writes the run folder whole (or leaves it untouched on failure).
    /// <paramref name="progress"/> hears each epoch's record with the epoch count.
    /// </summary>
    /// <exception cref="SettingsException">Bad settings; the message names the <see cref="RunSettings"/> property (<see cref="FlagMessages"/>: the flag).</exception>
    /// <exception cref="DataException">Bad data; names the file, line and field.</exception>
    /// <exception cref="TrainingDivergedException">Training diverged; names the epoch and layer.</exception>
    public static RunResult Execute(RunSettings settings, Action<EpochRecord, int>? progress = null, CancellationToken cancel = default)
    {
        return settings.Precision == Precision.Float64 ? Execute<double>(settings, progress, cancel) : Execute<float>(settings, progress, cancel);
    }

    /// <summary><see cref="Execute(RunSettings, Action{EpochRecord, int}?, CancellationToken)"/> in precision <typeparamref name="T"/>, whatever <see cref="RunSettings.Precision"/> says.</summary>
    public static RunResult Execute<T>(RunSettings s, Action<EpochRecord, int>? progress, CancellationToken cancel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(s);
        // The run folder is locked from the start (a second run into it is refused at once) and written
        // into a staging folder that replaces it whole at the end: a run that fails leaves it untouched.
        using var folder = s.Out is null ? null : RunFolder.Begin(s.Out);
        var (train, test, network, initial, loss, options) = Prepare<T>(s, DataSource.Load(s.Data, s.Target));
        Trainer<T>.Check(network, train, options);
        using var trajectory = StartTrajectory(s, folder, network, train.Rows, Math.Min(options.BatchSize ?? train.Rows, train.Rows));
        // The library's own Fit: the reference trainer, watched by the lab's recorder, as a program using the package trains.
        var fit = network.Fit(train, options, test, trajectory, progress is null ? null : r => progress(r, s.Epochs), cancel);
        trajectory?.Complete();
        var (history, recorder) = (fit, fit.Recorder);
        // What is reported is the saved model's: its cost and accuracy on the training data, as predict
        // computes them (with the L2 penalty training minimized), and on the test data. The running
        // mean of the last epoch's batch costs, taken while the weights still moved, is reported apart.
        var pool = WorkerPool.ForThreads(Math.Max(1, s.Threads));
        var (finalLoss, finalAccuracy) = new Evaluator<T>(network, train, loss, pool).Evaluate();
        double dataCost = finalLoss;
        if (s.L2 > 0) finalLoss += network.L2Penalty(s.L2, train.Rows);
        var (testLoss, testAccuracy) = test is null ? (null, null) : ((double?, double?))new Evaluator<T>(network, test, loss, pool).Evaluate();
        var baseline = MajorityBaseline.Of(train, test);
        var meanBaseline = MeanBaseline.Of(train, test, loss);
        var groups = UnitGroups.FindAll(network);
        var result = new RunResult
        {
            Loss = finalLoss,
            LastEpochMeanLoss = history.Count > 0 ? history[^1].Loss : null,
            Accuracy = finalAccuracy,
            TestLoss = testLoss,
            TestAccuracy = testAccuracy,
            Baseline = baseline,
            MeanBaseline = meanBaseline,
            Epochs = s.Epochs,
            Steps = fit.Steps,
            Seed = s.Seed,
            Precision = ModelFile.PrecisionName<T>(),
            Shape = network.Shape,
            Layers = groups,
            // The run is symlab train's: its diagnosis (printed, and kept in symmetry.json) names the flags.
            Diagnosis = Diagnosis.Of(initial, network, history, recorder, train, new DiagnosisContext(finalAccuracy, baseline, s.Model is null ? s.Init.WeightName : null) { Cost = dataCost, MeanBaseline = meanBaseline }).In(FlagMessages.Words),
            History = history,
            DistinctHistory = recorder.DistinctPerEpoch,
            DistinctAtStart = recorder.DistinctAtStart,
            BrokeAtStep = recorder.BrokeAtStep,
            MinDistanceHistory = recorder.MinDistancePerEpoch,
            Perturbation = s.Perturb?.ToString(),
            TrajectoryRows = trajectory?.RowsWritten,
            InitialModel = ModelFile.Write(initial, train.TargetName),
            FinalModel = ModelFile.Write(network, train.TargetName),
            LossName = loss.Name(),
            Optimizer = s.Optimizer.Name,
            LearningRate = options.EffectiveLearningRate,
            BatchSize = fit.BatchSize,
            Init = s.Model is null ? s.Init.ToString() : $"from {s.Model}",
            Out = s.Out,
        };
        if (folder is not null)
        {
            RunFolder.Write(folder.Staging, result, s);
            folder.Commit();
        }
        return result;
    }

    /// <summary>
    /// Everything <see cref="Execute{T}"/> does before the first step, on data already loaded (the
    /// training set and the set's own test set, if any): the --test split, the defaults of SPEC.md, the
    /// network built (or read from <see cref="RunSettings.Model"/>), checked against the data, normalized,
    /// initialized from the seed and perturbed. A front end that trains step by step (the playground)
    /// starts here, so its numbers are those of <c>symlab train</c> with the same settings.
    /// </summary>
    public static PreparedRun<T> Prepare<T>(RunSettings s, (Dataset Train, Dataset? Test) data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(s);
        var (train, test) = SplitTest(s, data.Train, data.Test);
        CheckMagnitude<T>(s.Data, train);
        if (test is not null) CheckMagnitude<T>(s.Test ?? s.Data, test);
        // The kind of target (and K) is read from every label, held-out ones included: a class that
        // only the test split holds still needs its output unit, and test labels must fit the loss.
        var labels = test is null ? train
            : new Dataset(train.Name, new double[train.Rows + test.Rows], [.. train.Y, .. test.Y], 1, targetName: train.TargetName);

        Network<T> network;
        if (s.Model is not null)
        {
            network = ModelFile.Parse<T>(s.ModelText ?? ModelFile.ReadText(s.Model), s.Model);
            if (s.Layers is not null && !s.Layers.SequenceEqual(network.Layers.Select(l => l.Units)))
                throw SettingsException.Of($"{Setting.Layers(s.Layers)} disagrees with {Setting.Run(nameof(s.Model), s.Model)} ({string.Join(",", network.Layers.Select(l => l.Units))}); the layers come from the file");
            if (network.Inputs != train.Features)
                throw DataException.Of($"{Setting.Run(nameof(s.Model), s.Model)} takes {network.Inputs} inputs but {train.Name} has {train.Features} features");
            CheckMemory(s, network.Inputs, [.. network.Layers.Select(l => l.Units)], labels.Rows, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        }
        else
        {
            network = Build<T>(s, labels, train.Features);
        }
        Loss loss = s.Loss ?? DefaultLoss(labels, network.Outputs);
        if (ModelMismatchException.ForLoss(loss, network.Output.Activation) is { } mismatch) throw FlagMessages.Mismatch(mismatch);
        CheckOutputs(loss, s.Loss is not null, network, labels, s.Model);

        if (s.Normalize == InputNormalization.ZScore) network.Normalization = Normalization.Fit(train.X, train.Rows, train.Features);

        // "At the start" is initial.json everywhere: the weights the first step is taken from, after any
        // nudge. Training from initial.json then tells the same story (distinct units at the start, the
        // step they split) as the run that wrote it.
        if (s.Perturb is { } nudge)
        {
            // A nudge that misses the network or changes nothing is refused naming RunSettings.Perturb, before the library's Apply would.
            string eps = Perturbation.Number(nudge.Epsilon);
            var perturb = Setting.Run(nameof(s.Perturb), $"new Perturbation({eps}, layer: {nudge.Layer})", $"{eps}:{nudge.Layer}");
            if (!nudge.Target.Fits(network, out string? why)) throw SettingsException.Of($"{perturb}: {why}");
            if (nudge.Swallowed(network) is { } before)
                throw SettingsException.Of($"{Setting.Run(nameof(s.Perturb), perturb.Value, eps)}: {nudge.Target} = {before} does not change in {ModelFile.PrecisionName<T>()}; use {Setting.Run(nameof(s.Precision), "float64")} or a larger {new Wording("perturbation", "EPS")}");
            nudge.Apply(network);
        }
        var initialized = network.Clone();

        int? batch = s.Batch == 0 ? null : s.Batch ?? (s.Optimizer.FullBatchByDefault ? null : TrainingOptions.DefaultBatchSize);
        var options = new TrainingOptions
        {
            Loss = loss,
            Optimizer = s.Optimizer,
            LearningRate = s.LearningRate,
            Epochs = s.Epochs,
            BatchSize = batch,
            L2 = s.L2,
            Dropout = s.Dropout,
            Seed = s.Seed,
            Threads = s.Threads,
        };
        return new PreparedRun<T>(train, test, network, initialized, loss, options);
    }

    /// <summary>
    /// The trajectory recorder of --record, or null. Refuses before the first step, with the numbers,
    /// when the file would pass <see cref="TrajectoryRecorder{T}.MaxRows"/>, so nothing is half-written.
    /// </summary>
    private static TrajectoryRecorder<T>? StartTrajectory<T>(RunSettings s, StagedFolder? folder, Network<T> network, int rows, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (s.RecordEvery is not { } every) return null;
        if (folder is null) throw SettingsException.Of($"{Setting.Run(nameof(s.RecordEvery))}: needs {Setting.Run(nameof(s.Out), flagValue: "DIR")} (trajectory.csv is written there)");
        long steps = (long)s.Epochs * ((rows + batch - 1) / batch);
        long total = TrajectoryRecorder<T>.RowsFor(network.ParameterCount, steps, every);
        if (total > TrajectoryRecorder<T>.MaxRows)
        {
            long needed = (long)Math.Ceiling((double)network.ParameterCount * steps / (TrajectoryRecorder<T>.MaxRows - network.ParameterCount));
            throw SettingsException.Of($"{Record(every)}: {network.ParameterCount} parameters x {1 + steps / every} recorded steps = {total:N0} rows, over the limit of {TrajectoryRecorder<T>.MaxRows:N0}; record less often ({Record(Math.Max(needed, every + 1))}) or train fewer epochs");
        }
        return new TrajectoryRecorder<T>(Path.Combine(folder.Staging, TrajectoryRecorder<T>.FileName), every, network);
    }

    /// <summary><see cref="RunSettings.RecordEvery"/>, which the flag writes <c>--record weights:EVERY</c>.</summary>
    private static Setting Record(long? every) => Setting.Run(nameof(RunSettings.RecordEvery), every, $"weights:{every}");

    private static void Validate(RunSettings s)
    {
        // The settings' types hold only SPEC.md's values; an optimizer of the caller's own type is refused here.
        if (!Optimizer.Names.Contains(s.Optimizer.Name))
            throw SettingsException.Of($"{Setting.Run(nameof(s.Optimizer), s.Optimizer.Name)}: expected one of {string.Join(", ", Optimizer.Names)}");
        if (s.Epochs < 0) throw SettingsException.Of($"{Setting.Run(nameof(s.Epochs), s.Epochs)}: must be 0 or more (0 writes the initialized model and trains nothing)");
        if (s.Batch is < 0) throw SettingsException.Of($"{Setting.Run(nameof(s.Batch), s.Batch)}: must be a positive number or {new Wording("0 (the whole set)", "'full'")}");
        if (s.GivenLearningRate is { } lr && !(lr > 0 && double.IsFinite(lr)))
            throw SettingsException.Of($"{Setting.Run(s.LearningRate is null ? "Optimizer.LearningRate" : nameof(s.LearningRate), lr)}: must be a positive number");
        if (!(s.L2 >= 0 && double.IsFinite(s.L2))) throw SettingsException.Of($"{Setting.Run(nameof(s.L2), s.L2)}: must be >= 0");
        if (!(s.Dropout >= 0 && s.Dropout < 1)) throw SettingsException.Of($"{Setting.Run(nameof(s.Dropout), s.Dropout)}: must be in [0, 1)");
        if (s.Threads < 1) throw SettingsException.Of($"{Setting.Run(nameof(s.Threads), s.Threads)}: must be at least 1");
        if (s.RecordEvery is < 1) throw SettingsException.Of($"{Record(s.RecordEvery)}: {new Wording("", "EVERY ")}must be a whole number of steps >= 1");
        if (s.Threads > MaxThreads) throw SettingsException.Of($"{Setting.Run(nameof(s.Threads), s.Threads)}: at most {MaxThreads} (the results do not depend on it; this machine has {Environment.ProcessorCount} cores)");
        if (s.Epochs > MaxEpochs) throw SettingsException.Of($"{Setting.Run(nameof(s.Epochs), s.Epochs)}: at most {MaxEpochs:N0} (history.csv keeps a row per epoch)");
        if (s.Layers is { } layers && (layers.Length == 0 || layers.Any(w => w < 1)))
            throw SettingsException.Of($"{Setting.Layers(layers)}: every width must be at least 1");
        var softmax = s.Activation == Activation.Softmax ? Setting.Run(nameof(s.Activation), "softmax")
            : s.HiddenActivations?.Contains(Activation.Softmax) == true ? Setting.Run(nameof(s.HiddenActivations), $"[{string.Join(", ", s.HiddenActivations.Select(a => a.Name()))}]", "softmax") : null;
        if (softmax is not null) throw SettingsException.Of($"{softmax}: softmax is for the output layer only ({Setting.Run(nameof(s.OutputActivation))})");
    }

    /// <summary>
    /// Refuses data with a value so large that its product with a weight (or its square in the cost)
    /// overflows T: such a run diverges at its first step whatever the learning rate, so the message
    /// names the value instead of advising a smaller --lr.
    /// </summary>
    private static void CheckMagnitude<T>(string source, Dataset d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double limit = Math.Sqrt(typeof(T) == typeof(float) ? float.MaxValue : double.MaxValue);
        int i = AnyBeyond(d.X, limit) ? System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude<double>(d.X) : -1;
        if (i >= 0 && Math.Abs(d.X[i]) > limit)
            throw DataException.Of($"{source}: row {i / d.Features + 1}, {d.FeatureNames[i % d.Features]} is {d.X[i]:G6}: beyond {limit:G3}, the square root of the largest {ModelFile.PrecisionName<T>()} number, a weight times it overflows; rescale the data ({Setting.Run(nameof(RunSettings.Normalize), "zscore")} cannot: its variance overflows too)");
        int j = AnyBeyond(d.Y, limit) ? System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude<double>(d.Y) : -1;
        if (j >= 0 && Math.Abs(d.Y[j]) > limit)
            throw new DataException($"{source}: row {j + 1}, the target {d.TargetName} is {d.Y[j]:G6}: beyond {limit:G3}, its square in the cost overflows {ModelFile.PrecisionName<T>()}; rescale the target");
    }

    /// <summary>
    /// Whether any value's magnitude exceeds the limit. The search for the largest (which names it) runs
    /// only then: this plain loop is compiled ahead of time, while TensorPrimitives' generic search is
    /// compiled when first called, some 30 ms of every train's and sweep's start.
    /// </summary>
    private static bool AnyBeyond(double[] values, double limit)
    {
        foreach (double v in values)
            if (Math.Abs(v) > limit) return true;
        return false;
    }

    /// <summary>More threads than this only cost memory and start-up time.</summary>
    public static int MaxThreads => Math.Max(256, Environment.ProcessorCount);

    /// <summary>The most epochs a run takes.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>
    /// Refuses, with the numbers and the limit, a network and data whose training would need more than
    /// <see cref="DataLimits.MaxTrainingBytes"/>: parameters with their gradients, optimizer state and
    /// copies, the one-hot targets, the data in T, and the activations of every layer over the whole set
    /// (evaluation runs it at once). An estimate, checked before anything is allocated.
    /// </summary>
    internal static void CheckMemory(RunSettings s, int inputs, IReadOnlyList<int> widths, int rows, int elementSize)
    {
        long parameters = 0, activations = 0;
        int fanIn = inputs;
        foreach (int units in widths)
        {
            long weights = (long)fanIn * units;
            if (weights > Array.MaxLength)
                throw SettingsException.Of($"{Setting.Layers(widths)}: a layer of {units} units over {fanIn} inputs would have {weights:N0} weights, more than one array holds ({Array.MaxLength:N0})");
            parameters += weights + units;
            activations += units;
            fanIn = units;
        }
        int outputs = widths[^1];
        double bytes = 8.0 * parameters * elementSize                      // weights, gradients, optimizer state, initial and recorded copies
            + (double)rows * outputs * (sizeof(double) * 3 + elementSize)  // targets (double and T) and the cost's scratch
            + (double)rows * inputs * elementSize                          // the data in T
            + 3.0 * rows * activations * elementSize;                      // z, a and delta of every layer over the set
        if (bytes > DataLimits.MaxTrainingBytes)
            throw SettingsException.Of($"{Setting.Layers(widths)} on {s.Data} ({rows:N0} rows of {inputs:N0} features, {outputs:N0} outputs): training needs about {DataLimits.Size(bytes)} (parameters, optimizer state, targets and activations), over the limit of {DataLimits.Size(DataLimits.MaxTrainingBytes)} (half of the {DataLimits.Size(DataLimits.AvailableBytes)} this process may use)");
    }

    /// <summary>SPEC.md: 0/1 targets: bce; 0..K-1 with K &gt; 2: ce (with K outputs); other numbers: mse.</summary>
    public static Loss DefaultLoss(Dataset data, int outputs) => data.Kind switch
    {
        TargetKind.Binary when outputs == 1 => Loss.Bce,
        TargetKind.Binary or TargetKind.Classes => Loss.Ce,
        _ => Loss.Mse,
    };

    /// <summary>The output width when --layers does not give it: K for K classes (or for ce), else 1.</summary>
    internal static int DefaultOutputs(Dataset data, Loss? loss) =>
        loss == Loss.Ce || (loss is null && data.Kind == TargetKind.Classes) ? data.ClassCount : 1;

    /// <summary>The output activation <paramref name="loss"/> implies: sigmoid for bce, softmax for ce, linear for mse.</summary>
    public static Activation DefaultOutputActivation(Loss loss) => loss switch
    {
        Loss.Bce => Activation.Sigmoid,
        Loss.Ce => Activation.Softmax,
        _ => Activation.Linear,
    };

    /// <summary>The network of --layers and the activations, initialized by --init and --bias-init from --seed.</summary>
    private static Network<T> Build<T>(RunSettings s, Dataset train, int features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A loss the target cannot take is refused first: ce's default width is the class count, which a continuous target has not.
        if (s.Loss is { } given) CheckTarget(given, train);
        int outputs = s.Layers?[^1] ?? DefaultOutputs(train, s.Loss);
        int[] widths = s.Layers ?? [25, 15, outputs];
        Loss loss = s.Loss ?? DefaultLoss(train, outputs);
        var output = s.OutputActivation ?? DefaultOutputActivation(loss);
        if (s.HiddenActivations is { } each && each.Length != widths.Length - 1)
            throw SettingsException.Of($"{Setting.Layers(widths)}: {widths.Length - 1} hidden layers, but {each.Length} hidden activations");
        var layers = widths.Select((w, i) => Layer.Dense(w, i == widths.Length - 1 ? output : s.HiddenActivations?[i] ?? s.Activation)).ToList();
        CheckMemory(s, features, widths, train.Rows, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        // The weights come from the seed's initialization stream, as any network's.
        return Network.Create<T>(features, layers, s.Init, s.Seed);
    }

    /// <summary>SPEC.md: ce needs class labels 0..K-1, bce a 0/1 target.</summary>
    private static void CheckTarget(Loss loss, Dataset train)
    {
        if (loss == Loss.Ce && train.Kind == TargetKind.Continuous)
            throw SettingsException.Of($"{Setting.Run(nameof(RunSettings.Loss), "ce")}: the target '{train.TargetName}' of {train.Name} is not a class label 0..K-1");
        if (loss == Loss.Bce && train.Kind != TargetKind.Binary)
            throw SettingsException.Of($"{Setting.Run(nameof(RunSettings.Loss), "bce")}: the target '{train.TargetName}' of {train.Name} is not 0/1");
    }

    /// <summary>
    /// SPEC.md: the last width must fit the target: 1 output for a 0/1 target with bce, 2 with ce, K for
    /// K classes, and one per target column (1) for mse. The message names the setting that set the width
    /// and says what fits.
    /// </summary>
    private static void CheckOutputs<T>(Loss loss, bool lossGiven, Network<T> network, Dataset train, string? model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outputs = network.Outputs;
        FormattableString subject = $"{(model is null ? Setting.Layers(network.Layers.Select(l => l.Units)) : Setting.Run(nameof(RunSettings.Model), model))}{(lossGiven ? (FormattableString)$" with {Setting.Run(nameof(RunSettings.Loss), loss.Name())}" : $"")}";
        string has = model is null ? $"output layer has {outputs} unit{(outputs == 1 ? "" : "s")}" : $"model has {outputs} outputs";
        CheckTarget(loss, train);
        string? fits = (loss, train.Kind) switch
        {
            (Loss.Bce, _) when outputs != 1 => "1 (bce: one sigmoid output), or 2 (ce: a softmax over the two classes)",
            (Loss.Ce, TargetKind.Binary) when outputs != 2 => "2 (ce: one output per class), or 1 (bce: one sigmoid output)",
            (Loss.Ce, TargetKind.Classes) when outputs != train.ClassCount => $"{train.ClassCount}: one output per class ({train.ClassCount} classes)",
            (Loss.Mse, TargetKind.Continuous) when outputs != 1 => "1: the target is one number per row",
            (Loss.Mse, _) when outputs != 1 && outputs != train.ClassCount => $"1 (the label as a number) or {train.ClassCount} (one output per class)",
            _ => null,
        };
        if (fits is not null)
            throw SettingsException.Of($"{subject}: the {has}, but the target '{train.TargetName}' of {train.Name} needs {fits}");
    }

    /// <summary>
    /// The baselines of the rows a run with <paramref name="s"/> trains on (its split): the majority class's
    /// (null for regression) and, for a regression measured by mse, the training targets' mean's.
    /// </summary>
    public static (MajorityBaseline? Majority, MeanBaseline? Mean) Baselines(RunSettings s)
    {
        var (train, test) = DataSource.Load(s.Data, s.Target);
        (train, test) = SplitTest(s, train, test);
        // A continuous target's default loss is mse (DefaultLoss); any other was refused before a sweep starts.
        return (MajorityBaseline.Of(train, test), MeanBaseline.Of(train, test, s.Loss ?? Loss.Mse));
    }

    /// <summary>
    /// --test FRACTION: round(rows x FRACTION) rows held out by a shuffle from <paramref name="seed"/>'s split
    /// stream (<see cref="Dataset.Split"/>); <paramref name="text"/> is the fraction as the user wrote it, for messages.
    /// </summary>
    internal static (Dataset Train, Dataset Test) SplitFraction(Dataset train, double fraction, ulong seed, string text)
    {
        var test = Setting.Run(nameof(RunSettings.Test), text);
        if (!(fraction > 0 && fraction < 1)) throw SettingsException.Of($"{test}: a fraction must be between 0 and 1");
        int testRows = (int)Math.Round(train.Rows * fraction);
        if (testRows < 1 || testRows >= train.Rows) throw SettingsException.Of($"{test}: leaves no rows on one side of {train.Rows}");
        return train.Split(fraction, seed);
    }

    /// <summary>Whether --test names a fraction of the data (a number that is not a file's name) rather than a file.</summary>
    internal static bool IsFraction(string? test) =>
        test is not null && double.TryParse(test, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) && !File.Exists(test);

    /// <summary>--test: a fraction is a shuffle split of the training data seeded by --split-seed (not --seed: every seed trains on the same rows); a file is loaded; neither keeps the set's fixed test set.</summary>
    internal static (Dataset Train, Dataset? Test) SplitTest(RunSettings s, Dataset train, Dataset? fixedTest)
    {
        if (s.Test is null) return (train, fixedTest);
        if (IsFraction(s.Test))
            return SplitFraction(train, double.Parse(s.Test, System.Globalization.CultureInfo.InvariantCulture), s.SplitSeed, s.Test);
        var test = DataSource.LoadFile(s.Test, s.Target);
        if (test.Features != train.Features)
            throw new DataException($"{s.Test}: {test.Features} features, but the training data has {train.Features}");
        return (train, test);
    }
}
