using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Web.Api;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// One learner's playground: a state, the run it makes, and one background trainer thread that owns the
/// run. Requests never touch the run themselves: they queue commands the trainer thread carries out
/// between two steps. While playing, the trainer publishes a snapshot at most every frame interval (and
/// after every command); a frame pump turns the latest snapshot into a frame, and every open event
/// stream sends the newest frame it has not sent. Frames sample the training: it never waits for them.
/// </summary>
internal sealed class Session : IDisposable
{
    private readonly PlaygroundLimits _limits;
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _snapshotReady = new(0, 1);
    private readonly Task _pump;
    private readonly long _frameTicks;

    // Owned by the trainer thread.
    private ISessionRun? _run;
    private bool _playing;
    private long _budget, _playStart, _playedSteps, _lastPublish;
    private double _speed;

    // Shared: written by one side, read by the other.
    private volatile Published? _published;
    private volatile Frame? _latest;
    private TaskCompletionSource _frameSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _generation, _connections;
    private long _lastSeen = Stopwatch.GetTimestamp();

    private sealed record Published(ISessionRun Run, int Generation, object Snapshot);

    private sealed record Frame(long Version, int Generation, string Json, string RunInfo, IFrameBuilder Builder);

    internal Session(string id, PlaygroundLimits limits)
    {
        Id = id;
        _limits = limits;
        _frameTicks = Stopwatch.Frequency / Math.Max(1, limits.FramesPerSecond);
        _thread = new Thread(TrainerLoop) { IsBackground = true, Name = $"playground-{id[..8]}" };
        _thread.Start();
        _pump = Task.Run(PumpAsync);
    }

    public string Id { get; }

    /// <summary>The uploaded CSV the state's <c>data: "upload"</c> means (named after its file).</summary>
    public Dataset? Upload { get; private set; }

