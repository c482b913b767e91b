using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Ring;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;

namespace Cowboys.Tests.Actors.Node.Cowboy;

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
    public void A_token_of_a_superseded_leader_is_dropped_and_its_leader_told()
    {
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", null));
        var bob = CreateTestProbe();
        ann.Tell(new Prepare(7, Game.Fingerprint(), "leader-a"));
        ExpectMsg<Promise>();

        ann.Tell(TokenFor(6, 1, Trio.StartingHealth(), (0, ann), (1, bob.Ref)));
        Assert.Equal(new Rejected(6, "Ann", 7), ExpectMsg<Rejected>());
        ann.Tell(TokenFor(7, 1, Trio.StartingHealth(), (0, ann), (1, bob.Ref)));

        // messages between two actors keep their order: had the stale token been passed on, it would arrive first
        Assert.Equal(7, bob.ExpectMsg<RingToken>().Epoch);
    }

    [Fact]
    public void An_accepted_beat_is_stored_before_it_is_acknowledged_and_survives_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory("cowboys-replica-").FullName;
        try
        {
            var bob = Sys.ActorOf(CowboyActor.Props(Game, "Bob", null, dir));
            var beat1 = BeatEntry.Create(0, 1, 5 << 20, [5, 3, 5], [new Shot(1, "Ann", "Bob", 2, 3)], []);
            bob.Tell(new Prepare(5 << 20, Game.Fingerprint(), "leader-a"));
            Assert.Equal(Position.Start, ExpectMsg<Promise>().Last);
            bob.Tell(new Accept(5 << 20, Game.Fingerprint(), 0, beat1));
            Assert.Equal(beat1.Position, ExpectMsg<Ack>().Last);
            Watch(bob);
            Sys.Stop(bob);
            ExpectTerminated(bob);

            // a new incarnation of the process reads what the old one stored, and keeps its promise
            var again = Sys.ActorOf(CowboyActor.Props(Game, "Bob", null, dir));
            again.Tell(WhoAreYou.Instance);
            var hello = ExpectMsg<Hello>();
            Assert.Equal(5 << 20, hello.Promised);
            Assert.Equal(beat1.Position, hello.Last);
            again.Tell(new Prepare(4 << 20, Game.Fingerprint(), "leader-b"));
            Assert.Equal(new Rejected(4 << 20, "Bob", 5 << 20), ExpectMsg<Rejected>());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_committed_beat_is_shown_with_the_cowboy_hosting_the_leader_that_taught_it()
    {
        var observer = new ResultObserver();
        var bob = Sys.ActorOf(CowboyActor.Props(Game, "Bob", observer));
        var beat1 = BeatEntry.Create(0, 1, 5, [5, 3, 5], [new Shot(1, "Ann", "Bob", 2, 3)], []);
        var beat2 = BeatEntry.Create(beat1.Digest, 2, 5, [5, 0, 5], [new Shot(2, "Ann", "Bob", 2, 0)], []);

        bob.Tell(new Accept(5, Game.Fingerprint(), 0, beat1, "Cid"));
        ExpectMsg<Ack>();
        Assert.Null(observer.LastCommitted); // accepted, not known committed yet
        bob.Tell(new Accept(5, Game.Fingerprint(), beat1.Digest, beat2, "Cid"));
        ExpectMsg<Ack>();
        Assert.Equal((1, "Cid"), (observer.LastCommitted!.Beat, observer.LastCommitted.Leader));

        // a new leader, on Ann's process, catches him up: the next beat shows her
        bob.Tell(new Sync(6, Game.Fingerprint(), 2, beat1.Digest, [beat2], "Ann"));
        ExpectMsg<Ack>();
        Assert.Equal((2, "Ann"), (observer.LastCommitted!.Beat, observer.LastCommitted.Leader));
    }

    [Fact]
    public async Task The_end_reaches_the_process_only_once_the_decided_beat_is_held_and_the_cowboy_leaves()
    {
        var observer = new ResultObserver();
        var ann = Sys.ActorOf(CowboyActor.Props(Game, "Ann", observer));
        var final = BeatEntry.Create(0, 1, 9, [3, 0, 0], [], [new GameEvent(1, GameEvent.Forfeit, "Bob"), new GameEvent(1, GameEvent.Forfeit, "Cid")]);

        ann.Tell(new Decide(9, 1, final.Digest)); // not held yet: he answers where his log ends
        Assert.Equal(Position.Start, ExpectMsg<Ack>().Last);
        Assert.False(observer.Result.IsCompleted);

        ann.Tell(new Sync(9, Game.Fingerprint(), 1, 0, [final]));
        ExpectMsg<Ack>();
        ann.Tell(new Decide(9, 1, final.Digest));

        Assert.Equal(new Done(9, "Ann", 1, final.Digest), ExpectMsg<Done>());
        Assert.Equal("Ann", (await observer.Result.WaitAsync(TimeSpan.FromSeconds(5))).Winner);
        await Sys.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10)); // it left: coordinated shutdown ended its system
    }
}
