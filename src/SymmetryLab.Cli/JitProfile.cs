using System.Runtime;

namespace SymmetryLab.Cli;

/// <summary>
/// The runtime's multicore JIT for one command: the methods the command's last run compiled at run time
/// are compiled again, on another core, while this run starts. The ReadyToRun build leaves some 350-800 methods
/// a command to the JIT (the engine's generics over float and double, System.Text.Json's over value types), on
/// the one thread that then waits for them. With the profile a 1,000-seed sweep or a small train takes about
/// 0.2-0.3 s less (bench/RESULTS.md). The code compiled is the same, so are the outputs.
/// </summary>
/// <remarks>
/// The profiles live in <c>jit-profiles/</c> beside symlab.dll, one per command, made by that command's
/// previous run (the first run after a build has none). The runtime rewrites a profile in place, so each
/// run records into its own copy and renames it over the shared one when it ends: runs at the same time (a
/// sweep's shards on one node) never read a half-written profile. A copy left by a killed run is removed
/// by a later run once it is a day old. Where the folder cannot be written, the command runs without a profile.
/// </remarks>
internal sealed class JitProfile : IDisposable
{
    /// <summary>The folder's name beside symlab.dll.</summary>
    public const string Folder = "jit-profiles";

    private const string Extension = ".jitprofile";

    /// <summary>A run's own copy older than this belongs to a run that was killed.</summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(1);

    private readonly string own, shared;

    private JitProfile(string own, string shared) => (this.own, this.shared) = (own, shared);

    /// <summary>
    /// Starts the command's profile: plays what its last run compiled and records this run. Null when
    /// <paramref name="args"/> names no command (its first word is matched against the commands' names,
    /// never used as a path otherwise) or the folder cannot be written.
    /// </summary>
    public static JitProfile? Start(string[] args, string? baseDirectory = null)
    {
        if (args.Length == 0 || !SymlabCli.CommandNames.Contains(args[0])) return null;
        try
        {
            string folder = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, Folder);
            Directory.CreateDirectory(folder);
            RemoveAbandoned(folder);
            string shared = Path.Combine(folder, args[0] + Extension);
            string own = Path.Combine(folder, $"{args[0]}.{Environment.ProcessId}{Extension}");
            if (File.Exists(shared)) File.Copy(shared, own, overwrite: true);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(Path.GetFileName(own));
            return new JitProfile(own, shared);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stops recording (the runtime writes this run's copy) and puts the copy in the shared one's place.</summary>
    public void Dispose()
    {
        ProfileOptimization.StartProfile(null);
        try
        {
            if (File.Exists(own)) File.Move(own, shared, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run's profile serves as well; this one's copy goes with the next clean-up.
        }
    }

    private static void RemoveAbandoned(string folder)
    {
        var now = DateTime.UtcNow;
        foreach (string file in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            try
            {
                // A run's own copy is "command.pid.jitprofile"; the shared profiles have one dot.
                if (Path.GetFileNameWithoutExtension(file).Contains('.') && now - File.GetLastWriteTimeUtc(file) > Abandoned) File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Taken by another run meanwhile.
            }
        }
    }
}
