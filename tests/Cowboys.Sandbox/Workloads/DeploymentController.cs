using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// One ReplicaSet per pod template (named deployment-hash, labelled pod-template-hash): the
/// current template's ReplicaSet gets the Deployment's replicas and older ones are scaled to 0
/// (a rollout without surge limits). The status carries what `kubectl rollout status` and
/// `kubectl get deploy` read.
/// </summary>
public sealed class DeploymentController(ApiServer server, Action<string> log)
{
    public const string HashLabel = "pod-template-hash";

    public Task Run(CancellationToken ct) => ControlLoop.Run(server, "deployment controller", Reconcile, log, ct);

    private TimeSpan? Reconcile(DateTimeOffset now)
    {
        var rsResource = WorkloadResources.ReplicaSets.QualifiedPlural;
        var sets = server.List(rsResource);
        foreach (var deploy in server.List(WorkloadResources.Deployments.QualifiedPlural))
        {
            if (Pods.IsDeleting(deploy)) continue;
            var ns = Pods.Namespace(deploy);
            var name = Pods.Name(deploy);
            var replicas = Pods.Int(deploy["spec"]?["replicas"], 1);
            var template = deploy["spec"]!["template"]!.AsObject();
            var hash = TemplateHash(template);
            var owned = sets.Where(r => Pods.Namespace(r) == ns && Pods.IsControlledBy(r, Pods.Uid(deploy))).ToList();
            var current = owned.FirstOrDefault(r => (string?)r["metadata"]?["labels"]?[HashLabel] == hash);
            if (current is null)
            {
                current = server.Seed(NewReplicaSet(deploy, template, hash, replicas));
            }
            else if (Pods.Int(current["spec"]?["replicas"], 1) != replicas)
            {
                current = server.Update(rsResource, ns, Pods.Name(current), r => r["spec"]!["replicas"] = replicas);
            }
            foreach (var old in owned.Where(r => Pods.Uid(r) != Pods.Uid(current) && Pods.Int(r["spec"]?["replicas"], 1) != 0))
            {
                server.Update(rsResource, ns, Pods.Name(old), r => r["spec"]!["replicas"] = 0);
            }

            var all = owned.Where(r => Pods.Uid(r) != Pods.Uid(current)).Append(current).ToList();
            var total = all.Sum(r => Pods.Int(r["status"]?["replicas"], 0));
            var updated = Pods.Int(current["status"]?["replicas"], 0);
            var ready = all.Sum(r => Pods.Int(r["status"]?["readyReplicas"], 0));
            var available = all.Sum(r => Pods.Int(r["status"]?["availableReplicas"], 0));
            var maxUnavailable = MaxUnavailable(deploy["spec"]?["strategy"]?["rollingUpdate"]?["maxUnavailable"], replicas);
            var complete = updated == replicas && total == replicas && available >= replicas;
            var previous = deploy["status"]?["conditions"] as JsonArray;
            var status = new JsonObject
            {
                ["observedGeneration"] = Pods.Int(deploy["metadata"]?["generation"], 1),
                ["replicas"] = total,
                ["updatedReplicas"] = updated,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = available,
                ["unavailableReplicas"] = Math.Max(0, total - available),
                ["conditions"] = new JsonArray(
                    Keep(previous, available >= replicas - maxUnavailable
                        ? Pods.NewCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now)
                        : Pods.NewCondition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now)),
                    Keep(previous, complete
                        ? Pods.NewCondition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{Pods.Name(current)}\" has successfully progressed.", now)
                        : Pods.NewCondition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{Pods.Name(current)}\" is progressing.", now))),
            };
            if (!JsonNode.DeepEquals(status, deploy["status"])) server.Update(WorkloadResources.Deployments.QualifiedPlural, ns, name, d => d["status"] = status);
        }
        return null;
    }

    /// <summary>The previous condition if only its times would change (so the status settles), else the new one.</summary>
    private static JsonObject Keep(JsonArray? previous, JsonObject condition)
    {
        var old = previous?.FirstOrDefault(c => (string?)c?["type"] == (string?)condition["type"]);
        return old is not null && (string?)old["status"] == (string?)condition["status"] && (string?)old["reason"] == (string?)condition["reason"]
            ? old.DeepClone().AsObject()
            : condition;
    }

    private static int MaxUnavailable(JsonNode? value, int replicas) => value switch
    {
        null => replicas / 4,
        JsonValue v when v.TryGetValue<string>(out var s) && s.EndsWith('%') => replicas * int.Parse(s[..^1], CultureInfo.InvariantCulture) / 100,
        _ => Pods.Int(value, 0),
    };

    /// <summary>A stable short hash of the pod template, as the label value and the ReplicaSet's name suffix.</summary>
    public static string TemplateHash(JsonObject template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(template.ToJsonString())) hash = (hash ^ b) * 16777619u;
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var text = new StringBuilder();
        for (var i = 0; i < 10; i++, hash /= (uint)alphabet.Length) text.Append(alphabet[(int)(hash % (uint)alphabet.Length)]);
        return text.ToString();
    }

    private static JsonObject NewReplicaSet(JsonObject deploy, JsonObject template, string hash, int replicas)
    {
        var rsTemplate = template.DeepClone().AsObject();
        var meta = rsTemplate["metadata"] as JsonObject ?? [];
        rsTemplate["metadata"] = meta;
        var labels = meta["labels"] as JsonObject ?? [];
        meta["labels"] = labels;
        labels[HashLabel] = hash;
        var selector = deploy["spec"]?["selector"]?.DeepClone().AsObject() ?? new JsonObject { ["matchLabels"] = labels.DeepClone() };
        if (selector["matchLabels"] is JsonObject match) match[HashLabel] = hash;
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{Pods.Name(deploy)}-{hash}",
                ["namespace"] = Pods.Namespace(deploy),
                ["labels"] = labels.DeepClone(),
                ["ownerReferences"] = new JsonArray(Pods.OwnerReference(deploy)),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = rsTemplate },
            ["status"] = new JsonObject { ["replicas"] = 0 },
        };
    }
}
