using System.Collections.Immutable;
using Cowboys.Actors.Rosters;

namespace Cowboys.Actors.Rules;

/// <summary>A process the fault injector killed (SIGKILL) or froze (SIGSTOP, then SIGCONT) after a beat.</summary>
public sealed record Fault(int Beat, string Cowboy, bool LeaderHost, string Kind = Fault.Kill)
{
    public const string Kill = "kill";
    public const string Pause = "pause";
}

/// <summary>
/// The outcome of a game: what `play --result` writes and what every process must agree on.
/// Cowboys carry their final health, in roster order.
/// </summary>
public sealed record GameResult(
    string? Shootout,
    RuleSet Rules,
    long Seed,
    string? Winner,
    int Beats,
    ImmutableArray<CowboySpec> Cowboys,
    ImmutableArray<Shot> Shots,
    ImmutableArray<GameEvent> Events,
    ImmutableArray<Fault> Faults)
{
    public bool IsDraw => Winner is null;

    public static GameResult From(Roster roster, RuleSet rules, long seed, int beats, ImmutableArray<int> health, ImmutableArray<Shot> shots, ImmutableArray<GameEvent> events)
    {
        var winner = GameRules.Winner(health);
        return new GameResult(
            roster.ShootoutName,
            rules,
            seed,
            winner is null ? null : roster.Cowboys[winner.Value].Name,
            beats,
            roster.Cowboys.Select((c, i) => c with { Health = health[i] }).ToImmutableArray(),
            shots,
            events,
            ImmutableArray<Fault>.Empty);
    }
}

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
