using Cowboys.Actors.Rosters;
using Cowboys.Actors.Rules;

namespace Cowboys.Host.Launcher;

/// <summary>One planned fault: after the given beat has been committed, kill (or freeze) the leader's host or the named cowboy.</summary>
public sealed record PlannedKill(int AfterBeat, string? Cowboy, bool Pause = false)
{
    public bool TargetsLeaderHost => Cowboy is null;
}

/// <summary>
/// Which processes `play --chaos N` kills, and when, chosen from the seed so that a chaotic run can
/// be repeated. The first kill always hits the process hosting the leader singleton.
/// </summary>
public static class ChaosPlan
{
    public static IReadOnlyList<PlannedKill> Create(Roster roster, RuleSet rules, long seed, int kills, int pauses = 0)
    {
        if (kills + pauses <= 0 || roster.Count < 2) return [];
        // within the first half of the game as it would go without faults, so that they happen before it ends
        var beats = Math.Max(2, Referee.Play(roster, rules, seed).Beats / 2);
        var random = new Random(unchecked((int)seed ^ 0x5eed));
        var plan = new List<PlannedKill>();
        var after = 1;
        for (var k = 0; k < kills; k++)
        {
            after = Math.Max(after, 1 + random.Next(beats));
            var cowboy = k == 0 ? null : roster.Cowboys[random.Next(roster.Count)].Name;
            plan.Add(new PlannedKill(after, cowboy));
        }
        // pauses likewise, the first on the leader's host: a frozen leader is the fault that splits a naive protocol
        var freezes = new Random(unchecked((int)seed ^ 0x57095));
        var at = 1;
        for (var k = 0; k < pauses; k++)
        {
            at = Math.Max(at, 1 + freezes.Next(beats));
            plan.Add(new PlannedKill(at, k == 0 ? null : roster.Cowboys[freezes.Next(roster.Count)].Name, Pause: true));
        }
        return plan.OrderBy(p => p.AfterBeat).ToList();
    }
}
