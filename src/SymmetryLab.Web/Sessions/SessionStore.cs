using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SymmetryLab.Web.Sessions;

/// <summary>
/// The server's sessions, at most <see cref="PlaygroundLimits.MaxSessions"/>, each named by 128 random bits;
/// a session without an open event stream and without a request for <see cref="PlaygroundLimits.IdleExpiry"/>
/// is ended (its trainer thread stops), and one abandoned for <see cref="PlaygroundLimits.AbandonedAfter"/> gives
/// way to a new one when the server is full.
/// </summary>
internal sealed class SessionStore : IDisposable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private readonly PlaygroundLimits _limits;
    private readonly Timer _sweeper;
    private readonly Lock _creating = new();

    public SessionStore(PlaygroundLimits limits)
    {
        _limits = limits;
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, Math.Min(limits.IdleExpiry.Ticks / 4, TimeSpan.FromSeconds(30).Ticks)));
        _sweeper = new Timer(_ => Sweep(), null, every, every);
    }

    public int Count => _sessions.Count;

    /// <summary>A new session, or null when the server already has as many as it allows.</summary>
    public Session? Create()
    {
        lock (_creating)
        {
            if (_sessions.Count >= _limits.MaxSessions && !EndAbandoned()) return null;
            var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), _limits);
            _sessions[session.Id] = session;
            return session;
        }
    }

    /// <summary>
    /// Ends the session abandoned longest (no open event stream, no request for <see cref="PlaygroundLimits.AbandonedAfter"/>):
    /// a tab closed without saying so (a crash, a sleeping laptop) must not hold a place until it expires.
    /// False when every session is in use.
    /// </summary>
    private bool EndAbandoned()
    {
        var oldest = _sessions.Values.Where(s => s.Connections == 0 && s.Idle > _limits.AbandonedAfter).MaxBy(s => s.Idle);
        return oldest is not null && End(oldest.Id);
    }

    public Session? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session)) return null;
        session.Touch();
        return session;
    }

    public bool End(string id)
    {
        if (!_sessions.TryRemove(id, out var session)) return false;
        session.Dispose();
        return true;
    }

    /// <summary>
    /// Ends the sessions idle for longer than the limit, and pauses those nobody has watched for a minute
    /// (a closed tab should not keep a core busy until it expires).
    /// </summary>
    public void Sweep()
    {
        foreach (var (id, session) in _sessions)
        {
            if (session.Connections > 0) continue;
            if (session.Idle > _limits.IdleExpiry) End(id);
            else if (session.Idle > _limits.AbandonedAfter) _ = session.PauseIfPlaying();
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var id in _sessions.Keys) End(id);
    }
}
