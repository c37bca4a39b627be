using System.Globalization;
using SymmetryLab.Engine;
using SymmetryLab.Serialization;

namespace SymmetryLab.Lab;

/// <summary>
/// The path of every parameter through training (<c>symlab train --record weights[:EVERY]</c>), as a long CSV
/// (<c>step,parameter,value,gradient</c>, parameters in W1[2,1] notation). Step 0 is the starting point
/// (no gradient yet); at step s the value is the one after that step's update and the gradient the one
/// that update used. Rows go to a temporary file that becomes trajectory.csv only when the run completes.
/// </summary>
public sealed class TrajectoryRecorder<T> : ITrainingObserver<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Above this many rows the run refuses to start rather than write a file no one can open.</summary>
    public const long MaxRows = 2_000_000;
    /// <summary>The file a completed run's trajectory becomes, in the run folder.</summary>
    public const string FileName = "trajectory.csv";

    private readonly StreamWriter _writer;
    private readonly ParameterRef[] _parameters;
    private readonly string[] _names;
    private readonly int _every;
    private bool _completed;

    /// <summary>Starts the file at <paramref name="tempPath"/> with <paramref name="start"/>'s parameters (step 0), to be written again every <paramref name="every"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is below 1.</exception>
    public TrajectoryRecorder(string tempPath, int every, Network<T> start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentNullException.ThrowIfNull(start);
        TempPath = tempPath;
        _every = every;
        _parameters = ParameterRef.All(start).ToArray();
        _names = _parameters.Select(p => $"\"{p}\"").ToArray(); // W1[2,1] holds a comma: quoted as CSV requires
        _writer = new StreamWriter(tempPath);
        _writer.Write("step,parameter,value,gradient\n");
        Write(0, start, withGradient: false);
    }

    /// <summary>The temporary file the rows go to.</summary>
    public string TempPath { get; }
    /// <summary>Rows written so far, the header not counted.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>The rows a run would write: every parameter at step 0 and at every EVERY-th step.</summary>
    public static long RowsFor(int parameters, long steps, int every) => parameters * (1 + steps / every);

    /// <inheritdoc/>
    public void AfterStep(long step, int epoch, Network<T> network)
    {
        if (step % _every == 0) Write(step, network, withGradient: true);
    }

    private void Write(long step, Network<T> network, bool withGradient)
    {
        string s = step.ToString(CultureInfo.InvariantCulture);
        for (int p = 0; p < _parameters.Length; p++)
        {
            var (values, gradients, index) = _parameters[p].Locate(network);
            _writer.Write(s);
            _writer.Write(',');
            _writer.Write(_names[p]);
            _writer.Write(',');
            _writer.Write(ModelFile.Number(values[index]));
            _writer.Write(',');
            if (withGradient) _writer.Write(ModelFile.Number(gradients[index]));
            _writer.Write('\n');
        }
        RowsWritten += _parameters.Length;
    }

    /// <summary>Flushes and closes the file (in the run's staging folder, which then replaces the run folder whole).</summary>
    public void Complete()
    {
        _writer.Dispose();
        _completed = true;
    }

    /// <summary>Closes the file, and deletes it unless completed (the run failed: nothing half-written stays).</summary>
    public void Dispose()
    {
        _writer.Dispose();
        if (!_completed && File.Exists(TempPath)) File.Delete(TempPath);
    }
}
