using Cowboys.Actors.Protocol;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using k8s.Models;

namespace Cowboys.Operator.Progress;

/// <summary>
/// Pure: from a Shootout, its game and what its Jobs and pods show, to the status it should have.
/// The winner comes from the cowboys' termination messages (ResultSummary); the operator only
/// believes a result every cowboy that reported one agrees on (docs/decisions/0007).
/// </summary>
public static class ShootoutProgress
{
    public const string SpecChangeIgnored = "SpecChangeIgnored";

    /// <summary>At most this many CowboyDied events per game; the rest are counted in one.</summary>
    public const int MaxDeathEvents = 20;

    public static Assessment Invalid(Shootout shootout, string error, DateTime now)
    {
        var previous = shootout.Status ?? new ShootoutStatus();
        var generation = shootout.Metadata.Generation;
        var status = previous with
        {
            Phase = ShootoutPhases.Failed,
            Message = error,
            CompletionTime = previous.CompletionTime ?? now,
            ObservedGeneration = generation,
            Conditions = Merge(previous.Conditions, now,
                Condition(ShootoutConditions.Valid, false, "InvalidSpec", error, generation),
                Condition(ShootoutConditions.Ready, false, "InvalidSpec", "no cowboy was started", generation),
                Condition(ShootoutConditions.Finished, false, "InvalidSpec", "the game was not played", generation)),
        };
        var events = previous.Phase == ShootoutPhases.Failed
            ? Array.Empty<ShootoutEvent>()
            : [new ShootoutEvent(ShootoutEvent.Warning, "InvalidSpec", error)];
        return new Assessment(status, events);
    }

    /// <summary>
    /// The API server refused something the game needs, and asking again cannot help (decision
    /// 0010): the Shootout ends Failed with the server's own words rather than being retried forever.
    /// </summary>
    public static Assessment Refused(Shootout shootout, string reason, string message, DateTime now)
    {
        var previous = shootout.Status ?? new ShootoutStatus();
        var generation = shootout.Metadata.Generation;
        var kept = previous.Conditions?.Where(c => c.Type == ShootoutConditions.Valid).ToArray() ?? [];
        var status = previous with
        {
            Phase = ShootoutPhases.Failed,
            Message = message,
            CompletionTime = previous.CompletionTime ?? now,
            ObservedGeneration = generation,
            Conditions = Merge(previous.Conditions, now, [.. kept,
                Condition(ShootoutConditions.Ready, false, reason, message, generation),
                Condition(ShootoutConditions.Finished, false, reason, message, generation)]),
        };
        var events = previous.Phase == ShootoutPhases.Failed
            ? Array.Empty<ShootoutEvent>()
            : [new ShootoutEvent(ShootoutEvent.Warning, reason, message)];
        return new Assessment(status, events);
    }

