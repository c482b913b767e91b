using Xunit;
using Xunit.Abstractions;
using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.Actors.Node;

/// <summary>Multi-node spec: five cowboys in five ActorSystems play the sample to the end.</summary>
public sealed class FullGameSpec(ITestOutputHelper output)
{
    private static readonly Roster Sample = new("full",
    [
        new CowboySpec("John", 10, 1), new CowboySpec("Bill", 8, 2), new CowboySpec("Sam", 10, 1),
        new CowboySpec("Peter", 5, 3), new CowboySpec("Philip", 15, 1),
    ]);

    [Theory]
    [InlineData(RuleSet.Sequential, 7L)]
    [InlineData(RuleSet.Simultaneous, 11L)]
    public async Task Every_node_reports_the_result_the_referee_computes_for_the_same_seed(RuleSet rules, long seed)
    {
        var game = new GameSettings(Sample, rules, seed, TimeSpan.Zero);
        await using var cluster = new TestCluster(game, output);
        await cluster.StartAllAsync();

        var results = await Task.WhenAll(cluster.Nodes.Select(n => n.Observer.Result)).WaitAsync(TimeSpan.FromSeconds(30));

        // the nodes start one after another, so a start barrier that did not wait for all five
        // would play beat 1 without the late ones and miss the referee's result
        var expected = Referee.Play(Sample, rules, seed);
        Assert.All(results, r => Assert.Equal(Describe(expected), Describe(r)));
        Assert.All(results, r => Assert.Null(SafetyChecker.FirstViolation(Sample, r)));
    }

    [Fact]
    public async Task Processes_that_disagree_on_the_seed_abort_before_the_first_shot()
    {
        var game = new GameSettings(Sample, RuleSet.Sequential, 1, TimeSpan.Zero);
        await using var cluster = new TestCluster(game, output);
        await cluster.StartAllAsync(i => i == 3 ? game with { Seed = 2 } : game);

        var outcomes = await Task.WhenAll(cluster.Nodes.Select(async n =>
        {
            try
            {
                await n.Observer.Result.WaitAsync(TimeSpan.FromSeconds(30));
                return "finished";
            }
            catch (InvalidOperationException e)
            {
                return e.Message;
            }
        }));

        Assert.All(outcomes, o => Assert.Contains("Peter", o));
        Assert.All(outcomes, o => Assert.Contains("plays a different game", o));
    }

    [Fact]
    public async Task A_cowboy_who_never_arrives_ends_the_game_as_aborted_with_the_reason_once_the_start_deadline_passes()
    {
        var game = new GameSettings(Sample, RuleSet.Sequential, 1, TimeSpan.Zero) { StartBarrier = TimeSpan.FromSeconds(3) };
        await using var cluster = new TestCluster(game, output);
        for (var i = 0; i < 4; i++) await cluster.StartAsync(i); // Philip never comes

        var outcomes = await Task.WhenAll(cluster.Nodes.Select(async n =>
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => n.Observer.Result.WaitAsync(TimeSpan.FromSeconds(30)));
            return e.Message;
        }));

        Assert.All(outcomes, o => Assert.Contains("Philip never arrived", o));
        Assert.Single(outcomes.Distinct()); // one decision, the same reason everywhere
    }

    internal static string Describe(GameResult r) =>
        $"winner={r.Winner} beats={r.Beats} health={string.Join(",", r.Cowboys.Select(c => c.Health))} " +
        $"shots={string.Join(";", r.Shots.Select(s => $"{s.Beat}:{s.Shooter}>{s.Target}:{s.TargetHealth}"))} events={r.Events.Length}";
}
