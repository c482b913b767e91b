using System.Collections.Immutable;
using System.Text.Json;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using FsCheck.Xunit;
using Xunit;
using Cowboys.Tests.Actors.Game.Rules;

namespace Cowboys.Tests.Actors.Game.Results;

public class ResultJsonTests
{
    [Property(Arbitrary = [typeof(GameArbitraries)], MaxTest = 200)]
    public void A_result_survives_a_round_trip(GameCase game)
    {
        var played = game.Play();
        // Events and faults are empty from the referee; put some in so they are round-tripped too.
        var result = played with
        {
            Events = [new GameEvent(1, GameEvent.Forfeit, game.Roster.Cowboys[0].Name)],
            Faults = [new Fault(2, game.Roster.Cowboys[^1].Name, LeaderHost: true), new Fault(3, "x", LeaderHost: false)],
        };
        var json = ResultJson.Write(result);
        var back = ResultJson.Read(json);
        AssertSame(result, back);
        Assert.Equal(json, ResultJson.Write(back));
    }

    [Fact]
    public void A_draw_and_an_unnamed_shootout_are_written_as_null()
    {
        var result = new GameResult(null, RuleSet.Simultaneous, -7, null, 3, [new CowboySpec("A", 0, 1)], [], [], []);
        using var doc = JsonDocument.Parse(ResultJson.Write(result));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("shootout").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("winner").ValueKind);
        Assert.Equal("simultaneous", doc.RootElement.GetProperty("rules").GetString());
        Assert.Equal(-7, doc.RootElement.GetProperty("seed").GetInt64());
        AssertSame(result, ResultJson.Read(ResultJson.Write(result)));
    }

    [Fact]
    public void The_written_json_has_exactly_the_contract_property_names()
    {
        var roster = new Roster("full", [new CowboySpec("John", 3, 1), new CowboySpec("Bill", 2, 2)]);
        var result = Referee.Play(roster, RuleSet.Sequential, 5) with
        {
            Events = [new GameEvent(1, GameEvent.Forfeit, "John")],
            Faults = [new Fault(1, "Bill", true)],
        };
        var json = ResultJson.Write(result);
        Assert.Contains('\n', json); // indented

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["shootout", "rules", "seed", "winner", "beats", "cowboys", "shots", "events", "faults"], Names(root));
        Assert.Equal("sequential", root.GetProperty("rules").GetString());
        Assert.Equal(["name", "health", "damage"], Names(root.GetProperty("cowboys")[0]));
        Assert.Equal(["beat", "shooter", "target", "damage", "targetHealth"], Names(root.GetProperty("shots")[0]));
        Assert.Equal(["beat", "kind", "cowboy"], Names(root.GetProperty("events")[0]));
        Assert.Equal(["beat", "kind", "cowboy", "leaderHost"], Names(root.GetProperty("faults")[0]));
        Assert.Equal(JsonValueKind.True, root.GetProperty("faults")[0].GetProperty("leaderHost").ValueKind);
    }

    [Fact]
    public void Events_and_faults_are_written_even_when_empty()
    {
        var result = Referee.Play(new Roster(null, [new CowboySpec("John", 1, 1)]), RuleSet.Sequential, 1);
        using var doc = JsonDocument.Parse(ResultJson.Write(result));
        Assert.Equal(0, doc.RootElement.GetProperty("events").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("faults").GetArrayLength());
    }

    [Theory]
    [InlineData("rules", "\"parallel\"", "rules")]
    [InlineData("beats", "\"3\"", "beats")]
    [InlineData("shots", "null", "shots")]
    public void Read_names_the_property_that_breaks_the_contract(string property, string value, string expected)
    {
        var result = Referee.Play(new Roster(null, [new CowboySpec("John", 1, 1)]), RuleSet.Sequential, 1);
        var node = System.Text.Json.Nodes.JsonNode.Parse(ResultJson.Write(result))!.AsObject();
        node[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var error = Assert.ThrowsAny<JsonException>(() => ResultJson.Read(node.ToJsonString()));
        Assert.Contains(expected, error.Message);
    }

    private static string[] Names(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToArray();

    private static void AssertSame(GameResult expected, GameResult actual)
    {
        Assert.Equal(expected.Shootout, actual.Shootout);
        Assert.Equal(expected.Rules, actual.Rules);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.Winner, actual.Winner);
        Assert.Equal(expected.Beats, actual.Beats);
        Assert.Equal(expected.Cowboys.ToArray(), actual.Cowboys.ToArray());
        Assert.Equal(expected.Shots.ToArray(), actual.Shots.ToArray());
        Assert.Equal(expected.Events.ToArray(), actual.Events.ToArray());
        Assert.Equal(expected.Faults.ToArray(), actual.Faults.ToArray());
    }
}