    /// <summary>Open event streams.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>How long since the last request or frame sent.</summary>
    public TimeSpan Idle => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSeen));

    /// <summary>What went wrong inside the session (a bug, not bad input), or null.</summary>
    public string? LastError { get; private set; }

    public void Touch() => Interlocked.Exchange(ref _lastSeen, Stopwatch.GetTimestamp());

    /// <summary>
    /// Builds the run <paramref name="state"/> describes (on the caller's thread: loading and preparing may
    /// take a moment) and, only if all of it is valid, makes it the session's run, paused at step 0.
    /// </summary>
    public Task<int> SetStateAsync(PlaygroundState state)
    {
        var resolved = ResolvedState.Resolve(state, Upload, _limits);
        ISessionRun run;
        try
        {
            run = resolved.Settings.Precision == Runs.Precision.Float64 ? new SessionRun<double>(resolved) : new SessionRun<float>(resolved);
        }
        catch (Exception e) when (e is DataException or Runs.SettingsException or Engine.ModelMismatchException)
        {
            string message = Runs.FlagMessages.Of(e);
            throw new FieldException(ResolvedState.FieldOf(message), message);
        }
        // Requests build their runs at once; the run takes its generation when it becomes the session's, so the
        // run in place always has the highest generation given out, whichever request finished building first.
        return Invoke(() =>
        {
            run.Generation = Interlocked.Increment(ref _generation);
            _run = run;
            Stop();
            Publish();
            return run.Generation;
        });
    }

    /// <summary>Keeps an uploaded data set for <c>data: "upload"</c> (the run does not change until the state says so).</summary>
    public void SetUpload(Dataset data) => Upload = data;

    /// <summary>play, pause, step (<paramref name="steps"/>, default 1), epoch (to the end of the epoch under way), reset (to the same start), speed.</summary>
    public Task Control(string action, long? steps, double? speed) => Invoke(() =>
    {
        var run = _run ?? throw new FieldException("action", "no run yet: set a state first");
        if (speed is { } sp) { _speed = sp; RestartPacing(); }
        switch (action)
        {
            case "play":
                if (run.Stopped is null) { _playing = true; _budget = 0; RestartPacing(); }
                break;
            case "pause":
                Stop();
                break;
            case "step":
                // Steps asked for while earlier ones are still being taken add up (a key held down).
                _playing = false;
                _budget += steps ?? 1;
                break;
            case "epoch":
                _playing = false;
                _budget += run.StepsPerEpoch - (run.Step + _budget) % run.StepsPerEpoch;
                break;
            case "reset":
                run.Reset(Interlocked.Increment(ref _generation));
                Stop();
                break;
            case "speed":
                break;
            default:
                throw new FieldException("action", $"action {action}: expected play, pause, step, epoch, reset or speed");
        }
        Publish();
        return 0;
    });

    /// <summary>Stops playing (without a run, or already paused: nothing happens).</summary>
    internal Task PauseIfPlaying() => Invoke(() =>
    {
        if (_playing) { Stop(); Publish(); }
        return 0;
    });

    /// <summary>Runs <paramref name="body"/> on the trainer thread, between two steps.</summary>
    internal Task<TResult> Invoke<TResult>(Func<TResult> body)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.Enqueue(() =>
        {
            try
            {
                done.SetResult(body());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        _wake.Set();
        return done.Task;
    }

    /// <summary>Runs <paramref name="body"/> on the run, on the trainer thread (downloads, explanations).</summary>
    internal Task<TResult> WithRun<TResult>(Func<ISessionRun, TResult> body) =>
        Invoke(() => body(_run ?? throw new FieldException("session", "no run yet: set a state first")));

    private void Stop()
    {
        _playing = false;
        _budget = 0;
    }

    private void RestartPacing()
    {
        _playStart = Stopwatch.GetTimestamp();
        _playedSteps = 0;
    }

    private void TrainerLoop()
    {
        while (!_closing.IsCancellationRequested)
        {
            while (_commands.TryDequeue(out var command)) command();
            var run = _run;
            if (run is null || (!_playing && _budget == 0))
            {
                _wake.WaitOne(250);
                continue;
            }
            if (_playing && _speed > 0)
            {
                // Paced play: no more steps than the speed allows since play began.
                double due = Stopwatch.GetElapsedTime(_playStart).TotalSeconds * _speed - _playedSteps;
                if (due < 1)
                {
                    _wake.WaitOne(TimeSpan.FromMilliseconds(Math.Clamp((1 - due) / _speed * 1000, 1, 50)));
                    continue;
                }
            }
            bool stepped;
            try
            {
                stepped = run.TrainStep();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Anything but divergence (which the run reports itself) is a bug: stop, keep the session alive, say why.
                LastError = $"training failed at step {run.Step}: {e.Message}";
                stepped = false;
            }
            _playedSteps++;
            if (!stepped) Stop();
            else if (_budget > 0) _budget--;
            // At the end of a step budget, after the first step (the first frame comes at once), and at
            // most once a frame interval while playing or working through a budget.
            if ((!_playing && _budget == 0) || run.Step == 1 || Stopwatch.GetTimestamp() - _lastPublish >= _frameTicks) Publish();
        }
    }

    private void Publish()
    {
        if (_run is not { } run) return;
        _lastPublish = Stopwatch.GetTimestamp();
        _published = new Published(run, run.Generation, run.Snapshot(_playing || _budget > 0));
        if (_snapshotReady.CurrentCount == 0) _snapshotReady.Release();
    }

    /// <summary>Builds a frame from the newest snapshot, at most <see cref="PlaygroundLimits.FramesPerSecond"/> a second.</summary>
    private async Task PumpAsync()
    {
        IFrameBuilder? builder = null;
        Published? built = null;
        string runInfo = "";
        long version = 0;
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                await _snapshotReady.WaitAsync(_closing.Token);
                long started = Stopwatch.GetTimestamp();
                // Two publishes can release the semaphore once each while the pump builds from the newer: a
                // snapshot already built is not built again (its second frame would say "not measured").
                if (_published is not { } p || ReferenceEquals(p, built)) continue;
                built = p;
                if (_latest?.Generation != p.Generation || builder is null)
                {
                    builder = p.Run.CreateFrameBuilder(_limits);
                    runInfo = p.Run.RunInfo(TrainCommandLine.For(p.Run.Resolved));
                }
                string json;
                try
                {
                    json = builder.Build(p.Snapshot);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A frame that cannot be drawn is skipped; the next snapshot gets its chance.
                    LastError = $"a frame could not be built: {e.Message}";
                    continue;
                }
                _latest = new Frame(++version, p.Generation, json, runInfo, builder);
                Interlocked.Exchange(ref _frameSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                var wait = _frameTicks - (Stopwatch.GetTimestamp() - started);
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), _closing.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _frameSignal.TrySetResult();
        }
    }

    /// <summary>
    /// The session's event stream: "ready" first (so that the page's EventSource opens at once), then for
    /// each new run its "run" event, and for each frame the history measured since the last one sent and
    /// the "frame" itself. A slow reader skips frames; it never holds up the training.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> Events([EnumeratorCancellation] CancellationToken cancel)
    {
        Interlocked.Increment(ref _connections);
        try
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(new ReadyEvent(Id), PlaygroundJsonContext.Default.ReadyEvent), "ready");
            long sent = 0;
            int generation = -1, historySent = 0, historyVersion = 0;
            while (!cancel.IsCancellationRequested && !_closing.IsCancellationRequested)
            {
                var signal = _frameSignal.Task;
                var frame = _latest;
                if (frame is null || frame.Version == sent)
                {
                    if (!await Wait(signal, cancel)) break;
                    continue;
                }
                if (frame.Generation != generation)
                {
                    generation = frame.Generation;
                    historySent = 0;
                    historyVersion = frame.Builder.HistoryVersion;
                    yield return new SseItem<string>(frame.RunInfo, "run");
                }
                if (frame.Builder.HistoryVersion != historyVersion) (historyVersion, historySent) = (frame.Builder.HistoryVersion, 0);
                var history = frame.Builder.History;
                if (history.Count > historySent)
                {
                    yield return new SseItem<string>(HistoryJson(generation, historySent, history), "history");
                    historySent = history.Count;
                }
                yield return new SseItem<string>(frame.Json, "frame");
                sent = frame.Version;
                Touch();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
            Touch();
        }
    }

    private static async Task<bool> Wait(Task signal, CancellationToken cancel)
    {
        try
        {
            await signal.WaitAsync(cancel);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static string HistoryJson(int generation, int from, IReadOnlyList<double?[]> points) =>
        JsonSerializer.Serialize(new HistoryEvent(generation, from, points.Skip(from)), PlaygroundJsonContext.Default.HistoryEvent);

    public void Dispose()
    {
        if (_closing.IsCancellationRequested) return;
        _closing.Cancel();
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        try { _pump.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _frameSignal.TrySetResult();
    }
}
