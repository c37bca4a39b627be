using SymmetryLab.Cli;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// The command's multicore JIT profile (JitProfile): named only after a command, recorded into a run's own
/// copy and put in place whole, a killed run's copy removed later.
/// </summary>
public sealed class JitProfileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("symlab-jit-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Folder => Path.Combine(dir, JitProfile.Folder);

    [Fact]
    public void TheNamesAreTheCommands()
    {
        var made = SymlabCli.Commands(new CommandIO(TextWriter.Null, TextWriter.Null, false)).Subcommands.Select(c => c.Name);
        Assert.Equal(made.Order(StringComparer.Ordinal), SymlabCli.CommandNames.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("trian")]
    [InlineData("../train")]
    [InlineData("Train")]
    public void AnythingButACommandStartsNone(params string[] args)
    {
        Assert.Null(JitProfile.Start(args, dir));
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public void ARunPutsItsProfileInPlaceAndRemovesOnlyAbandonedCopies()
    {
        Directory.CreateDirectory(Folder);
        string abandoned = Path.Combine(Folder, "sweep.12345.jitprofile"), running = Path.Combine(Folder, "sweep.12346.jitprofile");
        string oldShared = Path.Combine(Folder, "compare.jitprofile");
        foreach (var f in new[] { abandoned, running, oldShared }) File.WriteAllText(f, "x");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(oldShared, DateTime.UtcNow.AddDays(-2));

        // In this process: the runtime takes the first profile root it is given, this test's folder.
        var profile = JitProfile.Start(["inspect"], dir);
        Assert.NotNull(profile);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(oldShared));
        profile.Dispose();

        string shared = Path.Combine(Folder, "inspect.jitprofile");
        Assert.True(new FileInfo(shared).Length > 0);
        Assert.False(File.Exists(Path.Combine(Folder, $"inspect.{Environment.ProcessId}.jitprofile")));
    }

    [Fact]
    public void TheCommandLineLeavesItsProfileAndNoCopy()
    {
        using var child = SymlabProcess.Start(["gradcheck", "--help"]);
        child.StandardInput.Close();
        child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, child.ExitCode);
        string folder = Path.Combine(AppContext.BaseDirectory, JitProfile.Folder);
        Assert.True(new FileInfo(Path.Combine(folder, "gradcheck.jitprofile")).Length > 0);
        Assert.False(File.Exists(Path.Combine(folder, $"gradcheck.{child.Id}.jitprofile")));
    }
}
