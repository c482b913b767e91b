using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>
/// Representative results and views, built by hand (not played) so that their JSON pins the
/// serializers only: a change in the referee cannot move these bytes.
/// </summary>
public static class JsonSamples
{
    /// <summary>A name that needs escaping in every way the writer knows: quotes, a backslash, control characters, non-ASCII, HTML, a surrogate pair.</summary>
    public const string Awkward = "Jo \"Kid\" O'Hara\\\n\t\u0001 <b>&amp;</b> Zoë 中 🤠";

    public static readonly ImmutableArray<(string Name, GameResult Result)> Results =
    [
        ("winner", new GameResult("high-noon", RuleSet.Sequential, 42, "John", 3,
            [new CowboySpec("John", 2, 1), new CowboySpec("Bill", 0, 2)],
            [new Shot(1, "John", "Bill", 1, 1), new Shot(2, "Bill", "John", 2, 1), new Shot(3, "John", "Bill", 1, 0)],
            [], [])),
        ("draw", new GameResult(null, RuleSet.Simultaneous, -1234567890123L, null, 2,
            [new CowboySpec("José", 0, 3), new CowboySpec(Awkward, 0, 5), new CowboySpec("Sam", 0, 1)],
            [new Shot(1, "José", Awkward, 3, 0), new Shot(1, Awkward, "José", 5, 0)],
            [new GameEvent(2, GameEvent.Forfeit, "Sam")],
            [new Fault(1, "José", LeaderHost: true), new Fault(1, Awkward, LeaderHost: false, Fault.Pause)])),
        ("extremes", new GameResult("", RuleSet.Sequential, long.MinValue, "Émile", int.MaxValue,
            [new CowboySpec("Émile", int.MaxValue, int.MaxValue)], [], [], [new Fault(0, "Émile", LeaderHost: false, Fault.Kill)])),
        ("largest-seed", new GameResult("s", RuleSet.Simultaneous, long.MaxValue, null, 0, [], [], [], [])),
        ("default-arrays", new GameResult(null, RuleSet.Sequential, 0, null, 0, default, default, default, default)),
    ];

    /// <summary>The termination message of each result, and of an aborted game: it writes its deaths as a view does.</summary>
    public static readonly ImmutableArray<(string Name, ResultSummary Summary)> Summaries =
    [
        .. Results.Where(s => !s.Result.Cowboys.IsDefault).Select(s => (s.Name, ResultSummary.Of(s.Result))),
        ("aborted", ResultSummary.OfAbort("the cowboys disagree on the roster: " + Awkward)),
    ];

    public static readonly ImmutableArray<(string Name, GameView View)> Views =
    [
        ("initial", new GameView(0, 3, 3, [], null, false) { Health = [3, 1, 2] }),
        ("mid-game", new GameView(2, 1, 3, [new Death("Sam", 2, Death.Forfeit), new Death("Bill", 2, Death.Shot)], null, false)
        {
            Health = [1, 0, 0],
            Shots = [new Shot(2, "John", "Bill", 1, 0)],
            Leader = "John",
        }),
        ("over-winner", new GameView(7, 1, 3, [new Death(Awkward, 3, Death.Shot), new Death("Sam", 5, Death.Forfeit)], "José", true)
        {
            Health = [4, 0, 0],
            Shots = [new Shot(7, "José", Awkward, 2, 0), new Shot(7, Awkward, "José", 1, 4)],
        }),
        ("over-draw", new GameView(4, 0, 2, [new Death("A", 4, Death.Shot), new Death("B", 4, Death.Shot)], null, true)
        {
            Health = [0, 0],
            Shots = [new Shot(4, "A", "B", 1, 0), new Shot(4, "B", "A", 1, 0)],
        }),
        ("aborted-unknown-health", new GameView(0, 2, 2, [], null, true)),
    ];
}
