using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using FsCheck.Xunit;
using Xunit;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.Actors.Game.Rules;

/// <summary>What every game the referee plays must satisfy, for random rosters, seeds and both rule sets.</summary>
public class RefereeProperties
{
    private const int Games = 300;

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void Every_game_terminates_with_at_most_one_cowboy_alive(GameCase game)
    {
        var result = game.Play();
        Assert.True(result.Cowboys.Count(c => c.Health > 0) <= 1);
        Assert.True(result.Beats >= 0);
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void A_sequential_game_always_has_exactly_one_winner(GameCase game)
    {
        var result = Referee.Play(game.Roster, RuleSet.Sequential, game.Seed);
        var alive = result.Cowboys.Where(c => c.Health > 0).ToList();
        Assert.Single(alive);
        Assert.Equal(alive[0].Name, result.Winner);
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void A_simultaneous_game_ends_with_a_winner_or_a_draw(GameCase game)
    {
        var result = Referee.Play(game.Roster, RuleSet.Simultaneous, game.Seed);
        var alive = result.Cowboys.Where(c => c.Health > 0).Select(c => c.Name).ToList();
        Assert.True(alive.Count <= 1);
        Assert.Equal(alive.SingleOrDefault(), result.Winner);
        Assert.Equal(alive.Count == 0, result.IsDraw);
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void The_same_seed_gives_the_same_game(GameCase game)
    {
        Assert.Equal(ResultJson.Write(game.Play()), ResultJson.Write(game.Play()));
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void No_dead_cowboy_shoots_and_health_never_rises(GameCase game)
    {
        var result = game.Play();
        var health = game.Roster.Cowboys.ToDictionary(c => c.Name, c => c.Health);
        var atStart = new Dictionary<string, int>(health);
        var beat = 0;
        foreach (var shot in result.Shots)
        {
            if (shot.Beat != beat) { beat = shot.Beat; atStart = new Dictionary<string, int>(health); }
            var shooterAlive = game.Rules == RuleSet.Sequential ? health[shot.Shooter] > 0 : atStart[shot.Shooter] > 0;
            Assert.True(shooterAlive, $"{shot.Shooter} shot in beat {shot.Beat} while dead");
            Assert.True(shot.TargetHealth <= health[shot.Target], $"{shot.Target}'s health rose in beat {shot.Beat}");
            Assert.True(shot.TargetHealth >= 0);
            health[shot.Target] = shot.TargetHealth;
        }
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void In_sequential_nobody_is_shot_once_dead(GameCase game)
    {
        var result = Referee.Play(game.Roster, RuleSet.Sequential, game.Seed);
        var health = game.Roster.Cowboys.ToDictionary(c => c.Name, c => c.Health);
        foreach (var shot in result.Shots)
        {
            Assert.True(health[shot.Target] > 0, $"{shot.Target} was shot in beat {shot.Beat} after he died");
            health[shot.Target] = shot.TargetHealth;
        }
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void Each_cowboy_shoots_at_most_once_per_beat(GameCase game)
    {
        var result = game.Play();
        var keys = result.Shots.Select(s => (s.Beat, s.Shooter)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = Games)]
    public void The_safety_checker_accepts_every_referee_result(GameCase game)
    {
        Assert.Null(SafetyChecker.FirstViolation(game.Roster, game.Play()));
    }

    [Theory]
    [InlineData(RuleSet.Sequential)]
    [InlineData(RuleSet.Simultaneous)]
    public void A_lone_cowboy_wins_with_no_beats_and_no_shots(RuleSet rules)
    {
        var roster = new Roster("alone", [new CowboySpec("John", 10, 1)]);
        var result = Referee.Play(roster, rules, seed: 42);
        Assert.Equal("John", result.Winner);
        Assert.Equal(0, result.Beats);
        Assert.Empty(result.Shots);
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
    }

    [Theory]
    [InlineData(RuleSet.Sequential)]
    [InlineData(RuleSet.Simultaneous)]
    public void The_sample_roster_plays_to_a_checked_end(RuleSet rules)
    {
        var roster = RosterParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "samples", "shootout-full.yaml"));
        for (long seed = 0; seed < 50; seed++)
        {
            var result = Referee.Play(roster, rules, seed);
            Assert.Null(SafetyChecker.FirstViolation(roster, result));
            Assert.Equal("full", result.Shootout);
        }
    }
}
