using Cowboys.Actors.Protocol;
using System.Text.Json;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>GET /game: a cowboy's replica of the committed game, as JSON.</summary>
public class GameViewTests
{
    private static readonly Roster Roster = RosterParser.Parse("""[{"name":"John","health":3,"damage":1},{"name":"Bill","health":1,"damage":2},{"name":"Sam","health":2,"damage":1}]""");
    private static readonly GameSettings Game = new(Roster, RuleSet.Sequential, 7, TimeSpan.Zero);

    [Fact]
    public void Before_any_commit_everybody_is_alive_at_beat_0()
    {
        using var doc = JsonDocument.Parse(GameView.Of(Game, null, null, aborted: false).ToJson());
        var root = doc.RootElement;

        Assert.Equal(0, root.GetProperty("beat").GetInt32());
        Assert.Equal(3, root.GetProperty("alive").GetInt32());
        Assert.Equal(3, root.GetProperty("cowboys").GetInt32());
        Assert.Equal(0, root.GetProperty("deaths").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("winner").ValueKind);
        Assert.False(root.GetProperty("over").GetBoolean());
        Assert.Equal([3, 1, 2], root.GetProperty("health").EnumerateArray().Select(h => h.GetInt32()));
        Assert.Equal(0, root.GetProperty("shots").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("leader").ValueKind);
        Assert.Equal(["beat", "alive", "cowboys", "deaths", "winner", "over", "health", "shots", "leader"], root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void A_committed_beat_shows_its_dead_in_the_order_they_died()
    {
        // beat 1: John hits Sam, Bill hits John; beat 2: Sam forfeits, then John kills Bill
        var beat1 = BeatEntry.Create(0, 1, 1, [1, 1, 1], [new Shot(1, "John", "Sam", 1, 1), new Shot(1, "Bill", "John", 2, 1)], []);
        var beat2 = BeatEntry.Create(beat1.Digest, 2, 1, [1, 0, 0], [new Shot(2, "John", "Bill", 1, 0)], [new GameEvent(2, GameEvent.Forfeit, "Sam")]);
        var committed = CommittedView.Next(CommittedView.Next(GameView.Initial(Roster), beat1, "Bill"), beat2, "Sam");

        var view = GameView.Of(Game, committed, null, aborted: false);

        Assert.Equal((2, 1, 3, (string?)null, false, "Sam"), (view.Beat, view.Alive, view.Cowboys, view.Winner, view.Over, view.Leader));
        Assert.Equal(new[] { new Death("Sam", 2, "forfeit"), new Death("Bill", 2, "shot") }, view.Deaths.ToArray());
        Assert.Contains("\"deaths\":[{\"cowboy\":\"Sam\",\"beat\":2,\"how\":\"forfeit\"},{\"cowboy\":\"Bill\",\"beat\":2,\"how\":\"shot\"}]", view.ToJson());
        var read = GameView.TryParse(view.ToJson())!;
        Assert.Equal(view with { Deaths = [], Health = [], Shots = [] }, read with { Deaths = [], Health = [], Shots = [] });
        Assert.Equal(view.Deaths.ToArray(), read.Deaths.ToArray());
        // the live view draws these: every cowboy's health after the beat, and the beat's shots
        Assert.Equal(new[] { 1, 0, 0 }, read.Health.ToArray());
        Assert.Equal(new[] { new Shot(2, "John", "Bill", 1, 0) }, read.Shots.ToArray());
        // who hosts the leader that committed the beat: play's fault injector aims at him
        Assert.Contains("\"leader\":\"Sam\"", view.ToJson());
        Assert.Equal("Sam", read.Leader);
    }

    [Fact]
    public void A_view_written_before_the_leader_was_shown_still_reads_with_no_leader()
    {
        var read = GameView.TryParse("""{"beat":4,"alive":2,"cowboys":3,"deaths":[],"winner":null,"over":false,"health":[1,0,2],"shots":[]}""");

        Assert.NotNull(read);
        Assert.Equal(4, read.Beat);
        Assert.Null(read.Leader);
    }

    [Fact]
    public void After_the_game_the_result_gives_the_winner()
    {
        var result = Referee.Play(Roster, RuleSet.Sequential, 7);

        var view = GameView.Of(Game, null, result, aborted: false);

        Assert.True(view.Over);
        Assert.Equal(result.Winner, view.Winner);
        Assert.Equal(result.Beats, view.Beat);
        Assert.Equal(ResultSummary.DeathsOf(result).ToArray(), view.Deaths.ToArray());
        Assert.Equal(Roster.Count - view.Deaths.Length, view.Alive);
        Assert.Null(view.Leader); // the result names no leader: the game needs none any more
    }

    [Fact]
    public void An_aborted_game_is_over_without_a_winner()
    {
        var view = GameView.Of(Game, null, null, aborted: true);

        Assert.True(view.Over);
        Assert.Null(view.Winner);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"beat":1}""")]
    [InlineData("""{"beat":1,"alive":1,"cowboys":1,"deaths":[null],"winner":null,"over":false}""")]
    [InlineData("""{"beat":1,"alive":1,"cowboys":1,"deaths":[],"winner":null,"over":false,"shots":[null]}""")]
    public void Anything_but_a_view_parses_as_null(string? text) => Assert.Null(GameView.TryParse(text));
}