    /// <param name="playedGeneration">
    /// The spec generation the game was set up from (the roster ConfigMap's annotation): what
    /// observedGeneration reports, so that a spec edit that was ignored never looks applied.
    /// </param>
    public static Assessment Assess(Shootout shootout, GamePlan plan, Observed observed, DateTime now, bool specIgnored = false, GameView? live = null, long? playedGeneration = null)
    {
        var previous = shootout.Status ?? new ShootoutStatus();
        var generation = playedGeneration ?? shootout.Metadata.Generation;
        var n = plan.Roster.Count;
        var events = new List<ShootoutEvent>();
        if (previous.Phase is null)
        {
            events.Add(new ShootoutEvent(ShootoutEvent.Normal, "Created",
                $"created {n} cowboy Jobs: rules {plan.Rules.ToWire()}, seed {plan.Seed}, beat {Duration.Format(plan.Beat)}"));
        }
        // told once: the Valid condition remembers it
        if (specIgnored && previous.Condition(ShootoutConditions.Valid)?.Reason != SpecChangeIgnored)
        {
            events.Add(new ShootoutEvent(ShootoutEvent.Warning, SpecChangeIgnored,
                "spec changed after the game was set up; the game goes on as it started (delete the Shootout and create a new one to play again)"));
        }

        var valid = specIgnored
            ? Condition(ShootoutConditions.Valid, true, SpecChangeIgnored, $"{n} cowboys, as generation {generation} set the game up; generation {shootout.Metadata.Generation} is ignored", generation)
            : Condition(ShootoutConditions.Valid, true, "SpecValid", $"{n} cowboys", generation);
        var baseStatus = previous with { ObservedGeneration = generation, Cowboys = n, Seed = plan.Seed };

        var summaries = Summaries(observed.Pods);
        var finished = summaries.Where(s => s.Summary.IsFinished).ToList();
        var aborted = summaries.FirstOrDefault(s => !s.Summary.IsFinished);
        var jobsDone = observed.Jobs.Count >= n && observed.Jobs.All(IsTerminal);

        // Disagreement or a result of another game: nothing is believed.
        var disagreeing = finished.FirstOrDefault(s => !s.Summary.AgreesWith(finished[0].Summary)
            || s.Summary.Seed != plan.Seed || s.Summary.Rules != plan.Rules || s.Summary.Cowboys != n);
        if (disagreeing is not null)
        {
            var why = $"cowboys disagree on the result: {finished[0].Cowboy} says {Describe(finished[0].Summary)}, {disagreeing.Cowboy} says {Describe(disagreeing.Summary)}";
            return Fail(baseStatus, previous, "Disagreement", why, valid, generation, now, events);
        }
        if (aborted is not null)
        {
            return Fail(baseStatus, previous, "Aborted", $"the game was aborted: {aborted.Summary.Reason}", valid, generation, now, events);
        }
        // a majority of the roster's cowboys reporting one result decides it (decision 0014): a pod
        // that died after the end, and its replacement waiting for a game that is over, cannot hold it up
        var reporters = finished.Select(f => f.Cowboy).Distinct().Count();
        if (finished.Count > 0 && (jobsDone || reporters >= Majority(n)))
        {
            var result = finished[0].Summary;
            var message = result.Winner is { } w
                ? $"{w} is the last man standing after {result.Beats} beats"
                : $"nobody survived beat {result.Beats}: a draw";
            var status = baseStatus with
            {
                Phase = ShootoutPhases.Finished,
                Winner = result.Winner,
                Beat = result.Beats,
                Alive = result.Alive,
                Message = message,
                StartTime = previous.StartTime ?? now,
                CompletionTime = previous.CompletionTime ?? now,
                Conditions = Merge(previous.Conditions, now, valid,
                    Condition(ShootoutConditions.Ready, false, "GameOver", "the cowboys have left the cluster", generation),
                    Condition(ShootoutConditions.Finished, true, result.Winner is null ? "Draw" : "Winner", message, generation)),
            };
            if (previous.Phase != ShootoutPhases.Finished)
            {
                events.AddRange(DeathEvents(result));
                events.Add(new ShootoutEvent(ShootoutEvent.Normal, result.Winner is null ? "Draw" : "Winner", message));
            }
            return new Assessment(status, events);
        }

        ShootoutCondition? lost = null;
        var failedJob = observed.Jobs.Select(j => (Job: j, Failed: JobCondition(j, "Failed"))).FirstOrDefault(j => j.Failed is not null);
        if (failedJob.Failed is { } failure)
        {
            var who = CowboyOf(failedJob.Job.Metadata);
            var reason = failure.Reason ?? "JobFailed";
            var what = $"cowboy {who}'s Job failed ({reason}): {failure.Message}";
            // exit code 2 (bad input, an aborted game) ends it at once; otherwise the game goes on while a quorum can still vote
            var voters = Voters(observed);
            if (reason == PodFailurePolicyReason) return Fail(baseStatus, previous, reason, what, valid, generation, now, events);
            if (!Quorum.Reached(n, voters, witness: n % 2 == 0))
            {
                return Fail(baseStatus, previous, reason, $"{what}; only {voters} of the {n} cowboys can still vote, fewer than a quorum: the game can no longer end", valid, generation, now, events);
            }
            var degraded = Condition(ShootoutConditions.Degraded, true, reason, $"{what}; the game goes on: {voters} of the {n} cowboys can still vote", generation);
            // told once per change, not on every reconcile: the Degraded condition remembers it
            if (previous.Condition(ShootoutConditions.Degraded)?.Message != degraded.Message)
                events.Add(new ShootoutEvent(ShootoutEvent.Warning, reason, degraded.Message!));
            lost = degraded;
        }
        if (jobsDone)
        {
            return Fail(baseStatus, previous, "NoResult", "every cowboy's Job ended, but none reported a result", valid, generation, now, events);
        }

        var ready = ReadyCowboys(observed.Pods);
        var started = previous.Phase == ShootoutPhases.Running || ready >= n;
        var readyCondition = ready >= n
            ? Condition(ShootoutConditions.Ready, true, "AllCowboysReady", $"all {n} cowboys are in the cluster", generation)
            : Condition(ShootoutConditions.Ready, false, "WaitingForCowboys", $"{ready} of {n} cowboys are in the cluster", generation);
        var playing = finished.Count > 0
            ? Condition(ShootoutConditions.Finished, false, "LeavingCluster", "the game is over; waiting for every cowboy to leave", generation)
            : Condition(ShootoutConditions.Finished, false, started ? "Playing" : "WaitingForCowboys", started ? "the game is on" : "the game starts when every cowboy is in the cluster", generation);
        // a cowboy's replica, unless it is behind what the status already shows (a restarted pod catching up)
        var progress = started && live is not null && live.Cowboys == n && live.Beat >= (previous.Beat ?? 0) ? live : null;
        var next = baseStatus with
        {
            Phase = started ? ShootoutPhases.Running : ShootoutPhases.Pending,
            StartTime = started ? previous.StartTime ?? now : previous.StartTime,
            Beat = progress?.Beat ?? previous.Beat ?? 0,
            Alive = progress?.Alive ?? previous.Alive ?? n,
            Message = readyCondition.Message,
            Conditions = Merge(previous.Conditions, now, lost is null ? [valid, readyCondition, playing] : [valid, readyCondition, playing, lost]),
        };
        if (started && previous.Phase != ShootoutPhases.Running)
        {
            events.Add(new ShootoutEvent(ShootoutEvent.Normal, "Started", $"all {n} cowboys are in the cluster: the shootout begins"));
        }
        if (progress is not null)
        {
            // deaths only ever grow, in order; those already counted in status.alive were told before
            var told = n - (previous.Alive ?? n);
            events.AddRange(progress.Deaths.Take(MaxDeathEvents).Skip(told).Select(DeathEvent));
        }
        return new Assessment(next, events);
    }

