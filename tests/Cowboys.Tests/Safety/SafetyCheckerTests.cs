using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using FsCheck.Xunit;
using Xunit;
using Cowboys.Tests.Actors.Game.Rules;

namespace Cowboys.Tests.Safety;

/// <summary>
/// The checker is only worth something if it can fail: each test breaks one rule in a real referee
/// result and expects the checker to name that rule.
/// </summary>
public class SafetyCheckerMutations
{
    private const int Games = 200;

    [Property(Arbitrary = [typeof(ContestArbitraries)], MaxTest = Games)]
    public void A_changed_target_health_is_reported(GameCase game, int pick)
    {
        var result = game.Play();
        var k = Index(pick, result.Shots.Length);
        var shots = result.Shots.SetItem(k, result.Shots[k] with { TargetHealth = result.Shots[k].TargetHealth + 1 });
        AssertReported("[target health]", $"shot #{k} (", game.Roster, result with { Shots = shots });
    }

    [Property(Arbitrary = [typeof(ContestArbitraries)], MaxTest = Games)]
    public void A_shot_by_a_dead_cowboy_is_reported(GameCase game)
    {
        // Appended in the last beat, by a cowboy who is dead by then: at the end in sequential, at the
        // start of the last beat in simultaneous (when nobody died before the last beat, the sequential game is used).
        var result = game.Play();
        var dead = DeadBeforeLastShot(result);
        if (dead is null)
        {
            result = Referee.Play(game.Roster, RuleSet.Sequential, game.Seed);
            dead = DeadBeforeLastShot(result)!;
        }
        var target = result.Cowboys.First(c => c.Name != dead.Name);
        var ghost = new Shot(result.Beats, dead.Name, target.Name, dead.Damage, Math.Max(0, target.Health - dead.Damage));
        AssertReported("[dead shooter]", dead.Name, game.Roster, result with { Shots = result.Shots.Add(ghost) });
    }

    private static CowboySpec? DeadBeforeLastShot(GameResult result)
    {
        if (result.Rules == RuleSet.Sequential) return result.Cowboys.First(c => c.Health == 0);
        var diedInLastBeat = result.Shots.Where(s => s.Beat == result.Beats && s.TargetHealth == 0).Select(s => s.Target).ToHashSet();
        return result.Cowboys.FirstOrDefault(c => c.Health == 0 && !diedInLastBeat.Contains(c.Name));
    }

    [Property(Arbitrary = [typeof(ContestArbitraries)], MaxTest = Games)]
    public void A_duplicated_shot_is_reported(GameCase game, int pick)
    {
        var result = game.Play();
        var k = Index(pick, result.Shots.Length);
        AssertReported("[exactly once]", $"shot #{k + 1} (", game.Roster, result with { Shots = result.Shots.Insert(k + 1, result.Shots[k]) });
    }

    [Property(Arbitrary = [typeof(ContestArbitraries)], MaxTest = Games)]
    public void A_changed_winner_is_reported(GameCase game)
    {
        var result = game.Play();
        var other = result.Cowboys.First(c => c.Name != result.Winner).Name;
        AssertReported("[winner]", other, game.Roster, result with { Winner = other });
        if (result.Winner is not null) AssertReported("[winner]", "draw", game.Roster, result with { Winner = null });
    }

    [Property(Arbitrary = [typeof(CrowdArbitraries)], MaxTest = Games)]
    public void A_target_changed_to_another_live_cowboy_is_reported(GameCase game)
    {
        // The first shot of the game: everybody is alive, so any other cowboy is a legal but wrong target.
        var result = game.Play();
        var first = result.Shots[0];
        var other = game.Roster.Cowboys.First(c => c.Name != first.Shooter && c.Name != first.Target);
        var changed = first with { Target = other.Name, TargetHealth = Math.Max(0, other.Health - first.Damage) };
        AssertReported("[target pick]", "shot #0 (", game.Roster, result with { Shots = result.Shots.SetItem(0, changed) });
    }

    [Fact]
    public void A_beat_played_after_the_game_was_over_is_reported()
    {
        var roster = new Roster(null, [new CowboySpec("John", 1, 5), new CowboySpec("Bill", 1, 5)]);
        var result = Referee.Play(roster, RuleSet.Sequential, 3);
        AssertReported("[played after game over]", "beat 2", roster, result with { Beats = result.Beats + 1 });
    }

    [Fact]
    public void A_game_stopped_early_is_reported()
    {
        var roster = new Roster(null, [new CowboySpec("John", 50, 1), new CowboySpec("Bill", 50, 1)]);
        var result = Referee.Play(roster, RuleSet.Sequential, 3);
        var cut = result with { Beats = 1, Shots = result.Shots.Where(s => s.Beat == 1).ToImmutableArray(), Winner = null };
        var error = SafetyChecker.FirstViolation(roster, cut);
        Assert.NotNull(error);
        Assert.StartsWith("[final health]", error);
    }

    [Fact]
    public void A_forfeit_takes_effect_at_the_start_of_its_beat()
    {
        // Bill forfeits at beat 1, before anybody shoots: John wins without a shot.
        var roster = new Roster(null, [new CowboySpec("John", 5, 1), new CowboySpec("Bill", 5, 1)]);
        var forfeit = new GameResult(null, RuleSet.Sequential, 9, "John", 1,
            [new CowboySpec("John", 5, 1), new CowboySpec("Bill", 0, 1)], [], [new GameEvent(1, GameEvent.Forfeit, "Bill")], []);
        Assert.Null(SafetyChecker.FirstViolation(roster, forfeit));

        var shotAfterForfeit = forfeit with { Shots = [new Shot(1, "Bill", "John", 1, 4)] };
        AssertReported("[dead shooter]", "Bill", roster, shotAfterForfeit);
    }

    [Fact]
    public void A_draw_reported_while_a_cowboy_is_alive_is_reported()
    {
        var roster = new Roster(null, [new CowboySpec("John", 1, 1)]);
        var draw = new GameResult(null, RuleSet.Sequential, 1, null, 0, [new CowboySpec("John", 1, 1)], [], [], []);
        AssertReported("[winner]", "John", roster, draw);
    }

    private static int Index(int pick, int length) => (int)((uint)pick % (uint)length);

    private static void AssertReported(string rule, string detail, Roster roster, GameResult broken)
    {
        var error = SafetyChecker.FirstViolation(roster, broken);
        Assert.NotNull(error);
        Assert.StartsWith(rule, error);
        Assert.Contains(detail, error);
    }
}
