using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>Keeps `replicas` live pods for each ReplicaSet (terminal pods do not count) and reports how many are ready.</summary>
public sealed class ReplicaSetController(ApiServer server, Action<string> log)
{
    public Task Run(CancellationToken ct) => ControlLoop.Run(server, "replicaset controller", Reconcile, log, ct);

    private TimeSpan? Reconcile(DateTimeOffset now)
    {
        var pods = server.List("pods");
        foreach (var rs in server.List(WorkloadResources.ReplicaSets.QualifiedPlural))
        {
            if (Pods.IsDeleting(rs)) continue;
            var ns = Pods.Namespace(rs);
            var owned = pods.Where(p => Pods.Namespace(p) == ns && Pods.IsControlledBy(p, Pods.Uid(rs))).ToList();
            var live = owned.Where(p => !Pods.IsTerminal(p) && !Pods.IsDeleting(p)).ToList();
            var want = Pods.Int(rs["spec"]?["replicas"], 1);
            for (var i = live.Count; i < want; i++) server.Seed(NewPod(rs));
            // scale down the least useful first: not ready before ready, youngest first
            foreach (var extra in live.OrderBy(Pods.IsReady).ThenByDescending(p => (string?)p["metadata"]!["creationTimestamp"]).Take(Math.Max(0, live.Count - want)))
            {
                server.Delete("pods", ns, Pods.Name(extra));
            }
            var ready = live.Count(Pods.IsReady);
            var status = new JsonObject
            {
                ["replicas"] = live.Count,
                ["fullyLabeledReplicas"] = live.Count,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["observedGeneration"] = Pods.Int(rs["metadata"]?["generation"], 1),
            };
            if (!JsonNode.DeepEquals(status, rs["status"])) server.Update(WorkloadResources.ReplicaSets.QualifiedPlural, ns, Pods.Name(rs), r => r["status"] = status);
        }
        return null;
    }

    private static JsonObject NewPod(JsonObject rs)
    {
        var template = rs["spec"]!["template"]!;
        var meta = new JsonObject
        {
            ["name"] = $"{Pods.Name(rs)}-{Pods.RandomSuffix()}",
            ["namespace"] = Pods.Namespace(rs),
            ["labels"] = template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(),
            ["ownerReferences"] = new JsonArray(Pods.OwnerReference(rs)),
        };
        return Pods.FromTemplate(template, meta);
    }
}
