using System.Collections.Immutable;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rosters;

namespace Cowboys.Host.Launcher;

/// <summary>
/// What `play`'s live view knows at one moment: the most advanced committed game any cowboy
/// answered with (GET /game), who hosts the leader (as that game names him), and which cowboys
/// did not answer. Built from a <see cref="GameSight"/> (<see cref="Of"/>), drawn by <see cref="LiveView.Render"/>.
/// </summary>
public sealed record LiveFrame(Roster Roster, GameView? Game, string? LeaderHost, ImmutableHashSet<string> Unreachable, ImmutableHashSet<string> Starting)
{
    /// <summary>The launcher's latest notes, "label HH:mm:ss.fff text" (chaos: a fault injected; play: waves, restarts), newest last.</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    public static LiveFrame Initial(Roster roster) => new(roster, null, null, [], [.. roster.Cowboys.Select(c => c.Name)]);

    /// <summary>What the cowboys' GET /game showed: "starting" are the cowboys who never answered.</summary>
    public static LiveFrame Of(Roster roster, GameSight sight, ImmutableArray<string> notes)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(sight);
        return new LiveFrame(roster, sight.Best, sight.LeaderHost, sight.Unreachable, [.. roster.Cowboys.Select(c => c.Name).Where(n => !sight.Answered.Contains(n))])
        {
            Notes = notes,
        };
    }

    /// <summary>The committed view furthest on: a finished game first, then the highest beat (replicas lag by a beat at most).</summary>
    public static GameView? Best(IEnumerable<GameView?> views) =>
        views.OfType<GameView>().OrderByDescending(v => v.Over).ThenByDescending(v => v.Beat).FirstOrDefault();
}
