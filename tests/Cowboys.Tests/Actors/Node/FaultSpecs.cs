using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Ring;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.Actors.Node;

/// <summary>
/// Multi-node specs with faults: crashes (hard shutdown, not a leave), a restart on the same port,
/// a lost token and a network partition. Each outcome must pass the replay check, and every
/// survivor must report the same result.
/// </summary>
public sealed class FaultSpecs(ITestOutputHelper output)
{
    // three times the sample's health: long enough a game to hit it mid-way
    private static readonly Roster Tough = new("tough",
    [
        new CowboySpec("John", 30, 1), new CowboySpec("Bill", 24, 2), new CowboySpec("Sam", 30, 1),
        new CowboySpec("Peter", 15, 3), new CowboySpec("Philip", 45, 1),
    ]);

    private static GameSettings Game(long seed, int beatMs = 100) =>
        new(Tough, RuleSet.Sequential, seed, TimeSpan.FromMilliseconds(beatMs)) { ForfeitAfter = TimeSpan.FromSeconds(5) };

    private static async Task<GameResult[]> AgreedResults(IEnumerable<TestNode> nodes)
    {
        var results = await Task.WhenAll(nodes.Select(n => n.Observer.Result)).WaitAsync(TimeSpan.FromSeconds(90));
        var json = results.Select(ResultJson.Write).Distinct().ToList();
        Assert.Single(json);
        Assert.Null(SafetyChecker.FirstViolation(Tough, results[0]));
        return results;
    }

    [Fact]
    public async Task Killing_the_leaders_host_mid_game_moves_the_leader_and_loses_no_committed_beat()
    {
        await using var cluster = new TestCluster(Game(3), output);
        await cluster.StartAllAsync();
        await TestCluster.WaitForBeatAsync(cluster.Nodes[^1], 3, TimeSpan.FromSeconds(60));
        var leaderHost = TestCluster.OldestMember(cluster.Nodes[^1]);
        var victim = cluster.Nodes.Single(n => Akka.Cluster.Cluster.Get(n.System).SelfAddress == leaderHost);
        var survivors = cluster.Nodes.Where(n => n != victim).ToList();
        // a replica names the cowboy hosting the leader that committed its last beat (GET /game's "leader")
        Assert.Equal(victim.Name, cluster.Nodes[^1].Observer.LastCommitted?.Leader);

        TestCluster.Crash(victim);
        var committed = survivors.Select(n => n.Observer.LastCommitted).Where(v => v is not null).MaxBy(v => v!.Beat)!;

        var result = (await AgreedResults(survivors))[0];
        Assert.True(result.Beats > committed.Beat, "the game went on after the crash");
        // what a survivor had learned was committed before the crash is the start of the result
        Assert.Equal(committed.Deaths.ToArray(), ResultSummary.DeathsOf(result).Take(committed.Deaths.Length).ToArray());
    }

    [Fact]
    public async Task A_cowboy_killed_and_restarted_on_the_same_port_rejoins_and_plays_on_with_his_committed_health()
    {
        await using var cluster = new TestCluster(Game(4, beatMs: 150), output);
        await cluster.StartAllAsync();
        var victim = cluster.Nodes.Single(n => n.Name == "Philip"); // 45 health: alive for long
        await TestCluster.WaitForBeatAsync(cluster.Nodes[0], 3, TimeSpan.FromSeconds(60));

        var before = await TestCluster.ReplicaOf(victim);
        TestCluster.Crash(victim);
        await victim.System.WhenTerminated;
        var back = await cluster.StartAsync(victim.Index);
        // the new incarnation reads his replica back from its store: his promise and his log as they were
        var recovered = await TestCluster.ReplicaOf(back);
        Assert.True(recovered.Promised >= before.Promised, $"promised {recovered.Promised}, had promised {before.Promised}");
        Assert.True(recovered.Last >= before.Last, $"recovered {recovered.Last}, had {before.Last}");

        var survivors = cluster.Nodes.Where(n => n != victim).ToList();
        var result = (await AgreedResults(survivors))[0];
        Assert.DoesNotContain(result.Events, e => e.Cowboy == "Philip");
        if (result.Cowboys[4].Health > 0)
        {
            Assert.Contains(result.Shots, s => s.Shooter == "Philip" && s.Beat > recovered.Last.Beat + 1); // back on the ring
        }
    }

    [Fact]
    public async Task A_lost_token_is_sent_again_from_the_last_commit_and_no_shot_counts_twice()
    {
        var game = Game(5, beatMs: 0);
        await using var cluster = new TestCluster(game, output);
        for (var i = 0; i < Tough.Count; i++)
        {
            await cluster.StartAsync(i, wrapCowboy: i == 2 ? real => Props.Create(() => new TokenSwallower(real, 3)) : null);
        }

        var results = await AgreedResults(cluster.Nodes);

        // the retried beat replays exactly: the distributed game still equals the in-process referee
        Assert.Equal(FullGameSpec.Describe(Referee.Play(Tough, RuleSet.Sequential, 5)), FullGameSpec.Describe(results[0]));
    }

