using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;

using Cowboys.Actors.Game.Results;

namespace Cowboys.Actors.Game.Rules;

/// <summary>Plays a whole game in one place. The distributed game must produce the same result for the same seed.</summary>
public static class Referee
{
    public static GameResult Play(Roster roster, RuleSet rules, long seed)
    {
        var health = roster.StartingHealth();
        var shots = ImmutableArray.CreateBuilder<Shot>();
        var beat = 0;
        while (!GameRules.IsOver(health))
        {
            beat++;
            var played = GameRules.PlayBeat(rules, roster, seed, beat, health);
            health = played.Health;
            shots.AddRange(played.Shots);
        }
        return GameResult.From(roster, rules, seed, beat, health, shots.ToImmutable(), ImmutableArray<GameEvent>.Empty);
    }
}
