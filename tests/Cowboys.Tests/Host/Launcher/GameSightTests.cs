using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Host.Launcher;
using Xunit;

namespace Cowboys.Tests.Host.Launcher;

/// <summary>What `play` knows of the game from its cowboys' GET /game: the fault injector's beat and leader's host, and the live view.</summary>
public sealed class GameSightTests
{
    private static readonly Roster Trio = RosterParser.Parse("""[{"name":"Ann","health":3,"damage":1},{"name":"Bob","health":3,"damage":1},{"name":"Cid","health":3,"damage":1}]""");

    private static GameView At(int beat, string? leader) => GameView.Initial(Trio) with { Beat = beat, Leader = leader };

    [Fact]
    public void Before_any_answer_nothing_is_known_and_everybody_is_starting()
    {
        var sight = GameSight.None.Read("Ann", null);

        Assert.Equal((0, null, false), (sight.CommittedBeat, sight.LeaderHost, sight.Over));
        Assert.Empty(sight.Unreachable); // never answered: starting, not unreachable
        Assert.Equal(["Ann", "Bob", "Cid"], LiveFrame.Of(Trio, sight, []).Starting.Order());
    }

    [Fact]
    public void The_furthest_view_gives_the_beat_and_the_leaders_host_and_a_replica_a_beat_behind_does_not_move_them_back()
    {
        var sight = GameSight.None.Read("Ann", At(0, null)).Read("Bob", At(3, "Cid")).Read("Cid", At(2, "Cid"));

        Assert.Equal((3, "Cid"), (sight.CommittedBeat, sight.LeaderHost));
        Assert.Equal(3, sight.Best!.Beat);

        // the leader moved: the next beat it commits names its new host
        sight = sight.Read("Ann", At(4, "Ann"));
        Assert.Equal((4, "Ann"), (sight.CommittedBeat, sight.LeaderHost));

        // the live view draws the same
        var frame = LiveFrame.Of(Trio, sight, ["killed Cid"]);
        Assert.Same(sight.Best, frame.Game);
        Assert.Equal("Ann", frame.LeaderHost);
        Assert.Empty(frame.Starting);
        Assert.Equal(["killed Cid"], frame.Notes.ToArray());
    }

    [Fact]
    public void On_a_tie_the_view_seen_first_stays_and_one_naming_nobody_keeps_the_last_leader_known()
    {
        var sight = GameSight.None.Read("Ann", At(5, "Bob")).Read("Cid", At(5, "Cid"));
        Assert.Equal("Bob", sight.LeaderHost);

        // a beat learned from the leader's decision names nobody: the leader is still the one known
        sight = sight.Read("Ann", At(6, null));
        Assert.Equal((6, "Bob"), (sight.CommittedBeat, sight.LeaderHost));
    }

    [Fact]
    public void A_cowboy_who_answered_and_then_does_not_is_unreachable_until_he_answers_again()
    {
        var sight = GameSight.None.Read("Ann", At(1, "Bob")).Read("Bob", At(1, "Bob"));

        sight = sight.Read("Bob", null).Read("Cid", null);
        Assert.Equal(["Bob"], sight.Unreachable);
        Assert.Equal(["Cid"], LiveFrame.Of(Trio, sight, []).Starting);
        Assert.Equal(1, sight.CommittedBeat); // what was seen stays seen

        Assert.Empty(sight.Read("Bob", At(2, "Bob")).Unreachable);
    }

    [Fact]
    public void A_view_of_the_result_wins_over_any_beat_says_the_game_is_over_and_keeps_the_leader_for_the_last_frame()
    {
        var result = Referee.Play(Trio, RuleSet.Sequential, 7);
        var over = GameView.Of(new GameSettings(Trio, RuleSet.Sequential, 7, TimeSpan.Zero), null, result, aborted: false);
        Assert.Null(over.Leader);

        var sight = GameSight.None.Read("Ann", At(result.Beats - 1, "Bob")).Read("Bob", over).Read("Cid", At(result.Beats - 1, "Bob"));

        Assert.True(sight.Over);
        Assert.Same(over, sight.Best);
        Assert.Equal("Bob", sight.LeaderHost);
    }
}
