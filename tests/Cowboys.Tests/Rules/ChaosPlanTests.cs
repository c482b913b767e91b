using Cowboys.Actors.Rosters;
using Cowboys.Actors.Rules;
using Cowboys.Host.Launcher;
using Xunit;

namespace Cowboys.Tests.Rules;

public sealed class ChaosPlanTests
{
    private static readonly Roster Sample = RosterParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "samples", "shootout-full.yaml"));

    [Theory]
    [InlineData(1L, 1)]
    [InlineData(2L, 3)]
    [InlineData(99L, 5)]
    public void The_plan_has_n_kills_in_beat_order_the_leaders_host_among_them_and_depends_only_on_the_seed(long seed, int kills)
    {
        var plan = ChaosPlan.Create(Sample, RuleSet.Sequential, seed, kills);

        Assert.Equal(kills, plan.Count);
        Assert.Contains(plan, k => k.TargetsLeaderHost);
        Assert.Equal(plan.OrderBy(k => k.AfterBeat).Select(k => k.AfterBeat), plan.Select(k => k.AfterBeat));
        Assert.All(plan, k => Assert.InRange(k.AfterBeat, 1, Referee.Play(Sample, RuleSet.Sequential, seed).Beats));
        Assert.All(plan.Where(k => !k.TargetsLeaderHost), k => Assert.True(Sample.IndexOf(k.Cowboy!) >= 0));
        Assert.Equal(plan, ChaosPlan.Create(Sample, RuleSet.Sequential, seed, kills));
    }

    [Fact]
    public void No_chaos_means_no_kills()
    {
        Assert.Empty(ChaosPlan.Create(Sample, RuleSet.Sequential, 1, 0));
    }
}
