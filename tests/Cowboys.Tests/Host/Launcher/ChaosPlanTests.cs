using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Host.Launcher;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

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

        Assert.Equal(Math.Min(kills, Referee.Play(Sample, RuleSet.Sequential, seed).Beats - 1), plan.Count);
        Assert.Contains(plan, k => k.TargetsLeaderHost);
        Assert.All(plan.Where(k => !k.TargetsLeaderHost), k => Assert.True(Sample.IndexOf(k.Cowboy!) >= 0));
        Assert.Equal(plan, ChaosPlan.Create(Sample, RuleSet.Sequential, seed, kills));
    }

    [Property(MaxTest = 300)]
    public bool Every_fault_has_its_own_beat_before_the_games_last_so_that_each_happens_while_the_game_runs(PositiveInt seedDraw, byte killDraw, byte pauseDraw)
    {
        var (seed, kills, pauses) = (seedDraw.Get % 1000, killDraw % 5, pauseDraw % 4);
        var beats = Referee.Play(Sample, RuleSet.Sequential, seed).Beats;
        var plan = ChaosPlan.Create(Sample, RuleSet.Sequential, seed, kills, pauses);
        var after = plan.Select(p => p.AfterBeat).ToList();
        return plan.Count == Math.Min(kills + pauses, beats - 1)
            && after.Zip(after.Skip(1)).All(p => p.First < p.Second)
            && after.All(b => b >= 1 && b < beats)
            && plan.Count(p => p.Pause) <= pauses && plan.Count(p => !p.Pause) <= kills
            // the first kill and the first freeze go to the leader's host
            && (plan.FirstOrDefault(p => !p.Pause) is not { } k || k.TargetsLeaderHost)
            && (plan.FirstOrDefault(p => p.Pause) is not { } f || f.TargetsLeaderHost);
    }

    [Fact]
    public void A_game_of_one_beat_has_no_room_for_a_fault()
    {
        var duel = new Roster(null, [new CowboySpec("A", 1, 5), new CowboySpec("B", 1, 5)]);
        Assert.Equal(1, Referee.Play(duel, RuleSet.Sequential, 3).Beats);

        Assert.Empty(ChaosPlan.Create(duel, RuleSet.Sequential, 3, kills: 2, pauses: 1));
    }

    [Fact]
    public void No_chaos_means_no_kills()
    {
        Assert.Empty(ChaosPlan.Create(Sample, RuleSet.Sequential, 1, 0));
    }

    [Fact]
    public void A_named_victim_who_is_down_is_replaced_by_the_next_one_up_in_roster_order()
    {
        string[] names = ["Ann", "Ben", "Cat"];
        var fault = new PlannedKill(3, "Ben");

        Assert.Equal("Ben", ChaosPlan.Victim(fault, "Ann", names, _ => true));
        Assert.Equal("Cat", ChaosPlan.Victim(fault, "Ann", names, n => n != "Ben"));
        Assert.Equal("Ann", ChaosPlan.Victim(fault, "Ann", names, n => n == "Ann"));
        Assert.Null(ChaosPlan.Victim(fault, "Ann", names, _ => false));
    }

    [Fact]
    public void A_fault_on_the_leaders_host_waits_until_he_is_known_and_up()
    {
        string[] names = ["Ann", "Ben", "Cat"];
        var fault = new PlannedKill(1, null);

        Assert.Null(ChaosPlan.Victim(fault, null, names, _ => true));
        Assert.Null(ChaosPlan.Victim(fault, "Ben", names, n => n != "Ben"));
        Assert.Equal("Ben", ChaosPlan.Victim(fault, "Ben", names, _ => true));
    }
}
