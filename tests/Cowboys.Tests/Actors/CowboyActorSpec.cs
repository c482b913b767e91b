using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Ring;
using Cowboys.Actors.Rosters;
using Cowboys.Actors.Rules;
using Xunit;

namespace Cowboys.Tests.Actors;

/// <summary>The cowboy actor on its own, with probes standing in for the other cowboys and the leader.</summary>
public sealed class CowboyActorSpec : TestKit
{
    private static readonly Roster Trio = new(null, [new CowboySpec("Ann", 5, 2), new CowboySpec("Bob", 5, 3), new CowboySpec("Cid", 5, 1)]);
    private static readonly GameSettings Game = new(Trio, RuleSet.Sequential, 99, TimeSpan.Zero);

    private RingToken TokenFor(long epoch, int beat, ImmutableArray<int> health, params (int Index, IActorRef Ref)[] route) =>
        new(epoch, 1, 0, route.Select(r => new RingStop(r.Index, r.Ref)).ToImmutableArray(), BeatState.Start(beat, health), TestActor);

    [Fact]
    public void A_live_cowboy_takes_his_turn_with_the_pure_rules_and_passes_the_token_on()
    {
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", null));
        var bob = CreateTestProbe();
        var token = TokenFor(1, 1, Trio.StartingHealth(), (0, ann), (1, bob.Ref));

        ann.Tell(token);

        var passed = bob.ExpectMsg<RingToken>();
        Assert.Equal(1, passed.Hop);
        var expected = GameRules.Turn(RuleSet.Sequential, Trio, 99, token.State, 0);
        Assert.Equal(expected.Shots.ToArray(), passed.State.Shots.ToArray());
        Assert.Equal(expected.Health.ToArray(), passed.State.Health.ToArray());
    }

    [Fact]
    public void The_last_cowboy_of_the_route_sends_the_token_home_to_the_leader()
    {
        var cid = Sys.ActorOf(CowboyActor.Props(Game, "Cid", null));
        cid.Tell(TokenFor(1, 1, Trio.StartingHealth(), (2, cid)));

        var home = ExpectMsg<RingToken>();
        Assert.Equal(1, home.Hop);
        Assert.Single(home.State.Shots);
        Assert.Equal("Cid", home.State.Shots[0].Shooter);
    }

    [Fact]
    public void A_dead_cowboy_passes_the_token_on_without_shooting()
    {
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", null));
        var bob = CreateTestProbe();
        ann.Tell(TokenFor(1, 1, [0, 5, 5], (0, ann), (1, bob.Ref)));

        Assert.Empty(bob.ExpectMsg<RingToken>().State.Shots);
    }

    [Fact]
    public void A_token_of_a_superseded_leader_is_dropped()
    {
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", null));
        var bob = CreateTestProbe();
        ann.Tell(new Commit(7, GameSnapshot.Initial(Trio)));
        ExpectMsg<CommitAck>();

        ann.Tell(TokenFor(6, 1, Trio.StartingHealth(), (0, ann), (1, bob.Ref)));
        ann.Tell(TokenFor(7, 1, Trio.StartingHealth(), (0, ann), (1, bob.Ref)));

        // messages between two actors keep their order: had the stale token been passed on, it would arrive first
        Assert.Equal(7, bob.ExpectMsg<RingToken>().Epoch);
    }

    [Fact]
    public void A_committed_beat_is_kept_as_a_replica_and_handed_to_whoever_asks()
    {
        var bob = Sys.ActorOf(CowboyActor.Props(Game, "Bob", null));
        var snapshot = new GameSnapshot(3, 2, [1, 0, 4], [new Shot(1, "Ann", "Bob", 2, 3), new Shot(2, "Ann", "Bob", 2, 1)], []);
        snapshot = snapshot with { Health = [1, 1, 4] };

        bob.Tell(new Commit(3, snapshot));
        Assert.Equal(new CommitAck(3, 2, "Bob"), ExpectMsg<CommitAck>());
        bob.Tell(new Commit(3, GameSnapshot.Initial(Trio))); // an older copy never replaces a newer one
        ExpectMsg<CommitAck>();
        bob.Tell(WhoAreYou.Instance);

        var hello = ExpectMsg<Hello>();
        Assert.Equal("Bob", hello.Name);
        Assert.Equal(Game.Fingerprint(), hello.Fingerprint);
        Assert.Equal(3, hello.HighestEpoch);
        Assert.Equal(2, hello.Snapshot.Beat);
        Assert.Equal(new[] { 1, 1, 4 }, hello.Snapshot.Health.ToArray());
    }

    [Fact]
    public void A_commit_carries_only_the_beats_changes_and_a_cowboy_who_missed_one_asks_for_everything()
    {
        var cid = Sys.ActorOf(CowboyActor.Props(Game, "Cid", null));
        var shot1 = new Shot(1, "Ann", "Cid", 2, 3);
        cid.Tell(new Commit(2, null, new BeatDelta(1, [5, 5, 3], [shot1], [])));
        Assert.Equal(new CommitAck(2, 1, "Cid"), ExpectMsg<CommitAck>());

        // beat 3 without beat 2: not applied, and the ack says where this replica stands
        cid.Tell(new Commit(2, null, new BeatDelta(3, [5, 5, 0], [new Shot(3, "Bob", "Cid", 3, 0)], [])));
        Assert.Equal(new CommitAck(2, 1, "Cid"), ExpectMsg<CommitAck>());

        cid.Tell(WhoAreYou.Instance);
        var hello = ExpectMsg<Hello>();
        Assert.Equal(1, hello.Snapshot.Beat);
        Assert.Equal(new[] { shot1 }, hello.Snapshot.Shots.ToArray());
        Assert.Equal(new[] { 5, 5, 3 }, hello.Snapshot.Health.ToArray());
    }

    [Fact]
    public async Task Game_over_reaches_the_process_acknowledged_and_the_cowboy_leaves()
    {
        var observer = new Cluster.ResultObserver();
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", observer));
        var result = GameResult.From(Trio, RuleSet.Sequential, 99, 4, [3, 0, 0], [], []);

        ann.Tell(new GameOver(5, result));

        Assert.Equal(new GameOverAck(5, "Ann"), ExpectMsg<GameOverAck>());
        Assert.Equal("Ann", (await observer.Result.WaitAsync(TimeSpan.FromSeconds(5))).Winner);
        await Sys.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10)); // it left: coordinated shutdown ended its system
    }
}
