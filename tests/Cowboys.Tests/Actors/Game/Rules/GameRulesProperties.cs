using System.Collections.Immutable;
using Cowboys.Actors.Game.Rules;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Rules;

public class GameRulesProperties
{
    [Property(MaxTest = 500)]
    public void TurnOrder_is_a_rotation_starting_one_place_further_each_beat(PositiveInt cowboys, PositiveInt beat)
    {
        var n = Math.Min(cowboys.Get, 1000);
        var order = GameRules.TurnOrder(n, beat.Get);
        Assert.Equal(n, order.Length);
        Assert.Equal(Enumerable.Range(0, n), order.OrderBy(i => i));
        var start = (beat.Get - 1) % n;
        for (var k = 0; k < n; k++) Assert.Equal((start + k) % n, order[k]);
    }

    [Fact]
    public void TurnOrder_handles_the_largest_beat()
    {
        var order = GameRules.TurnOrder(7, int.MaxValue);
        Assert.Equal((int)((int.MaxValue - 1L) % 7), order[0]);
    }

    [Property(MaxTest = 1000)]
    public void TargetPicker_always_picks_within_range(long seed, int beat, NonNull<string> shooter, PositiveInt count)
    {
        var pick = TargetPicker.Pick(seed, beat, shooter.Get, count.Get);
        Assert.InRange(pick, 0, count.Get - 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    public void TargetPicker_stays_in_range_at_the_edges(int count)
    {
        foreach (var seed in new[] { long.MinValue, -1L, 0L, 1L, long.MaxValue })
        {
            Assert.InRange(TargetPicker.Pick(seed, int.MaxValue, "", count), 0, count - 1);
        }
    }

    [Fact]
    public void TargetPicker_refuses_an_empty_candidate_list()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetPicker.Pick(1, 1, "John", 0));
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = 300)]
    public Property A_turn_retried_in_the_same_beat_is_a_no_op(GameCase game) =>
        Prop.ForAll(Gen.Choose(1, 30).ToArbitrary(), Gen.Choose(0, game.Roster.Count - 1).ToArbitrary(), (beat, shooter) =>
        {
            var state = BeatState.Start(beat, game.Roster.StartingHealth());
            var once = GameRules.Turn(game.Rules, game.Roster, game.Seed, state, shooter);
            var twice = GameRules.Turn(game.Rules, game.Roster, game.Seed, once, shooter);
            Assert.Equal(once.Shots.ToArray(), twice.Shots.ToArray());
            Assert.Equal(once.Health.ToArray(), twice.Health.ToArray());
            Assert.True(once.Shots.Length <= 1);
        });

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = 300)]
    public void A_whole_beat_replayed_over_itself_adds_no_shot(GameCase game)
    {
        // What a new leader does after a crash: pass the token round again from the state it has.
        var played = GameRules.PlayBeat(game.Rules, game.Roster, game.Seed, 1, game.Roster.StartingHealth());
        var again = played;
        foreach (var shooter in GameRules.TurnOrder(game.Roster.Count, 1))
        {
            again = GameRules.Turn(game.Rules, game.Roster, game.Seed, again, shooter);
        }
        Assert.Equal(played.Shots.ToArray(), again.Shots.ToArray());
        Assert.Equal(played.Health.ToArray(), again.Health.ToArray());
    }
}
