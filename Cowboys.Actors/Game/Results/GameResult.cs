using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;

using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Game.Results;

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
