using System.Collections.Immutable;
using Cowboys.Actors.Game.Results;

namespace Cowboys.Host.Launcher;

/// <summary>
/// What `play` knows of the game, from its cowboys' `GET /game` alone: the one source of the fault
/// injector's beat and leader's host and of the live view. Pure: each reading (a cowboy's view, or
/// null when he did not answer) gives the next sight.
/// </summary>
/// <param name="Best">The furthest view any cowboy showed (<see cref="LiveFrame.Best"/>); on a tie the one seen first stays.</param>
/// <param name="LeaderHost">Who hosts the leader, as the furthest view of the running game names him (null: not known yet).</param>
/// <param name="Answered">The cowboys who answered at least once.</param>
/// <param name="Unreachable">The cowboys who answered once and did not the last time they were asked.</param>
public sealed record GameSight(GameView? Best, string? LeaderHost, ImmutableHashSet<string> Answered, ImmutableHashSet<string> Unreachable)
{
    public static readonly GameSight None = new(null, null, [], []);

    /// <summary>The furthest beat a cowboy showed committed (0: none yet).</summary>
    public int CommittedBeat => Best?.Beat ?? 0;

    /// <summary>A cowboy showed the game over: its result follows, and no fault is due any more.</summary>
    public bool Over => Best is { Over: true };

    public GameSight Read(string cowboy, GameView? view)
    {
        ArgumentNullException.ThrowIfNull(cowboy);
        if (view is null) return Answered.Contains(cowboy) ? this with { Unreachable = Unreachable.Add(cowboy) } : this;
        var best = LiveFrame.Best([Best, view]);
        // a view that names nobody (before the first beat, or the result) leaves the last leader known
        var leader = best is { Over: false, Leader: { } named } ? named : LeaderHost;
        return new GameSight(best, leader, Answered.Add(cowboy), Unreachable.Remove(cowboy));
    }
}
