using System.Text.Json;
using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Host.Launcher;
using Xunit;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.EndToEnd;

/// <summary>
/// Issue 11: a game of many processes on this machine, and how play starts them: the runtime
/// settings it gives each cowboy, and the ReadyToRun copy of the program it starts them from.
/// </summary>
public sealed class LargeGameTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-large-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Thirty_cowboys_as_thirty_processes_end_with_the_result_the_rules_replay()
    {
        var rosterPath = Roster(30, health: 3);
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", rosterPath, "--beat", "0", "--seed", "30", "--result", resultPath);

        var exit = await play.ExitCodeAsync(TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, $"exit {exit}\nstdout:\n{play.Stdout}\nstderr:\n{play.Stderr}");

        var roster = await AssertTheRulesReplayAsync(rosterPath, resultPath, 30);
        Assert.Equal(30, roster.Cowboys.Count(c => play.Stdout.Contains($"{c.Name} | ", StringComparison.Ordinal)));
        // on a small machine they start in waves, each once the earlier have joined
        var waves = Waves.For(30, Environment.ProcessorCount).Length;
        if (waves > 1) Assert.Contains($"wave {waves} of {waves}: starting", play.Stdout);
    }

    [LongRunningFact]
    public async Task A_hundred_cowboys_started_in_waves_from_the_build_output_end_with_the_result_the_rules_replay()
    {
        var rosterPath = Roster(100, health: 10);
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = PlayRun.Program(Path.Combine(HostBuildOutput(), "Cowboys.Host"), new Dictionary<string, string?>(),
            "play", rosterPath, "--beat", "0", "--seed", "100", "--result", resultPath, "--plain");

        var exit = await play.ExitCodeAsync(TimeSpan.FromMinutes(15));
        Assert.True(exit == 0, $"exit {exit}\nstderr:\n{play.Stderr}");

        await AssertTheRulesReplayAsync(rosterPath, resultPath, 100);
    }

    [Fact]
    public async Task A_roster_larger_than_play_can_run_here_is_refused_with_the_reason_and_no_process_starts()
    {
        using var play = new PlayRun("play", Roster(PlayOptions.MaxLocalCowboys + 1, health: 3), "--beat", "0");

        Assert.Equal(2, await play.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"takes at most {PlayOptions.MaxLocalCowboys} on one machine", play.Stderr);
        Assert.Contains($"this roster has {PlayOptions.MaxLocalCowboys + 1} (run it on Kubernetes instead)", play.Stderr);
        Assert.DoesNotContain("endpoint ", play.Stdout);
    }

    [Fact]
    public async Task Every_cowboy_process_runs_with_plays_runtime_settings_and_a_users_own_setting_wins()
    {
        // the user's own gen0 budget must reach the cowboys unchanged; the other settings are play's
        using var play = PlayRun.WithEnvironment(new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "0x800000" },
            "play", PlayRun.SamplePath, "--beat", "1m", "--seed", "3");
        var children = await ChildrenAsync(play, 5);

        foreach (var pid in children)
        {
            var environment = EnvironmentOf(pid);
            foreach (var (key, value) in CowboyRuntime.Environment)
            {
                Assert.True(environment.TryGetValue(key, out var actual), $"cowboy {pid} has no {key}");
                Assert.Equal(key == "DOTNET_GCgen0size" ? "0x800000" : value, actual);
            }
        }
    }

    [Fact]
    public async Task Play_started_from_its_build_output_starts_the_cowboys_from_the_ReadyToRun_copy()
    {
        var output = HostBuildOutput();
        using var play = PlayRun.Program(Path.Combine(output, "Cowboys.Host"), new Dictionary<string, string?>(),
            "play", PlayRun.SamplePath, "--beat", "1m", "--seed", "4", "--debug", "--plain");
        var children = await ChildrenAsync(play, 5);

        var copy = Path.Combine(output, "r2r", "Cowboys.Host");
        foreach (var pid in children) Assert.Equal(copy, ExecutableOf(pid));
        Assert.Contains($"cowboys start from the ReadyToRun copy in {Path.Combine(output, "r2r")}", play.Stdout);
    }

    /// <summary>The result play wrote breaks no safety rule and is the one the rules replay from the seed.</summary>
    private static async Task<Roster> AssertTheRulesReplayAsync(string rosterPath, string resultPath, long seed)
    {
        var roster = RosterParser.ParseFile(rosterPath);
        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
        Assert.Equal(ResultJson.Write(Referee.Play(roster, RuleSet.Sequential, seed)), ResultJson.Write(result));
        return roster;
    }

    private string Roster(int count, int health)
    {
        var path = Path.Combine(_dir.FullName, $"roster-{count}.json");
        var cowboys = Enumerable.Range(0, count).Select(i => new { name = $"C{i:D2}", health, damage = 1 });
        File.WriteAllText(path, JsonSerializer.Serialize(cowboys));
        return path;
    }

    private static Task<IReadOnlyList<int>> ChildrenAsync(PlayRun play, int count) =>
        Eventually.Until(() => CowboyProcesses.ChildrenOf(play.Pid), c => c.Count == count, TimeSpan.FromSeconds(60), $"{count} cowboy processes",
            c => $"{c.Count} of them\nstdout:\n{play.Stdout}\nstderr:\n{play.Stderr}", () => play.HasExited);

    private static Dictionary<string, string> EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .GroupBy(kv => kv[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);

    private static string ExecutableOf(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget ?? "";

    /// <summary>Cowboys.Host's own build output, where its build put the ReadyToRun copy.</summary>
    public static string HostBuildOutput()
    {
        // tests/Cowboys.Tests/bin/<Configuration>/net10.0/ -> Cowboys.Host/bin/<Configuration>/net10.0/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = tfm.Parent!.Name;
        return Path.Combine(Repository.Root, "Cowboys.Host", "bin", configuration, tfm.Name);
    }
}
