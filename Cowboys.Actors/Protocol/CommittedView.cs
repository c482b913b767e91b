using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Actors.Protocol;

/// <summary>GET /game's view, carried forward one committed beat at a time, so that it never costs more than the beat.</summary>
public static class CommittedView
{
    /// <summary>
    /// The view after a committed beat: its forfeits die first (at the start of the beat), then whoever its shots killed, in order.
    /// The leader's host is the one that taught the replica this commit (null: not said).
    /// </summary>
    public static GameView Next(GameView view, BeatEntry entry, string? leaderHost = null)
    {
        if (entry.IsAbort) return view with { Over = true };
        var deaths = view.Deaths.AddRange(Death.InBeat(entry.Beat, entry.Events, entry.Shots));
        return view with { Beat = entry.Beat, Alive = GameRules.AliveCount(entry.Health), Deaths = deaths, Health = entry.Health, Shots = entry.Shots, Leader = leaderHost };
    }
}