    /// <summary>The reason of a Job failed by its podFailurePolicy (the cowboy exited 2: bad input, or the game was aborted).</summary>
    public const string PodFailurePolicyReason = "PodFailurePolicy";

    /// <summary>
    /// Cowboys that can still vote: a pod keeps its replica in memory and only a cowboy's first
    /// pod votes (docs/decisions/0011), so a cowboy whose Job has seen a pod fail, or has failed,
    /// has lost his vote for the rest of the game.
    /// </summary>
    public static int Voters(Observed observed) => observed.Jobs.Count(j => JobCondition(j, "Failed") is null && (j.Status?.Failed ?? 0) == 0);

    /// <summary>A strict majority of the roster.</summary>
    public static int Majority(int cowboys) => cowboys / 2 + 1;

    /// <summary>Jobs still running once the game was decided: their cowboys cannot change the result.</summary>
    public static IReadOnlyList<V1Job> Stragglers(Observed observed) => observed.Jobs.Where(j => !IsTerminal(j)).ToList();

    private static Assessment Fail(ShootoutStatus baseStatus, ShootoutStatus previous, string reason, string message,
        ShootoutCondition valid, long? generation, DateTime now, List<ShootoutEvent> events)
    {
        var status = baseStatus with
        {
            Phase = ShootoutPhases.Failed,
            Message = message,
            CompletionTime = previous.CompletionTime ?? now,
            Conditions = Merge(previous.Conditions, now, valid,
                Condition(ShootoutConditions.Ready, false, reason, message, generation),
                Condition(ShootoutConditions.Finished, false, reason, message, generation)),
        };
        if (previous.Phase != ShootoutPhases.Failed) events.Add(new ShootoutEvent(ShootoutEvent.Warning, reason, message));
        return new Assessment(status, events);
    }

    private static IEnumerable<ShootoutEvent> DeathEvents(ResultSummary result)
    {
        foreach (var death in result.Deaths.Take(MaxDeathEvents)) yield return DeathEvent(death);
        var more = result.Deaths.Length - MaxDeathEvents + result.DeathsOmitted;
        if (more > 0) yield return new ShootoutEvent(ShootoutEvent.Normal, "CowboyDied", $"and {more} more cowboys died");
    }

    /// <summary>The same text live and at the end, so the event's name is the same and it is recorded once.</summary>
    private static ShootoutEvent DeathEvent(Death death) => new(ShootoutEvent.Normal, "CowboyDied",
        $"{death.Cowboy} {(death.How == Death.Forfeit ? "forfeited (away too long)" : "was shot dead")} at beat {death.Beat}");

    private static string Describe(ResultSummary s) => $"winner {s.Winner ?? "none"} after {s.Beats} beats (seed {s.Seed}, {s.Cowboys} cowboys)";

    private sealed record Reported(string Cowboy, ResultSummary Summary);

    private static List<Reported> Summaries(IEnumerable<V1Pod> pods)
    {
        var list = new List<Reported>();
        foreach (var pod in pods)
        {
            foreach (var c in pod.Status?.ContainerStatuses ?? [])
            {
                if (ResultSummary.TryParse(c.State?.Terminated?.Message) is { } summary) list.Add(new Reported(CowboyOf(pod.Metadata), summary));
            }
        }
        return list;
    }

    private static int ReadyCowboys(IEnumerable<V1Pod> pods) =>
        pods.Where(p => p.Metadata.DeletionTimestamp is null
                        && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .Select(p => CowboyOf(p.Metadata))
            .Distinct()
            .Count();

    public static string CowboyOf(V1ObjectMeta meta) =>
        meta.Annotations?.TryGetValue(Labels.CowboyName, out var name) == true ? name : meta.Name;

    private static bool IsTerminal(V1Job job) => JobCondition(job, "Complete") is not null || JobCondition(job, "Failed") is not null;

    private static V1JobCondition? JobCondition(V1Job job, string type) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");

    public static ShootoutCondition Condition(string type, bool status, string reason, string? message, long? generation) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
    };

    /// <summary>Conditions keep their lastTransitionTime unless their status flips.</summary>
    private static IReadOnlyList<ShootoutCondition> Merge(IReadOnlyList<ShootoutCondition>? previous, DateTime now, params ShootoutCondition[] next) =>
        next.Select(c =>
        {
            var old = previous?.FirstOrDefault(p => p.Type == c.Type);
            return c with { LastTransitionTime = old is not null && old.Status == c.Status ? old.LastTransitionTime ?? now : now };
        }).ToList();
}
