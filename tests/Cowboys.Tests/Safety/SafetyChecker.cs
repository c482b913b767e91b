using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;

namespace Cowboys.Tests.Safety;

/// <summary>
/// Replays a reported game against its roster and names the first safety rule it breaks.
/// Deliberately independent of GameRules and Referee (only TargetPicker, the definition of the random
/// stream, is shared) so that a bug in the rules cannot hide itself by being checked with itself.
///
/// Replay: healths start from the roster; a "forfeit" event at beat B sets that cowboy's health to 0
/// at the start of B, before B's shots; shots are applied in the order given.
/// Every message starts with the rule's name in brackets, e.g. "[target health] ...".
/// </summary>
public static class SafetyChecker
{
    public static string? FirstViolation(Roster roster, GameResult result)
    {
        var n = roster.Count;
        var names = roster.Cowboys.Select(c => c.Name).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++) index[names[i]] = i;

        // The result describes this roster.
        if (result.Cowboys.IsDefault || result.Cowboys.Length != n)
        {
            return $"[roster] the result lists {(result.Cowboys.IsDefault ? 0 : result.Cowboys.Length)} cowboys, the roster {n}";
        }
        for (var i = 0; i < n; i++)
        {
            var reported = result.Cowboys[i];
            var declared = roster.Cowboys[i];
            if (reported.Name != declared.Name) return $"[roster] cowboy #{i + 1} is \"{reported.Name}\" in the result, \"{declared.Name}\" in the roster";
            if (reported.Damage != declared.Damage) return $"[roster] cowboy \"{declared.Name}\" has damage {reported.Damage} in the result, {declared.Damage} in the roster";
        }
        if (result.Beats < 0) return $"[beat range] beats is {result.Beats}";

        var shots = result.Shots.IsDefault ? [] : result.Shots;
        var events = result.Events.IsDefault ? [] : result.Events;

        // Shapes that need no replay: beats in order and in range.
        for (var k = 0; k < shots.Length; k++)
        {
            var beat = shots[k].Beat;
            if (beat < 1 || beat > result.Beats) return $"[beat range] shot #{k} is in beat {beat}, outside 1..{result.Beats}";
            if (k > 0 && beat < shots[k - 1].Beat) return $"[beat order] shot #{k} is in beat {beat}, after a shot in beat {shots[k - 1].Beat}";
        }
        var forfeits = new List<(int Beat, int Cowboy)>();
        foreach (var e in events)
        {
            if (e.Kind != GameEvent.Forfeit) continue;
            if (!index.TryGetValue(e.Cowboy, out var who)) return $"[forfeit] beat {e.Beat}: forfeit of unknown cowboy \"{e.Cowboy}\"";
            if (e.Beat < 1 || e.Beat > result.Beats) return $"[beat range] forfeit of \"{e.Cowboy}\" is in beat {e.Beat}, outside 1..{result.Beats}";
            forfeits.Add((e.Beat, who));
        }

        var health = roster.Cowboys.Select(c => c.Health).ToArray();
        var next = 0;
        for (var beat = 1; beat <= result.Beats; beat++)
        {
            if (Alive(health) <= 1) return $"[played after game over] beat {beat} was played, but the game was over before it ({Alive(health)} alive)";

            foreach (var (b, who) in forfeits)
            {
                if (b == beat) health[who] = 0;
            }
            var atStart = (int[])health.Clone();
            var shotInBeat = new HashSet<string>(StringComparer.Ordinal);

            for (; next < shots.Length && shots[next].Beat == beat; next++)
            {
                var s = shots[next];
                var at = $"beat {beat}, shot #{next} ({s.Shooter} -> {s.Target})";
                if (!index.TryGetValue(s.Shooter, out var shooter)) return $"[unknown shooter] {at}: no cowboy \"{s.Shooter}\" in the roster";
                if (!index.TryGetValue(s.Target, out var target)) return $"[unknown target] {at}: no cowboy \"{s.Target}\" in the roster";
                if (shooter == target) return $"[self shot] {at}: a cowboy shot himself";
                if (s.Damage != roster.Cowboys[shooter].Damage) return $"[damage] {at}: damage {s.Damage}, but the shooter's damage is {roster.Cowboys[shooter].Damage}";

                var sequential = result.Rules == RuleSet.Sequential;
                var view = sequential ? health : atStart; // who counts as alive for this shot
                var when = sequential ? "when he shot" : "at the start of the beat";
                if (view[shooter] <= 0) return $"[dead shooter] {at}: {s.Shooter} was dead {when}";
                if (!shotInBeat.Add(s.Shooter)) return $"[exactly once] {at}: {s.Shooter} already shot in beat {beat}";
                if (view[target] <= 0) return $"[dead target] {at}: {s.Target} was dead {when}";
                if (Alive(view) <= 1) return $"[game over] {at}: only {Alive(view)} alive {when}";

                var candidates = new List<int>();
                for (var i = 0; i < n; i++)
                {
                    if (i != shooter && view[i] > 0) candidates.Add(i);
                }
                var picked = candidates[TargetPicker.Pick(result.Seed, beat, s.Shooter, candidates.Count)];
                if (picked != target) return $"[target pick] {at}: seed {result.Seed} picks {names[picked]}, not {s.Target}";

                var expected = Math.Max(0, health[target] - s.Damage);
                if (s.TargetHealth != expected) return $"[target health] {at}: {s.Target} had {health[target]}, took {s.Damage}, so must have {expected}, reported {s.TargetHealth}";
                health[target] = expected;
            }
        }
        if (next < shots.Length) return $"[beat range] shot #{next} in beat {shots[next].Beat} was never replayed";

        for (var i = 0; i < n; i++)
        {
            if (result.Cowboys[i].Health != health[i]) return $"[final health] {names[i]} ends with {health[i]} in the replay, {result.Cowboys[i].Health} reported";
        }
        var alive = Alive(health);
        if (alive > 1) return $"[not over] after beat {result.Beats} still {alive} alive";
        var winner = alive == 1 ? names[Array.FindIndex(health, h => h > 0)] : null;
        if (result.Winner != winner) return $"[winner] reported {Show(result.Winner)}, the replay gives {Show(winner)}";
        if (winner is null && result.Rules == RuleSet.Sequential && forfeits.Count == 0)
        {
            return "[draw] a sequential game ended with nobody alive but nobody forfeited";
        }
        return null;
    }

    private static int Alive(int[] health) => health.Count(h => h > 0);

    private static string Show(string? name) => name is null ? "a draw" : $"\"{name}\"";
}
