using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;

namespace Cowboys.Actors.Game.Results;

/// <summary>
/// What a cowboy's `GET /game` shows: his replica of the committed game. The operator reads it
/// while a Shootout runs, for status.beat, status.alive and an event per death.
/// <code>{"beat":n,"alive":n,"cowboys":n,"deaths":[{"cowboy":s,"beat":n,"how":"shot"|"forfeit"}],"winner":s|null,"over":bool,
///   "health":[n, in roster order],"shots":[{"shooter":s,"target":s,"damage":n,"targetHealth":n}, of beat "beat"],"leader":s|null}</code>
/// <c>over</c> is true once the game has a result (winner null: a draw) or was aborted (winner null).
/// `play`'s live view draws <c>health</c> and <c>shots</c>.
/// <c>leader</c>: the cowboy whose process hosts the leader that told this replica of beat "beat" (the leader as far as he knows; null: not known, or the result).
/// </summary>
public sealed record GameView(int Beat, int Alive, int Cowboys, ImmutableArray<Death> Deaths, string? Winner, bool Over)
{
    /// <summary>Every cowboy's health after <see cref="Beat"/>, in roster order (empty: not known).</summary>
    public ImmutableArray<int> Health { get; init; } = [];

    /// <summary>The shots of beat <see cref="Beat"/>, in the order they were applied.</summary>
    public ImmutableArray<Shot> Shots { get; init; } = [];

    /// <summary>The cowboy whose process hosts the leader that told this replica of <see cref="Beat"/>: the leader as far as he knows (null: not known).</summary>
    public string? Leader { get; init; }

    /// <summary>The view before the first beat: everybody alive at his starting health.</summary>
    public static GameView Initial(Roster roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return new(0, roster.Count, roster.Count, [], null, false) { Health = [.. roster.Cowboys.Select(c => c.Health)] };
    }

    /// <summary>The view of a replica: the result once the game is over, else the last committed beat's view (null: none yet).</summary>
    public static GameView Of(GameSettings game, GameView? committed, GameResult? result, bool aborted)
    {
        ArgumentNullException.ThrowIfNull(game);
        if (result is not null)
        {
            return new GameView(result.Beats, result.Cowboys.Count(c => c.Health > 0), result.Cowboys.Length,
                ResultSummary.DeathsOf(result), result.Winner, true)
            {
                Health = [.. result.Cowboys.Select(c => c.Health)],
                Shots = [.. result.Shots.Where(s => s.Beat == result.Beats)],
            };
        }
        var view = committed ?? Initial(game.Roster);
        return view with { Over = aborted };
    }

    public string ToJson() => JsonSerializer.Serialize(
        new ViewWire(Beat, Alive, Cowboys, Deaths, Winner, Over, Health, [.. Shots.Select(s => new ViewShotWire(s.Shooter, s.Target, s.Damage, s.TargetHealth))], Leader),
        ResultJsonContext.Compact.ViewWire);

    /// <summary>Reads a view back; null when the text is not one.</summary>
    public static GameView? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            var w = JsonSerializer.Deserialize(text, ResultJsonContext.Compact.ViewWire);
            if (w is null || w.Deaths.Any(d => d is null) || w.Shots?.Any(s => s is null) == true) return null;
            return new GameView(w.Beat, w.Alive, w.Cowboys, w.Deaths, w.Winner, w.Over)
            {
                // a view from before health and shots still reads
                Health = w.Health ?? [],
                Shots = [.. (w.Shots ?? []).Select(s => new Shot(w.Beat, s.Shooter, s.Target, s.Damage, s.TargetHealth))],
                // came later still: optional too
                Leader = w.Leader,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
