using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>The shell around <see cref="JobLogic"/>: lists Jobs and their pods, creates, deletes and counts pods, writes the status.</summary>
public sealed class JobController(ApiServer server, TimeSpan backoffBase, Action<string> log)
{
    public Task Run(CancellationToken ct) => ControlLoop.Run(server, "job controller", Reconcile, log, ct);

    private TimeSpan? Reconcile(DateTimeOffset now)
    {
        TimeSpan? requeue = null;
        var jobs = server.List("jobs");
        var pods = server.List("pods");
        foreach (var job in jobs)
        {
            var uid = Pods.Uid(job);
            var ns = Pods.Namespace(job);
            var owned = pods.Where(p => Pods.Namespace(p) == ns && Pods.IsControlledBy(p, uid)).ToList();
            if (Pods.IsDeleting(job)) continue;
            var decision = JobLogic.Decide(job, owned, now, backoffBase);
            if (!JsonNode.DeepEquals(decision.Status, job["status"]))
            {
                server.Update("jobs", ns, Pods.Name(job), j => j["status"] = decision.Status.DeepClone());
            }
            // counted first, then the finalizer goes: a pod is never counted twice nor lost
            foreach (var name in decision.PodsCounted) RemoveTrackingFinalizer(ns, name);
            foreach (var name in decision.PodsToDelete) server.Delete("pods", ns, name);
            for (var i = 0; i < decision.PodsToCreate; i++) server.Seed(NewPod(job));
            if (decision.RequeueAfter is { } r && (requeue is null || r < requeue)) requeue = r;
        }
        // pods of a Job that is gone keep no tracking finalizer (the garbage collector is waiting on it)
        var jobUids = jobs.Select(Pods.Uid).ToHashSet();
        foreach (var orphan in pods.Where(p => Pods.HasFinalizer(p, Pods.JobTrackingFinalizer)
                     && !(p["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => jobUids.Contains((string?)r?["uid"] ?? ""))))
        {
            if (Pods.IsTerminal(orphan) || Pods.IsDeleting(orphan)) RemoveTrackingFinalizer(Pods.Namespace(orphan), Pods.Name(orphan));
        }
        return requeue;
    }

    private void RemoveTrackingFinalizer(string ns, string pod)
    {
        try
        {
            server.Update("pods", ns, pod, p =>
            {
                if (p["metadata"]!["finalizers"] is JsonArray f)
                {
                    foreach (var x in f.Where(x => (string?)x == Pods.JobTrackingFinalizer).ToList()) f.Remove(x);
                    if (f.Count == 0) p["metadata"]!.AsObject().Remove("finalizers");
                }
            });
        }
        catch (ApiError e) when (e.Code == 404)
        {
        }
    }

    /// <summary>A pod from the Job's template, named and labelled as the real Job controller does.</summary>
    public static JsonObject NewPod(JsonObject job)
    {
        var name = Pods.Name(job);
        var uid = Pods.Uid(job);
        var template = job["spec"]!["template"]!;
        var labels = template["metadata"]?["labels"]?.DeepClone().AsObject() ?? [];
        labels["batch.kubernetes.io/controller-uid"] = uid;
        labels["batch.kubernetes.io/job-name"] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
        var meta = new JsonObject
        {
            ["name"] = $"{name}-{Pods.RandomSuffix()}",
            ["namespace"] = Pods.Namespace(job),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(Pods.OwnerReference(job)),
            ["finalizers"] = new JsonArray(Pods.JobTrackingFinalizer),
        };
        return Pods.FromTemplate(template, meta);
    }
}
