using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using FsCheck;
using FsCheck.Fluent;
using Cowboys.Tests.Actors.Game.Rules;

namespace Cowboys.Tests.Actors.Game.Results;

/// <summary>
/// Any result and any view, not only those a game can produce: names made of pieces that need
/// escaping (quotes, backslashes, control characters, non-ASCII, surrogate pairs), any whole
/// numbers, null or not, both rule sets and both kinds of fault.
/// </summary>
public static class JsonArbitraries
{
    private static readonly string[] Pieces =
        ["John", "a", "Z", "0", " ", "\"", "\\", "'", "/", "\n", "\r", "\t", "\u0000", "\u001f", "\u007f", "é", "Zoë", "中", "🤠", "<", ">", "&", "+", "\u2028", "\uffff"];

    private static readonly Gen<string> Name = Gen.ListOf(Gen.Elements(Pieces)).Select(string.Concat);

    private static readonly Gen<int> Int = Gen.Frequency((3, Gen.Choose(0, 100)), (1, Gen.Choose(int.MinValue, int.MaxValue)), (1, Gen.Elements(int.MinValue, int.MaxValue, -1)));

    private static readonly Gen<Shot> ShotGen =
        from beat in Int
        from shooter in Name
        from target in Name
        from damage in Int
        from targetHealth in Int
        select new Shot(beat, shooter, target, damage, targetHealth);

    private static Gen<ImmutableArray<T>> ArrayOf<T>(Gen<T> item) => Gen.ListOf(item).Select(items => items.ToImmutableArray());

    public static Arbitrary<GameResult> GameResult() =>
        (from shootout in Gen.OrNull(Name)
         from rules in Gen.Elements(RuleSet.Sequential, RuleSet.Simultaneous)
         from seed in GameArbitraries.SeedGen()
         from winner in Gen.OrNull(Name)
         from beats in Int
         from cowboys in ArrayOf(from name in Name from health in Int from damage in Int select new CowboySpec(name, health, damage))
         from shots in ArrayOf(ShotGen)
         from events in ArrayOf(from beat in Int from kind in Gen.OneOf(Gen.Constant(GameEvent.Forfeit), Name) from cowboy in Name select new GameEvent(beat, kind, cowboy))
         from faults in ArrayOf(from beat in Int from cowboy in Name from leaderHost in Gen.Elements(true, false) from kind in Gen.Elements(Fault.Kill, Fault.Pause)
                                select new Fault(beat, cowboy, leaderHost, kind))
         select new GameResult(shootout, rules, seed, winner, beats, cowboys, shots, events, faults)).ToArbitrary();

    public static Arbitrary<GameView> GameView() =>
        (from beat in Int
         from alive in Int
         from cowboys in Int
         from deaths in ArrayOf(from cowboy in Name from at in Int from how in Gen.Elements(Death.Shot, Death.Forfeit) select new Death(cowboy, at, how))
         from winner in Gen.OrNull(Name)
         from over in Gen.Elements(true, false)
         from health in ArrayOf(Int)
         // a view's shots are those of its beat: their beat is not written, it is the view's
         from shots in ArrayOf(ShotGen.Select(s => s with { Beat = beat }))
         from leader in Gen.OrNull(Name)
         select new GameView(beat, alive, cowboys, deaths, winner, over) { Health = health, Shots = shots, Leader = leader }).ToArbitrary();
}
