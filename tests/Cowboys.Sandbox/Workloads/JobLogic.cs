using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Workloads;

/// <summary>What the Job controller does next for one Job, decided from the Job and its pods alone.</summary>
/// <param name="Status">The Job's new status.</param>
/// <param name="PodsToCreate">How many new pods to create now.</param>
/// <param name="PodsToDelete">Active pods to terminate (deadline, failure, success, suspension).</param>
/// <param name="PodsCounted">Terminated pods now counted in the status: their tracking finalizer can go.</param>
/// <param name="RequeueAfter">When to look again even if nothing changes (a backoff or a deadline).</param>
public sealed record JobDecision(JsonObject Status, int PodsToCreate, IReadOnlyList<string> PodsToDelete, IReadOnlyList<string> PodsCounted, TimeSpan? RequeueAfter);

/// <summary>
/// The Job controller's rules as documented for Kubernetes 1.31+
/// (https://kubernetes.io/docs/concepts/workloads/controllers/job/): pods are counted once they
/// are terminal (through the job-tracking finalizer); a podFailurePolicy rule decides whether a
/// failure fails the Job at once (FailJob), is not counted (Ignore) or counts towards the
/// backoffLimit (Count, also the default); retries wait an exponential back-off (base 10 s in
/// Kubernetes); the first reason to fail (a FailJob rule, the backoff limit, the active deadline)
/// sets FailureTarget and terminates the active pods, and Failed follows once no pod is left
/// running; success sets SuccessCriteriaMet, then Complete with a completionTime.
/// </summary>
public static class JobLogic
{
    public static JobDecision Decide(JsonObject job, IReadOnlyList<JsonObject> pods, DateTimeOffset now, TimeSpan backoffBase)
    {
        var spec = job["spec"]?.AsObject() ?? [];
        var status = job["status"]?.DeepClone().AsObject() ?? [];
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        var podSpec = spec["template"]?["spec"];
        var restartPolicy = (string?)podSpec?["restartPolicy"] ?? "Never";
        var completions = Pods.Int(spec["completions"], 1);
        var parallelism = Pods.Int(spec["parallelism"], 1);
        var backoffLimit = Pods.Int(spec["backoffLimit"], 6);
        var suspended = spec["suspend"] is JsonValue s && s.TryGetValue<bool>(out var sb) && sb;
        var policy = spec["podFailurePolicy"]?["rules"] as JsonArray;
        // podReplacementPolicy defaults to Failed when there is a podFailurePolicy
        var replaceOnlyFailed = ((string?)spec["podReplacementPolicy"] ?? (policy is null ? "TerminatingOrFailed" : "Failed")) == "Failed";

        var succeeded = Pods.Int(status["succeeded"], 0);
        var failed = Pods.Int(status["failed"], 0);
        string? failJobMessage = null;
        var counted = new List<string>();
        foreach (var pod in pods.Where(p => Pods.IsTerminal(p) && Pods.HasFinalizer(p, Pods.JobTrackingFinalizer))
                     .OrderBy(p => FinishedAt(p) ?? DateTimeOffset.MinValue))
        {
            counted.Add(Pods.Name(pod));
            if (Pods.Phase(pod) == "Succeeded")
            {
                succeeded++;
                continue;
            }
            var (action, message) = MatchFailurePolicy(policy, pod);
            if (action == "Ignore") continue;
            failed++;
            if (action == "FailJob") failJobMessage ??= message;
        }

        var active = pods.Where(p => !Pods.IsTerminal(p) && !Pods.IsDeleting(p)).ToList();
        var terminating = pods.Count(p => !Pods.IsTerminal(p) && Pods.IsDeleting(p));
        var restarts = restartPolicy == "OnFailure"
            ? pods.Sum(p => (p["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => Pods.Int(c?["restartCount"], 0)))
            : 0;

        if (!suspended && status["startTime"] is null) status["startTime"] = Pods.Timestamp(now);
        var startTime = Pods.ParseTime(status["startTime"]);
        var deadline = spec["activeDeadlineSeconds"] is { } ads && startTime is { } st ? st.AddSeconds(Pods.Int(ads, int.MaxValue)) : (DateTimeOffset?)null;

        var finished = Pods.HasCondition(job, "Complete") || Pods.HasCondition(job, "Failed");
        var toDelete = new List<string>();
        var create = 0;
        TimeSpan? requeue = null;

        if (finished)
        {
            toDelete.AddRange(active.Select(Pods.Name));
        }
        else if (Pods.Condition(job, "FailureTarget") is { } target && (string?)target["status"] == "True"
                 || FailureReason(failJobMessage, failed + restarts, backoffLimit, deadline, now) is not null)
        {
            var (reason, message) = Pods.Condition(job, "FailureTarget") is { } existing && (string?)existing["status"] == "True"
                ? ((string)existing["reason"]!, (string)existing["message"]!)
                : FailureReason(failJobMessage, failed + restarts, backoffLimit, deadline, now)!.Value;
            SetCondition(conditions, "FailureTarget", reason, message, now);
            toDelete.AddRange(active.Select(Pods.Name));
            if (active.Count == 0 && terminating == 0) SetCondition(conditions, "Failed", reason, message, now);
        }
        else if (succeeded >= completions)
        {
            const string reason = "CompletionsReached", message = "Reached expected number of succeeded pods";
            SetCondition(conditions, "SuccessCriteriaMet", reason, message, now);
            toDelete.AddRange(active.Select(Pods.Name));
            if (active.Count == 0 && terminating == 0)
            {
                SetCondition(conditions, "Complete", reason, message, now);
                status["completionTime"] = Pods.Timestamp(now);
            }
        }
        else if (suspended)
        {
            SetCondition(conditions, "Suspended", "JobSuspended", "Job suspended", now);
            toDelete.AddRange(active.Select(Pods.Name));
        }
        else
        {
            if (Pods.HasCondition(job, "Suspended")) SetCondition(conditions, "Suspended", "JobResumed", "Job resumed", now, "False");
            create = Math.Max(0, Math.Min(parallelism, completions - succeeded) - active.Count - (replaceOnlyFailed ? terminating : 0));
            if (create > 0 && failed > 0 && LastFailure(pods) is { } last)
            {
                var delay = Cowboys.Actors.Game.Settings.Backoff.Nominal(failed, backoffBase, TimeSpan.FromMinutes(6));
                if (last + delay > now)
                {
                    create = 0;
                    requeue = last + delay - now;
                }
            }
            if (deadline is { } d) requeue = Min(requeue, d - now);
        }

        status["active"] = active.Count;
        status["ready"] = active.Count(Pods.IsReady);
        status["succeeded"] = succeeded;
        status["failed"] = failed;
        status["terminating"] = terminating;
        status["uncountedTerminatedPods"] = new JsonObject();
        if (conditions.Count == 0) status.Remove("conditions");
        return new JobDecision(status, create, toDelete, counted, requeue);
    }

    /// <summary>The first podFailurePolicy rule that matches a failed pod: its action and the message Kubernetes gives a FailJob.</summary>
    public static (string Action, string Message) MatchFailurePolicy(JsonArray? rules, JsonObject pod)
    {
        var podName = $"{Pods.Namespace(pod)}/{Pods.Name(pod)}";
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i]!;
            var action = (string?)rule["action"] ?? "Count";
            if (rule["onExitCodes"] is { } onExit)
            {
                var container = (string?)onExit["containerName"];
                var values = (onExit["values"] as JsonArray ?? []).Select(v => Pods.Int(v, int.MinValue)).ToHashSet();
                var notIn = (string?)onExit["operator"] == "NotIn";
                foreach (var cs in pod["status"]?["containerStatuses"] as JsonArray ?? [])
                {
                    if (container is not null && (string?)cs?["name"] != container) continue;
                    if (cs?["state"]?["terminated"]?["exitCode"] is not { } code) continue;
                    var exit = Pods.Int(code, 0);
                    if (notIn ? exit != 0 && !values.Contains(exit) : values.Contains(exit))
                    {
                        return (action, $"Container {cs["name"]} for pod {podName} failed with exit code {exit} matching {action} rule at index {i}");
                    }
                }
            }
            else if (rule["onPodConditions"] is JsonArray patterns
                     && patterns.FirstOrDefault(p => Pods.HasCondition(pod, (string)p!["type"]!, (string?)p["status"] ?? "True")) is { } hit)
            {
                return (action, $"Pod {podName} has condition {hit["type"]} matching {action} rule at index {i}");
            }
        }
        return ("Count", "");
    }

    private static (string Reason, string Message)? FailureReason(string? failJobMessage, int failures, int backoffLimit, DateTimeOffset? deadline, DateTimeOffset now)
    {
        if (failJobMessage is not null) return ("PodFailurePolicy", failJobMessage);
        if (failures > backoffLimit) return ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        if (deadline is { } d && now >= d) return ("DeadlineExceeded", "Job was active longer than specified deadline");
        return null;
    }

    private static void SetCondition(JsonArray conditions, string type, string reason, string message, DateTimeOffset now, string status = "True")
    {
        if (conditions.FirstOrDefault(c => (string?)c?["type"] == type) is { } existing)
        {
            if ((string?)existing["status"] == status) return;
            conditions.Remove(existing);
        }
        conditions.Add(Pods.NewCondition(type, status, reason, message, now));
    }

    private static DateTimeOffset? FinishedAt(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).Select(c => Pods.ParseTime(c?["state"]?["terminated"]?["finishedAt"])).Max();

    private static DateTimeOffset? LastFailure(IEnumerable<JsonObject> pods) => pods.Where(p => Pods.Phase(p) == "Failed").Select(FinishedAt).Max();

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;
}
