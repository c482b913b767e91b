using System.Collections.Immutable;
using Cowboys.Actors.Game.Results;
using Cowboys.Host.Cowboy;

namespace Cowboys.Host.Launcher;

/// <summary>
/// `play` as a small local Job controller, pure: from what the shell saw (<see cref="SupervisorTick"/>)
/// and what it knew (<see cref="SupervisorState"/>), what to do. A process that fails before the
/// game ended is started again after a pause, as a Job restarts its pod, up to
/// <see cref="PlayOptions.RestartLimit"/> times; one that exits 2 (bad input) fails the game at once,
/// as a podFailurePolicy would; the chaos plan's faults are carried out one a beat; a frozen process
/// is woken after <see cref="PauseFor"/> or when the game ends; processes still running long after
/// the end are stopped; a large roster starts in <see cref="Waves"/>, each once the earlier have joined. Tested like the sandbox's JobLogic.Decide.
/// </summary>
public static class Supervisor
{
    /// <summary>How long a process killed by the chaos plan stays down.</summary>
    public static readonly TimeSpan ChaosRestartPause = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a process that crashed by itself stays down.</summary>
    public static readonly TimeSpan CrashRestartPause = TimeSpan.FromSeconds(1);

    /// <summary>How long --pause freezes a process: well past failure detection and the Split Brain Resolver (about 5 s).</summary>
    public static readonly TimeSpan PauseFor = TimeSpan.FromSeconds(8);

    /// <summary>How long after the end processes may take to leave before they are stopped.</summary>
    public static readonly TimeSpan StragglerGrace = TimeSpan.FromSeconds(20);

