namespace SymmetryLab.Web;

/// <summary>What one playground server allows, so that no request can take unbounded memory or time.</summary>
internal sealed record PlaygroundLimits
{
    /// <summary>Sessions at once; a new one beyond is refused (503) until one ends or expires.</summary>
    public int MaxSessions { get; init; } = 16;
    /// <summary>A session with no request and no open event stream for this long is ended.</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromMinutes(20);
    /// <summary>
    /// A session without an open event stream or a request for this long is abandoned (its tab was closed):
    /// it stops training, and gives way to a new session when the server has its maximum.
    /// </summary>
    public TimeSpan AbandonedAfter { get; init; } = TimeSpan.FromMinutes(1);
    /// <summary>Bytes of a JSON command.</summary>
    public int MaxBodyBytes { get; init; } = 64 * 1024;
    /// <summary>Bytes of an uploaded CSV file.</summary>
    public int MaxUploadBytes { get; init; } = 4 * 1024 * 1024;
    public int MaxHiddenLayers { get; init; } = 10;
    public int MaxUnits { get; init; } = 128;
    /// <summary>Rows of training and test data together.</summary>
    public int MaxRows { get; init; } = 20_000;
    /// <summary>Values (rows x features) of a data set: the largest built-in set, mnist-test, has 7,840,000.</summary>
    public long MaxValues { get; init; } = 8_000_000;
    public long MaxParameters { get; init; } = 250_000;
    /// <summary>Hand-set weights, and ties, each.</summary>
    public int MaxEdits { get; init; } = 512;
    /// <summary>Frames per second at most on a session's event stream.</summary>
    public int FramesPerSecond { get; init; } = 30;
}