    [Fact]
    public async Task In_a_partition_the_minority_is_downed_and_the_majority_finishes_the_game()
    {
        await using var cluster = new TestCluster(Game(6), output, throttled: true);
        await cluster.StartAllAsync();
        var majority = cluster.Nodes.Take(3).ToList();
        var minority = cluster.Nodes.Skip(3).ToList();
        await TestCluster.WaitForBeatAsync(majority[0], 2, TimeSpan.FromSeconds(60));
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));

        await TestCluster.PartitionAsync(majority, minority);

        var result = (await AgreedResults(majority))[0];
        // the downed side's systems stop by themselves (exit non-zero in a process) and never report a result
        await Task.WhenAll(minority.Select(n => n.System.WhenTerminated)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(minority, n => Assert.False(n.Observer.Result.IsCompletedSuccessfully));
        Assert.All(minority.Where(n => result.Cowboys[n.Index].Health > 0), n => Assert.Contains(result.Events, e => e.Cowboy == n.Name));
    }

    /// <summary>
    /// A member the others removed while it could not answer (a frozen pod) wakes up as a zombie:
    /// it still holds them all as members it cannot reach, and its resolver, a minority of one,
    /// would take a free tie-break lease and leave the real majority unable to decide (seen under
    /// `play --pause`). Told it is quarantined, it must take itself out before its resolver acts.
    /// </summary>
    [Fact]
    public async Task A_member_the_others_quarantined_takes_itself_out_before_its_resolver_decides_anything()
    {
        var four = new Roster("four", [new CowboySpec("Ann", 40, 1), new CowboySpec("Ben", 40, 1), new CowboySpec("Cat", 40, 1), new CowboySpec("Dan", 40, 1)]);
        await using var cluster = new TestCluster(new GameSettings(four, RuleSet.Sequential, 8, TimeSpan.FromMilliseconds(100)) { ForfeitAfter = TimeSpan.FromSeconds(5) }, output);
        await cluster.StartAllAsync();
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));
        var zombie = cluster.Nodes[3];
        var others = cluster.Nodes.Take(3).ToList();
        await TestCluster.WaitForBeatAsync(others[0], 2, TimeSpan.FromSeconds(60));

        // what the others do when they remove a member: quarantine its incarnation
        var self = Akka.Cluster.Cluster.Get(zombie.System).SelfUniqueAddress;
        foreach (var n in others) ((IRemoteActorRefProvider)((ExtendedActorSystem)n.System).Provider).Quarantine(self.Address, self.Uid);

        await zombie.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(zombie.Log, line => line.Contains("SBR took decision", StringComparison.Ordinal));
        Assert.Contains(zombie.Log, line => line.Contains("has quarantined this process", StringComparison.Ordinal));
        var results = await Task.WhenAll(others.Select(n => n.Observer.Result)).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Single(results.Select(ResultJson.Write).Distinct());
        Assert.Null(SafetyChecker.FirstViolation(four, results[0]));
        Assert.False(zombie.Observer.Result.IsCompletedSuccessfully);
    }
}

/// <summary>Stands in front of a real cowboy and swallows the ring token once, at the given beat: a token lost in flight.</summary>
internal sealed class TokenSwallower : ReceiveActor
{
    public TokenSwallower(Props real, int atBeat)
    {
        var cowboy = Context.ActorOf(real, "real");
        IActorRef? leader = null;
        var swallowed = false;
        Receive<WhoAreYou>(m =>
        {
            leader = Sender;
            cowboy.Tell(m); // answer as ourselves, so the leader routes tokens through us
        });
        Receive<Hello>(h => leader?.Tell(h));
        Receive<RingToken>(t =>
        {
            if (!swallowed && t.State.Beat >= atBeat)
            {
                swallowed = true;
                Context.GetLogger().Warning("swallowing the token of beat {0}", t.State.Beat);
                return;
            }
            cowboy.Forward(t);
        });
        ReceiveAny(m => cowboy.Forward(m));
    }
}

/// <summary>The smallest cluster that can lose a member: the survivor must never be downed.</summary>
public sealed class TwoMemberSpec(ITestOutputHelper output)
{
    private static readonly Roster Duel = new("duel", [new CowboySpec("Ann", 400, 1), new CowboySpec("Bob", 400, 1)]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task When_one_of_two_members_crashes_the_survivor_stays_and_wins_by_forfeit(bool crashTheLeadersHost)
    {
        var game = new GameSettings(Duel, RuleSet.Sequential, 8, TimeSpan.FromMilliseconds(100)) { ForfeitAfter = TimeSpan.FromSeconds(4) };
        await using var cluster = new TestCluster(game, output);
        await cluster.StartAllAsync();
        await TestCluster.WaitForBeatAsync(cluster.Nodes[1], 2, TimeSpan.FromSeconds(60));
        var oldest = TestCluster.OldestMember(cluster.Nodes[1]);
        var victim = cluster.Nodes.Single(n => (Akka.Cluster.Cluster.Get(n.System).SelfAddress == oldest) == crashTheLeadersHost);
        var survivor = cluster.Nodes.Single(n => n != victim);

        TestCluster.Crash(victim);

        var result = await survivor.Observer.Result.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(survivor.Name, result.Winner);
        Assert.Contains(result.Events, e => e.Kind == GameEvent.Forfeit && e.Cowboy == victim.Name);
        Assert.Null(SafetyChecker.FirstViolation(Duel, result));
    }
}
