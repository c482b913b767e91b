using System.Collections.Immutable;
using Cowboys.Actors.Game.Rosters;

namespace Cowboys.Actors.Game.Rules;

/// <summary>The game's rules as pure functions of (roster, seed, beat).</summary>
public static class GameRules
{
    public static int AliveCount(ImmutableArray<int> health)
    {
        var alive = 0;
        foreach (var h in health)
        {
            if (h > 0) alive++;
        }
        return alive;
    }

    /// <summary>The game is over when at most one cowboy is alive (none: a draw).</summary>
    public static bool IsOver(ImmutableArray<int> health) => AliveCount(health) <= 1;

    /// <summary>Index of the last man standing, or null while several are alive or after a draw.</summary>
    public static int? Winner(ImmutableArray<int> health)
    {
        if (AliveCount(health) != 1) return null;
        for (var i = 0; i < health.Length; i++)
        {
            if (health[i] > 0) return i;
        }
        return null;
    }

    /// <summary>
    /// Ring order of a beat (1-based): the roster's order, starting one place further round each
    /// beat so that nobody always shoots first.
    /// </summary>
    public static ImmutableArray<int> TurnOrder(int cowboyCount, int beat)
    {
        var builder = ImmutableArray.CreateBuilder<int>(cowboyCount);
        var start = (int)((beat - 1L) % cowboyCount);
        for (var k = 0; k < cowboyCount; k++) builder.Add((start + k) % cowboyCount);
        return builder.MoveToImmutable();
    }

    /// <summary>Whether this cowboy gets to shoot when the token reaches him.</summary>
    public static bool CanShoot(RuleSet rules, BeatState beat, int shooter, string shooterName)
    {
        if (beat.HasShot(shooterName)) return false; // shots are keyed by (beat, shooter): a retried turn is a no-op
        return rules switch
        {
            RuleSet.Sequential => beat.Health[shooter] > 0 && AliveCount(beat.Health) > 1,
            _ => beat.HealthAtStart[shooter] > 0 && AliveCount(beat.HealthAtStart) > 1,
        };
    }

    /// <summary>
    /// The cowboy's turn: he picks a random live other cowboy from his own stream and his damage
    /// applies at once. Returns the beat unchanged when he cannot shoot.
    /// </summary>
    public static BeatState Turn(RuleSet rules, Roster roster, long seed, BeatState beat, int shooter)
    {
        var me = roster.Cowboys[shooter];
        if (!CanShoot(rules, beat, shooter, me.Name)) return beat;

        var aliveFrom = rules == RuleSet.Sequential ? beat.Health : beat.HealthAtStart;
        var candidates = new List<int>(aliveFrom.Length);
        for (var i = 0; i < aliveFrom.Length; i++)
        {
            if (i != shooter && aliveFrom[i] > 0) candidates.Add(i);
        }

        var target = candidates[TargetPicker.Pick(seed, beat.Beat, me.Name, candidates.Count)];
        var after = Math.Max(0, beat.Health[target] - me.Damage);
        var shot = new Shot(beat.Beat, me.Name, roster.Cowboys[target].Name, me.Damage, after);
        return beat with { Health = beat.Health.SetItem(target, after), Shots = beat.Shots.Add(shot) };
    }

    /// <summary>A whole beat played in one place: every cowboy in ring order who is present takes his turn.</summary>
    public static BeatState PlayBeat(RuleSet rules, Roster roster, long seed, int beat, ImmutableArray<int> health, Func<int, bool>? present = null)
    {
        var state = BeatState.Start(beat, health);
        foreach (var shooter in TurnOrder(roster.Count, beat))
        {
            if (present is null || present(shooter)) state = Turn(rules, roster, seed, state, shooter);
        }
        return state;
    }
}
