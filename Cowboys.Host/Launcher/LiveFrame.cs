using System.Collections.Immutable;
using Cowboys.Actors.Results;
using Cowboys.Actors.Rosters;

namespace Cowboys.Host.Launcher;

/// <summary>
/// What `play`'s live view knows at one moment: the most advanced committed game any cowboy
/// answered with (GET /game), who hosts the leader (the process that logs the commits), and
/// which cowboys did not answer. Built by the launcher, drawn by <see cref="LiveView.Render"/>.
/// </summary>
public sealed record LiveFrame(Roster Roster, GameView? Game, string? LeaderHost, ImmutableHashSet<string> Unreachable, ImmutableHashSet<string> Starting)
{
    /// <summary>The launcher's latest notes (faults injected, processes restarted), newest last.</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    public static LiveFrame Initial(Roster roster) => new(roster, null, null, [], [.. roster.Cowboys.Select(c => c.Name)]);

    /// <summary>The committed view furthest on: a finished game first, then the highest beat (replicas lag by a beat at most).</summary>
    public static GameView? Best(IEnumerable<GameView?> views) =>
        views.OfType<GameView>().OrderByDescending(v => v.Over).ThenByDescending(v => v.Beat).FirstOrDefault();
}
