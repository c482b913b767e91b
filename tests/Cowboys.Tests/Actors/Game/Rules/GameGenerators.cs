using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using FsCheck;
using FsCheck.Fluent;

namespace Cowboys.Tests.Actors.Game.Rules;

/// <summary>A valid roster with a seed and a rule set: one random game.</summary>
public sealed record GameCase(Roster Roster, RuleSet Rules, long Seed)
{
    public GameResult Play() => Referee.Play(Roster, Rules, Seed);

    public override string ToString() =>
        $"{Rules} seed {Seed}: " + string.Join(", ", Roster.Cowboys.Select(c => $"{c.Name} {c.Health}/{c.Damage}"));
}

/// <summary>FsCheck arbitraries: rosters of 1..20 cowboys, health 1..60, damage 1..20, any seed, both rule sets.</summary>
public static class GameArbitraries
{
    private static readonly string[] FirstNames = ["John", "Bill", "Sam", "Peter", "Philip", "Émile", "Zoë", "Li", "O'Hara", "Jo Jo"];

    public static Gen<Roster> RosterGen(int minCowboys = 1, int maxCowboys = 20) =>
        from count in Gen.Choose(minCowboys, maxCowboys)
        from specs in Gen.ArrayOf(Gen.Zip(Gen.Choose(1, 60), Gen.Choose(1, 20)), count)
        from offset in Gen.Choose(0, FirstNames.Length - 1)
        select new Roster(
            "generated",
            specs.Select((s, i) => new CowboySpec($"{FirstNames[(i + offset) % FirstNames.Length]}-{i}", s.Item1, s.Item2)).ToImmutableArray());

    public static Gen<long> SeedGen() =>
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((long)hi << 32) | (uint)lo;

    public static Gen<GameCase> GameGen(int minCowboys = 1) =>
        from roster in RosterGen(minCowboys)
        from rules in Gen.Elements(RuleSet.Sequential, RuleSet.Simultaneous)
        from seed in SeedGen()
        select new GameCase(roster, rules, seed);

    public static Arbitrary<GameCase> GameCase() => GameGen().ToArbitrary();
}

/// <summary>Games of at least two cowboys, so that somebody dies.</summary>
public static class ContestArbitraries
{
    public static Arbitrary<GameCase> GameCase() => GameArbitraries.GameGen(minCowboys: 2).ToArbitrary();
}

/// <summary>Games of at least three cowboys, so that the first shot has a choice of targets.</summary>
public static class CrowdArbitraries
{
    public static Arbitrary<GameCase> GameCase() => GameArbitraries.GameGen(minCowboys: 3).ToArbitrary();
}
