using Cowboys.Actors.Game.Results;
using Xunit;

namespace Cowboys.Tests.EndToEnd;

/// <summary>Cowboy processes that disagree on the game: the start barrier aborts it, and the abort is final.</summary>
public sealed class AbortedGameTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("aborted-");

    [Fact]
    public async Task Cowboys_that_disagree_on_the_seed_abort_before_any_shot_exit_2_and_say_why_in_their_termination_logs()
    {
        var roster = Path.Combine(_dir.FullName, "roster.json");
        await File.WriteAllTextAsync(roster, """[{"name":"John","health":3,"damage":1},{"name":"Bill","health":3,"damage":1}]""");
        var ports = TestPorts.Take(4);
        var contactPoints = $"127.0.0.1:{ports[1]},127.0.0.1:{ports[3]}";
        PlayRun Cowboy(string name, int i, string seed) => new(
            "cowboy", "--name", name, "--roster", roster, "--seed", seed, "--beat", "0", "--state-dir", Path.Combine(_dir.FullName, name),
            "--port", ports[2 * i].ToString(), "--http-port", ports[2 * i + 1].ToString(), "--contact-points", contactPoints,
            "--termination-log", Path.Combine(_dir.FullName, $"{name}.log"), "--parent-pid", Environment.ProcessId.ToString());

        using var john = Cowboy("John", 0, "1");
        using var bill = Cowboy("Bill", 1, "2");

        foreach (var (name, run) in new[] { ("John", john), ("Bill", bill) })
        {
            var code = await run.ExitCodeAsync(TimeSpan.FromSeconds(90));
            Assert.True(code == 2, $"{name} exited {code}: a Job would start him again into a game that cannot be played\n{run.Stdout}\n{run.Stderr}");
            Assert.Contains("the game was aborted", run.Stderr);
            var summary = ResultSummary.TryParse(await File.ReadAllTextAsync(Path.Combine(_dir.FullName, $"{name}.log")));
            Assert.NotNull(summary);
            Assert.False(summary.IsFinished);
            Assert.Contains("plays a different game", summary.Reason);
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