    public static (SupervisorState State, IReadOnlyList<SupervisorDecision> Decisions) Decide(SupervisorState state, SupervisorTick tick)
    {
        var decisions = new List<SupervisorDecision>();
        var cowboys = state.Cowboys.ToBuilder();
        var gameOverAt = state.GameOverAt ?? (tick.ResultWritten ? tick.Now : null);
        var plan = state.Plan;
        var lastFaultBeat = state.LastFaultBeat;

        // exits: restart what failed before the end, or give up
        for (var i = 0; i < cowboys.Count; i++)
        {
            var c = cowboys[i];
            if (!(c.Running || c.KilledByChaos) || c.RestartAt is not null || !tick.Exited.TryGetValue(c.Name, out var code)) continue;
            c = c with { Running = false };
            if (code == 0 || gameOverAt is not null)
            {
                cowboys[i] = c with { KilledByChaos = false };
                continue;
            }
            if (code == CowboyCommand.InvalidInput)
            {
                return (state, [new SupervisorDecision.GiveUp($"{c.Name} exited with code {code}{LastError(tick, c.Name)}; starting him again cannot help")]);
            }
            if (c.Restarts >= PlayOptions.RestartLimit)
            {
                return (state, [new SupervisorDecision.GiveUp($"{c.Name} failed {c.Restarts + 1} times (last exit code {code}{LastError(tick, c.Name)}); giving up the game")]);
            }
            cowboys[i] = c with { RestartAt = tick.Now + (c.KilledByChaos ? ChaosRestartPause : CrashRestartPause) };
            if (!c.KilledByChaos) decisions.Add(new SupervisorDecision.Say($"{c.Name} exited with code {code}; starting him again"));
        }

        // restarts that are due; after the end there is no game to rejoin
        for (var i = 0; i < cowboys.Count; i++)
        {
            var c = cowboys[i];
            if (c.RestartAt is not { } at || at > tick.Now) continue;
            c = c with { RestartAt = null, KilledByChaos = false, Restarts = c.Restarts + 1 };
            if (gameOverAt is null)
            {
                c = c with { Running = true, Incarnation = c.Incarnation + 1 };
                decisions.Add(new SupervisorDecision.Start(c.Name));
                decisions.Add(new SupervisorDecision.Say($"{c.Name} started again (incarnation {c.Incarnation})"));
            }
            cowboys[i] = c;
        }

        // waves: the next starts once every cowboy started so far has joined, or the join limit passed; after the end, none
        var waiting = state.Waiting;
        var lastWaveAt = state.LastWaveAt;
        if (gameOverAt is not null) waiting = [];
        else if (!waiting.IsEmpty)
        {
            // started so far: everybody not in a wave still waiting
            var notYet = waiting.SelectMany(w => w).ToHashSet();
            var started = cowboys.Count - notYet.Count;
            var late = cowboys.Where(c => !notYet.Contains(c.Name) && !tick.Joined.Contains(c.Name)).Select(c => c.Name).ToList();
            if (late.Count == 0 || tick.Now - lastWaveAt >= Waves.JoinLimit)
            {
                var wave = waiting.Peek();
                waiting = waiting.Dequeue();
                lastWaveAt = tick.Now;
                for (var i = 0; i < cowboys.Count; i++)
                {
                    if (!wave.Contains(cowboys[i].Name)) continue;
                    cowboys[i] = cowboys[i] with { Running = true };
                    decisions.Add(new SupervisorDecision.Start(cowboys[i].Name));
                }
                var number = state.WaveCount - waiting.Count();
                decisions.Add(new SupervisorDecision.Say(late.Count == 0
                    ? $"wave {number} of {state.WaveCount}: starting {wave.Length} more cowboys, now that the {started} started before have joined"
                    : $"wave {number} of {state.WaveCount}: starting {wave.Length} more cowboys although {late.Count} started before have not joined within {Waves.JoinLimit.TotalSeconds:F0} s ({string.Join(", ", late.Take(5))}{(late.Count > 5 ? ", ..." : "")})"));
            }
        }

        // the frozen wake when their time is up, or when the game ended
        for (var i = 0; i < cowboys.Count; i++)
        {
            var c = cowboys[i];
            if (c.ResumeAt is not { } at || (at > tick.Now && gameOverAt is null)) continue;
            cowboys[i] = c with { ResumeAt = null };
            decisions.Add(new SupervisorDecision.Wake(c.Name, c.PausedIncarnation));
            decisions.Add(new SupervisorDecision.Say($"woke {c.Name} with SIGCONT"));
        }

        // the chaos plan: one fault a beat, at its beat or the first one seen after it, never once the game is decided
        if (gameOverAt is null && !tick.Decided && !plan.IsEmpty)
        {
            var next = plan.Peek();
            var beat = tick.CommittedBeat;
            var names = cowboys.Select(c => c.Name).ToList();
            if (beat >= next.AfterBeat && beat > lastFaultBeat
                && ChaosPlan.Victim(next, tick.LeaderHost, names, n => cowboys[names.IndexOf(n)].IsUp) is { } victim)
            {
                lastFaultBeat = beat;
                plan = plan.Dequeue();
                var v = names.IndexOf(victim);
                var leads = victim == tick.LeaderHost ? " (he hosts the leader)" : "";
                if (next.Pause)
                {
                    // frozen for longer than the others need to replace the leader: he wakes up believing he still leads
                    cowboys[v] = cowboys[v] with { ResumeAt = tick.Now + PauseFor, PausedIncarnation = cowboys[v].Incarnation };
                    decisions.Add(new SupervisorDecision.Freeze(victim, new Fault(beat, victim, leads.Length > 0, Fault.Pause),
                        $"froze {victim} with SIGSTOP after beat {beat} for {PauseFor.TotalSeconds:F0} s{leads}"));
                }
                else
                {
                    cowboys[v] = cowboys[v] with { KilledByChaos = true, Running = false };
                    decisions.Add(new SupervisorDecision.Kill(victim, new Fault(beat, victim, leads.Length > 0, Fault.Kill), $"killed {victim} with SIGKILL after beat {beat}{leads}"));
                }
            }
        }

        // a fault that can no longer fire is said once, not dropped without a word
        if ((gameOverAt is not null || tick.Decided) && !plan.IsEmpty)
        {
            var left = plan.Count();
            decisions.Add(new SupervisorDecision.Say($"the game was decided before {left} of the planned faults could fire " +
                                                     "(one a beat, after its beat, on a cowboy who is up)"));
            plan = [];
        }

        var after = new SupervisorState(cowboys.ToImmutable(), plan, gameOverAt, lastFaultBeat) { Waiting = waiting, WaveCount = state.WaveCount, LastWaveAt = lastWaveAt };
        if (waiting.IsEmpty && after.Cowboys.All(c => !c.Running && c.RestartAt is null)) decisions.Add(new SupervisorDecision.Done());
        else if (gameOverAt is { } over && tick.Now - over > StragglerGrace && after.Cowboys.Any(c => c.Running)) decisions.Add(new SupervisorDecision.StopStragglers());
        return (after, decisions);
    }

    private static string LastError(SupervisorTick tick, string cowboy) => tick.LastErrors.TryGetValue(cowboy, out var line) ? $": {line}" : "";
}
