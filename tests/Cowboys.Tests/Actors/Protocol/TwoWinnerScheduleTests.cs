using System.Collections.Immutable;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;

namespace Cowboys.Tests.Actors.Protocol;

/// <summary>
/// The three schedules that gave two results (issue 16), replayed step by step against the pure
/// machines: each stops at the step where the protocol now refuses what used to go wrong.
/// </summary>
public sealed class TwoWinnerScheduleTests
{
    private static readonly TimeSpan T = TimeSpan.Zero;

    private static GameSettings Game(params string[] names) =>
        new(new Roster("regression", names.Select(n => new CowboySpec(n, 3, 1)).ToImmutableArray()), RuleSet.Sequential, 42, TimeSpan.Zero);

    [Fact]
    public void A_witness_request_that_arrives_late_does_not_take_the_witness_back_and_the_next_leader_waits_for_the_newer_beat()
    {
        // L and O, plus the witness. Epoch E commits beat j with L and O, then beat j+1 with L and the
        // witness (O lost that accept); the witness request for beat j, held up, lands last.
        const long e = 1 << 20;
        var witness = WitnessRecord.Empty.Prepare(e, "L").Next;
        witness = witness.Accept(e, new Position(e, 2)).Next;
        var (afterStale, staleAnswer) = witness.Accept(e, new Position(e, 1));
        Assert.Equal(new Position(e, 2), afterStale.Accepted);
        Assert.True(staleAnswer.Granted); // harmless: the leader has moved on and ignores it

        // L has left. O's new leader hears O (at beat j) and the witness (at beat j+1): it must not
        // re-play beat j+1 from O's log, which lacks it
        var game = Game("L", "O");
        var leader = new LeaderMachine(game, 2, "O#leader");
        leader.Start(T);
        var prepare = leader.OnHello(new Hello("O", game.Fingerprint(), e, new Position(e, 1), 11, Voter: true, Decided: false), "o", T)
            .OfType<SendTo>().Select(s => s.Message).OfType<Prepare>().Single();
        var asked = leader.OnMessage(new Promise(prepare.Epoch, "O", game.Fingerprint(), new Position(e, 1), 11, true), T);
        var witnessPrepare = asked.OfType<AskWitness>().Select(a => a.Request).OfType<WitnessPrepare>().Single();
        var (_, promise) = afterStale.Prepare(witnessPrepare.Epoch, witnessPrepare.Leader);

        var effects = leader.OnMessage(promise, T);
        Assert.DoesNotContain(effects, x => x is SendTo { Message: Fetch or Accept } or SendToken);
        Assert.Contains(effects, x => x is Note n && n.Text.Contains("waiting for a cowboy who holds it", StringComparison.Ordinal));
    }

    [Fact]
    public void Replacement_pods_that_forgot_their_promises_do_not_vote_so_they_cannot_abort_a_game_already_won()
    {
        // A, B and C promised epoch e1 and A and B stored the final beat; A announced the winner and
        // left. B and C crashed and came back as new pods with empty replicas: their claims on the
        // Lease were taken by their first pods, so they are not voters.
        var game = Game("A", "B", "C");
        var b = new ReplicaMachine(game, "B", stored: null, VotingRight.Of(durable: false, firstIncarnation: false));
        var c = new ReplicaMachine(game, "C", stored: null, VotingRight.Of(durable: false, firstIncarnation: false));
        var leader = new LeaderMachine(game, 7, "B#leader", new LeaderTimings { StartBarrier = TimeSpan.FromSeconds(1) });
        leader.Start(T);

        var effects = new List<LeaderEffect>();
        foreach (var replica in new[] { b, c })
        {
            var hello = (Hello)((Reply)replica.Handle(WhoAreYou.Instance).Single()).Message;
            Assert.False(hello.Voter);
            effects.AddRange(leader.OnHello(hello, replica.Name, T));
        }
        // the start barrier's deadline passes with A missing: an abort needs a quorum of voters, and there is none
        effects.AddRange(leader.OnTimer(LeaderTimer.BarrierDeadline, 1, TimeSpan.FromSeconds(2)));
        Assert.DoesNotContain(effects, x => x is SendTo { Message: Prepare or Accept });

        // even a leader that asked anyway gets promises that do not count
        var promise = (Promise)((Reply)b.Handle(new Prepare(9 << 20, game.Fingerprint(), "B#leader")).OfType<Reply>().Single()).Message;
        Assert.False(promise.Voter);
    }

    [Fact]
    public void Two_leaders_that_draw_the_same_epoch_cannot_both_be_promised_it()
    {
        var game = Game("A", "B", "C");
        const long epoch = (5 << 20) | 3; // the same round and the same low bits of incarnation
        var replica = new ReplicaMachine(game, "B", StoredReplica.Empty, voter: true);
        Assert.IsType<Promise>(((Reply)replica.Handle(new Prepare(epoch, game.Fingerprint(), "X")).OfType<Reply>().Single()).Message);

        var refused = ((Reply)replica.Handle(new Prepare(epoch, game.Fingerprint(), "Y")).Single()).Message;
        Assert.Equal(new Rejected(epoch, "B", epoch), refused);
        // the same leader asking again is answered again
        Assert.IsType<Promise>(((Reply)replica.Handle(new Prepare(epoch, game.Fingerprint(), "X")).OfType<Reply>().Single()).Message);

        var witness = WitnessRecord.Empty.Prepare(epoch, "X").Next;
        Assert.False(witness.Prepare(epoch, "Y").Answer.Granted);

        // leader Y hears that its epoch is taken and steps down, to come back with a higher one
        var y = new LeaderMachine(game, 3, "Y");
        y.Start(T);
        var prepares = new[] { "A", "B", "C" }
            .SelectMany(n => y.OnHello(new Hello(n, game.Fingerprint(), 4 << 20, Position.Start, 0, true, false), n, T))
            .OfType<SendTo>().Select(s => s.Message).OfType<Prepare>().ToList();
        Assert.Equal(epoch, prepares[0].Epoch);
        var stepDown = y.OnMessage(new Rejected(epoch, "B", epoch), T);
        Assert.Contains(stepDown, x => x is Note n && n.Text.Contains("stepping down", StringComparison.Ordinal));
        var retry = stepDown.OfType<StartTimer>().Single(t => t.Timer == LeaderTimer.Retry);
        var again = y.OnTimer(LeaderTimer.Retry, retry.Generation, TimeSpan.FromSeconds(1)).OfType<SendTo>().Select(s => s.Message).OfType<Prepare>().ToList();
        Assert.All(again, p => Assert.True(p.Epoch > epoch));
    }
}
