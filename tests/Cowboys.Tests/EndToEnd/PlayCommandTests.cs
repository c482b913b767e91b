using Cowboys.Host.Launcher;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Xunit;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.EndToEnd;

/// <summary>`play` as users run it: real processes, real remoting, the real sample.</summary>
public sealed class PlayCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-e2e-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Play_runs_the_sample_as_five_processes_and_writes_the_result_every_process_agreed_on()
    {
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "0", "--seed", "42", "--result", resultPath);

        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(120)));

        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
        Assert.Equal(ResultJson.Write(Referee.Play(roster, RuleSet.Sequential, 42)), ResultJson.Write(result));
        Assert.NotNull(result.Winner);
        // every cowboy's own process spoke, with its name as the prefix, and the winner said so himself
        foreach (var cowboy in roster.Cowboys) Assert.Contains($"{cowboy.Name.PadRight(6)} | ", play.Stdout);
        Assert.Contains($"{result.Winner!.PadRight(6)} | ", play.Stdout);
        Assert.Contains($"I, {result.Winner}, am the last man standing", play.Stdout);
        Assert.Contains($"Winner: {result.Winner}", play.Stdout);
    }

    [Fact]
    public async Task Play_with_simultaneous_rules_ends_with_the_referee_result_or_a_reported_draw()
    {
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "0", "--seed", "5", "--rules", "simultaneous", "--result", resultPath);

        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(120)));

        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Equal(RuleSet.Simultaneous, result.Rules);
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
        Assert.Equal(ResultJson.Write(Referee.Play(roster, RuleSet.Simultaneous, 5)), ResultJson.Write(result));
    }

    [Theory]
    [InlineData("""[{"name":"John","heatlh":10,"damage":1},{"name":"Bill","health":8,"damage":2}]""", "heatlh")]
    [InlineData("""[{"name":"John","health":10,"damage":1},{"name":"john","health":8,"damage":2}]""", "john")]
    [InlineData("""[{"name":"John","health":0,"damage":1}]""", "health")]
    [InlineData("not json at all", "roster")]
    public async Task Play_refuses_an_invalid_roster_with_exit_code_2_and_starts_no_cowboy(string roster, string named)
    {
        var file = Path.Combine(_dir.FullName, "roster.json");
        await File.WriteAllTextAsync(file, roster);
        using var play = new PlayRun("play", file, "--beat", "0");

        Assert.Equal(2, await play.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(named, play.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(play.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain(" | ", play.Stdout); // no cowboy ever printed a line
    }

    [Fact]
    public async Task Play_refuses_a_100000_cowboy_roster_without_launching_it()
    {
        var file = Path.Combine(_dir.FullName, "huge.json");
        await File.WriteAllTextAsync(file, "[" + string.Join(",", Enumerable.Range(0, 100_000).Select(i => $$"""{"name":"c{{i}}","health":1,"damage":1}""")) + "]");
        using var play = new PlayRun("play", file);

        Assert.Equal(2, await play.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("1000", play.Stderr);
        Assert.Empty(CowboyProcesses.ChildrenOf(play.Pid));
    }

    [Fact]
    public async Task No_cowboy_outlives_a_launcher_killed_with_sigkill()
    {
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "5s", "--seed", "1");
        await play.WaitForOutputAsync("cowboys are up: the game starts", TimeSpan.FromSeconds(90));
        var children = CowboyProcesses.ChildrenOf(play.Pid);
        Assert.Equal(5, children.Count);

        Posix.Kill(play.Pid, 9);

        await CowboyProcesses.WaitUntilAllGoneAsync(children, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Sigterm_stops_the_launcher_and_every_cowboy_with_exit_code_1()
    {
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "5s", "--seed", "1");
        await play.WaitForOutputAsync("cowboys are up: the game starts", TimeSpan.FromSeconds(90));
        var children = CowboyProcesses.ChildrenOf(play.Pid);
        Assert.Equal(5, children.Count);

        Posix.Kill(play.Pid, 15);

        Assert.Equal(1, await play.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        await CowboyProcesses.WaitUntilAllGoneAsync(children, TimeSpan.FromSeconds(5));
    }
}

/// <summary>`play --chaos`: real processes killed with SIGKILL mid-game and restarted like pods.</summary>
public sealed class ChaosPlayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-chaos-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Play_with_chaos_kills_the_leaders_host_and_others_and_still_ends_with_a_safe_agreed_result()
    {
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", PlayRun.SamplePath, "--chaos", "3", "--beat", "100ms", "--seed", "11", "--result", resultPath);

        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(150)));

        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
        Assert.InRange(result.Faults.Length, 1, 3);
        Assert.Contains(result.Faults, f => f.LeaderHost);
        Assert.Contains("killed", play.Stdout);
    }
}

/// <summary>An even roster (its witness breaks ties) under kills and a freeze at once.</summary>
public sealed class EvenRosterChaosTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-even-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Four_cowboys_and_the_witness_under_kills_and_a_freeze_end_with_one_result_that_replays()
    {
        var file = Path.Combine(_dir.FullName, "four.json");
        await File.WriteAllTextAsync(file, """[{"name":"Ann","health":24,"damage":3},{"name":"Ben","health":24,"damage":3},{"name":"Cat","health":24,"damage":3},{"name":"Dan","health":24,"damage":3}]""");
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", file, "--chaos", "2", "--pause", "1", "--beat", "150ms", "--seed", "4", "--result", resultPath);

        Assert.True(await play.ExitCodeAsync(TimeSpan.FromSeconds(150)) == 0, play.Stdout + play.Stderr); // 1 would mean the processes disagree

        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Null(SafetyChecker.FirstViolation(RosterParser.ParseFile(file), result));
        Assert.Contains(result.Faults, f => f.Kind == Fault.Pause);
        Assert.Contains(result.Faults, f => f.Kind != Fault.Pause);
    }
}

/// <summary>`play --pause`: the leader's host frozen with SIGSTOP until the others replaced him, then woken with SIGCONT.</summary>
public sealed class PausePlayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-pause-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_frozen_leader_wakes_up_fenced_and_every_process_reports_the_one_result()
    {
        var file = await BrittleRoster.WriteToAsync(_dir.FullName);
        var resultPath = Path.Combine(_dir.FullName, "result.json");
        using var play = new PlayRun("play", file, "--pause", "1", "--beat", "150ms", "--seed", "5", "--result", resultPath);

        Assert.True(await play.ExitCodeAsync(TimeSpan.FromSeconds(120)) == 0, play.Stdout + play.Stderr); // 1 would mean the processes disagree

        var result = ResultJson.Read(await File.ReadAllTextAsync(resultPath));
        Assert.Null(SafetyChecker.FirstViolation(RosterParser.ParseFile(file), result));
        var pause = Assert.Single(result.Faults);
        Assert.Equal((Fault.Pause, true), (pause.Kind, pause.LeaderHost));
        Assert.Contains("froze", play.Stdout);
        Assert.Contains("woke", play.Stdout);
    }
}
