using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Operator.Desired;
using Xunit;
using static Cowboys.Tests.Operator.OperatorFixtures;

namespace Cowboys.Tests.Operator.Desired;

public class GamePlanTests
{
    [Fact]
    public void The_sample_spec_is_valid_with_play_s_defaults()
    {
        var (plan, error) = GamePlan.FromSpec(Shootout(seed: null));
        Assert.Null(error);
        Assert.Equal(5, plan!.Roster.Count);
        Assert.Equal((RuleSet.Sequential, TimeSpan.FromSeconds(1)), (plan.Rules, plan.Beat));
        Assert.Equal(GamePlan.SeedFor("uid-cowboys-full"), plan.Seed);
    }

    [Fact]
    public void Without_a_seed_the_seed_comes_from_the_uid_so_a_restarted_operator_picks_the_same()
    {
        Assert.Equal(GamePlan.FromSpec(Shootout(seed: null)).Plan!.Seed, GamePlan.FromSpec(Shootout(seed: null)).Plan!.Seed);
        Assert.NotEqual(GamePlan.SeedFor("a"), GamePlan.SeedFor("b"));
    }

    [Theory]
    [InlineData("""[{"name": "John", "health": 10, "damage": 1}, {"name": "John", "health": 8, "damage": 2}]""", "John")]
    [InlineData("""[{"name": "John", "health": 0, "damage": 1}, {"name": "Bill", "health": 8, "damage": 2}]""", "health")]
    [InlineData("""not json""", "spec.cowboys")]
    [InlineData("""[]""", "spec.cowboys")]
    public void An_invalid_roster_gets_the_same_message_as_play(string cowboys, string mentions)
    {
        var (plan, error) = GamePlan.FromSpec(Shootout(cowboys: cowboys));
        Assert.Null(plan);
        Assert.Contains(mentions, error);
        var playSays = Assert.Throws<InvalidRosterException>(() => RosterParser.Parse($"apiVersion: example.com/v1alpha1\nkind: Shootout\nmetadata:\n  name: full\nspec:\n  cowboys: '{cowboys}'\n"));
        Assert.Equal(playSays.Message, error);
    }

    [Theory]
    [InlineData(null, "1s", "random", "spec.rules")]
    [InlineData(null, "soon", null, "spec.beat")]
    [InlineData(null, "2h", null, "spec.beat")]
    public void Bad_settings_are_named_in_the_error(long? seed, string? beat, string? rules, string mentions)
    {
        var (plan, error) = GamePlan.FromSpec(Shootout(seed: seed, beat: beat, rules: rules));
        Assert.Null(plan);
        Assert.StartsWith(mentions, error);
    }

    [Fact]
    public void A_missing_spec_or_roster_is_an_error_not_a_crash()
    {
        Assert.Contains("spec", GamePlan.FromSpec(Shootout() with { Spec = null }).Error);
        Assert.Contains("spec.cowboys is missing", GamePlan.FromSpec(Shootout(cowboys: null)).Error);
    }

    [Fact]
    public void A_config_map_that_is_not_a_game_is_not_read_as_one()
    {
        Assert.Null(GamePlan.FromConfigMapData("full", null));
        Assert.Null(GamePlan.FromConfigMapData("full", new Dictionary<string, string> { ["roster.json"] = "[]" }));
    }
}
