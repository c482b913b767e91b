using System.Collections.Immutable;
using System.Text;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Xunit;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>The termination-message summary: small enough for the kubelet, and read back as written.</summary>
public class ResultSummaryTests
{
    private static Roster Roster(int count, int nameLength = 5) => RosterParser.Parse(
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"name":"{{("c" + i).PadRight(nameLength, 'x')}}","health":1,"damage":1}""")) + "]");

    [Fact]
    public void A_summary_of_1000_cowboys_with_long_names_stays_within_4096_bytes_and_counts_the_deaths_it_leaves_out()
    {
        var roster = Roster(1000, nameLength: 200);
        var result = Referee.Play(roster, RuleSet.Sequential, 3);

        var text = ResultSummary.Of(result).Write();

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, ResultSummary.MaxBytes);
        var back = ResultSummary.TryParse(text)!;
        Assert.Equal(999, back.Deaths.Length + back.DeathsOmitted);
        Assert.True(back.DeathsOmitted > 0);
        Assert.Equal(result.Winner, back.Winner);
        // the deaths kept are the first ones, in order
        Assert.Equal(ResultSummary.DeathsOf(result).Take(back.Deaths.Length), back.Deaths);
    }

    [Fact]
    public void A_summary_survives_a_round_trip()
    {
        var roster = Roster(6);
        var result = Referee.Play(roster, RuleSet.Simultaneous, 11) with { Shootout = "full" };
        var summary = ResultSummary.Of(result);

        var back = ResultSummary.TryParse(summary.Write())!;

        Assert.True(back.AgreesWith(summary));
        Assert.Equal("full", back.Shootout);
        Assert.Equal(summary.Write(), back.Write());
    }

    [Fact]
    public void Deaths_are_listed_in_the_order_they_happened_forfeits_before_the_shots_of_their_beat()
    {
        var roster = RosterParser.Parse("""[{"name":"A","health":2,"damage":1},{"name":"B","health":1,"damage":1},{"name":"C","health":1,"damage":1},{"name":"D","health":5,"damage":5}]""");
        var result = new GameResult(null, RuleSet.Sequential, 1, "D", 2, roster.Cowboys.Select(c => c with { Health = c.Name == "D" ? 4 : 0 }).ToImmutableArray(),
            [new Shot(1, "D", "B", 5, 0), new Shot(1, "A", "D", 1, 4), new Shot(2, "D", "A", 5, 0)],
            [new GameEvent(2, GameEvent.Forfeit, "C")], []);

        var deaths = ResultSummary.TryParse(ResultSummary.Of(result).Write())!.Deaths;

        Assert.Equal(new[] { new Death("B", 1, "shot"), new Death("C", 2, "forfeit"), new Death("A", 2, "shot") }, deaths.ToArray());
    }

    [Fact]
    public void An_aborted_game_keeps_its_reason_cut_to_fit()
    {
        var reason = "the cowboys disagree on the roster: " + new string('é', 5000);

        var text = ResultSummary.OfAbort(reason).Write();

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, ResultSummary.MaxBytes);
        var back = ResultSummary.TryParse(text)!;
        Assert.Equal(ResultSummary.Aborted, back.Outcome);
        Assert.StartsWith("the cowboys disagree on the roster: é", back.Reason);
        Assert.EndsWith("...", back.Reason);
        Assert.True(back.Reason!.Length < reason.Length);
        Assert.Equal("short", ResultSummary.TryParse(ResultSummary.OfAbort("short").Write())!.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("panic: runtime error: index out of range\ngoroutine 1 [running]:")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"v":2,"outcome":"finished"}""")]
    [InlineData("""{"v":1,"outcome":"exploded"}""")]
    [InlineData("""{"v":1,"outcome":"finished","winner":"A"}""")]
    [InlineData("""{"v":1,"outcome":"finished","shootout":null,"winner":null,"beats":1,"alive":0,"cowboys":2,"rules":"chess","seed":1,"deaths":[],"deathsOmitted":0}""")]
    [InlineData("""{"v":"1"}""")]
    [InlineData("""{"v":1,"outcome":"finished","shootout":null,"winner":null,"beats":1,"alive":0,"cowboys":2,"rules":"sequential","seed":1,"deaths":[null],"deathsOmitted":0}""")]
    public void Anything_but_a_summary_parses_as_null(string? text) => Assert.Null(ResultSummary.TryParse(text));
}
