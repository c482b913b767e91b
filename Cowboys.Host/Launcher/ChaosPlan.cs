using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Host.Launcher;

/// <summary>
/// Which processes `play --chaos N --pause M` kills or freezes, and after which beats, chosen from
/// the seed so that a chaotic run can be repeated. The first kill and the first freeze hit the
/// process hosting the leader singleton.
/// </summary>
public static class ChaosPlan
{
    public static IReadOnlyList<PlannedKill> Create(Roster roster, RuleSet rules, long seed, int kills, int pauses = 0)
    {
        if (kills + pauses <= 0 || roster.Count < 2) return [];
        // every fault after its own beat and before the last one, so that each happens while the game
        // still runs: within the first half of the game as it would go without faults where they fit
        var beats = Referee.Play(roster, rules, seed).Beats;
        var count = Math.Min(kills + pauses, beats - 1);
        if (count <= 0) return [];
        var window = Math.Min(beats - 1, Math.Max(count, beats / 2));
        var random = new Random(unchecked((int)seed ^ 0x5eed));
        var after = Enumerable.Range(1, window).OrderBy(_ => random.Next()).Take(count).Order().ToList();
        var kinds = Enumerable.Repeat(false, kills).Concat(Enumerable.Repeat(true, pauses)).OrderBy(_ => random.Next()).Take(count).ToList();

        var plan = new List<PlannedKill>(count);
        bool killedLeader = false, frozeLeader = false;
        for (var k = 0; k < count; k++)
        {
            var pause = kinds[k];
            var onLeader = pause ? !frozeLeader : !killedLeader;
            if (pause) frozeLeader = true;
            else killedLeader = true;
            plan.Add(new PlannedKill(after[k], onLeader ? null : roster.Cowboys[random.Next(roster.Count)].Name, pause));
        }
        return plan;
    }

    /// <summary>
    /// Who the fault hits now, or null to wait: the leader's host when he is up (while he is not, no
    /// beat commits, so waiting costs nothing), else the named cowboy or, while he is down or frozen
    /// by an earlier fault, the next one in roster order who is up. Faults may overlap, as a
    /// nemesis's do.
    /// </summary>
    public static string? Victim(PlannedKill fault, string? leaderHost, IReadOnlyList<string> roster, Func<string, bool> isUp)
    {
        if (fault.TargetsLeaderHost) return leaderHost is not null && isUp(leaderHost) ? leaderHost : null;
        var start = Math.Max(0, roster.ToList().IndexOf(fault.Cowboy!));
        for (var k = 0; k < roster.Count; k++)
        {
            var name = roster[(start + k) % roster.Count];
            if (isUp(name)) return name;
        }
        return null;
    }
}
