using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.Actors.Node;

/// <summary>
/// Multi-node specs of the faults that broke the old protocol: the leader's node on the minority
/// side of a partition, and a leader whose traffic is held back (a paused process) and released
/// after the others replaced it. The roster lets one shooter finish the game alone (every shot
/// hurts), so a leader that committed without a majority would announce his own winner.
/// </summary>
public sealed class NemesisSpecs(ITestOutputHelper output)
{
    private static readonly Roster Brittle = EndToEnd.BrittleRoster.Roster;

    private static GameSettings Game(long seed) =>
        new(Brittle, RuleSet.Sequential, seed, TimeSpan.FromMilliseconds(150)) { ForfeitAfter = TimeSpan.FromSeconds(3) };

    [Fact]
    public async Task A_leader_cut_off_on_the_minority_side_commits_nothing_and_the_majority_ends_with_the_one_result()
    {
        await using var cluster = new TestCluster(Game(21), output, throttled: true);
        await cluster.StartAllAsync();
        await TestCluster.WaitForBeatAsync(cluster.Nodes[0], 1, TimeSpan.FromSeconds(60));
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));
        var leader = cluster.LeaderHost(cluster.Nodes[0]);
        var minority = new[] { leader, cluster.Nodes.First(n => n != leader) };
        var majority = cluster.Nodes.Except(minority).ToList();
        var before = leader.Log.Count;

        await TestCluster.PartitionAsync(minority, majority);

        var results = await Task.WhenAll(majority.Select(n => n.Observer.Result)).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Single(results.Select(ResultJson.Write).Distinct());
        Assert.Null(SafetyChecker.FirstViolation(Brittle, results[0]));
        // the cut-off side never learned an end of its own: it was downed (its systems stop) without one
        await Task.WhenAll(minority.Select(n => n.System.WhenTerminated)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(minority, n => Assert.False(n.Observer.Result.IsCompletedSuccessfully, $"{n.Name} reported a result cut off from the majority"));
        var cutOffCommits = leader.Log.Skip(before).Where(l => l.Contains(" committed:", StringComparison.Ordinal)).ToList();
        Assert.True(cutOffCommits.Count <= 1, $"the cut-off leader committed: {string.Join(" | ", cutOffCommits)}"); // one may have been under way
        Assert.DoesNotContain(leader.Log.Skip(before), l => l.StartsWith("Last man standing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_leader_whose_messages_are_held_back_and_released_later_is_fenced_off_by_the_new_epoch()
    {
        await using var cluster = new TestCluster(Game(22), output, throttled: true);
        await cluster.StartAllAsync();
        await TestCluster.WaitForBeatAsync(cluster.Nodes[0], 1, TimeSpan.FromSeconds(60));
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));
        var leader = cluster.LeaderHost(cluster.Nodes[0]);
        var others = cluster.Nodes.Where(n => n != leader).ToList();
        var epochBefore = (await TestCluster.ReplicaOf(others[0])).Promised;

        // the others stop hearing the leader, as if it were frozen; it goes on hearing them
        await TestCluster.SilenceAsync(leader, others, silenced: true);
        var watcher = others[^1];
        await Eventually.Until(async () => watcher.Observer.Result.IsCompleted || (await TestCluster.ReplicaOf(watcher)).Promised > epochBefore,
            TimeSpan.FromSeconds(60), "a new leader to take over from the silenced one");
        await TestCluster.SilenceAsync(leader, others, silenced: false);

        var results = await Task.WhenAll(others.Select(n => n.Observer.Result)).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Single(results.Select(ResultJson.Write).Distinct());
        Assert.Null(SafetyChecker.FirstViolation(Brittle, results[0]));
        // the silenced node either learned the same end or none at all
        if (leader.Observer.Result.IsCompletedSuccessfully) Assert.Equal(ResultJson.Write(results[0]), ResultJson.Write(await leader.Observer.Result));
    }
}
