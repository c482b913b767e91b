using System.Globalization;
using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Workloads;

/// <summary>Small readers and writers of pod and controller JSON that every controller needs.</summary>
public static class Pods
{
    public const string JobTrackingFinalizer = "batch.kubernetes.io/job-tracking";

    /// <summary>A new pod of a controller's template: its metadata as the controller names it, the template's annotations and spec.</summary>
    public static JsonObject FromTemplate(JsonNode template, JsonObject meta)
    {
        if (template["metadata"]?["annotations"] is { } annotations) meta["annotations"] = annotations.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = template["spec"]!.DeepClone(),
            ["status"] = new JsonObject { ["phase"] = "Pending" },
        };
    }

    public static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;

    public static string Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? "default";

    public static string Uid(JsonObject obj) => (string)obj["metadata"]!["uid"]!;

    public static string? Phase(JsonObject pod) => (string?)pod["status"]?["phase"];

    public static bool IsTerminal(JsonObject pod) => Phase(pod) is "Succeeded" or "Failed";

    public static bool IsDeleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    public static bool IsReady(JsonObject pod) => HasCondition(pod, "Ready", "True");

    public static bool HasCondition(JsonObject obj, string type, string status = "True") =>
        obj["status"]?["conditions"] is JsonArray conditions && conditions.Any(c => (string?)c?["type"] == type && (string?)c["status"] == status);

    public static JsonObject? Condition(JsonObject obj, string type) =>
        obj["status"]?["conditions"] is JsonArray conditions ? conditions.FirstOrDefault(c => (string?)c?["type"] == type)?.AsObject() : null;

    public static bool HasFinalizer(JsonObject obj, string finalizer) =>
        obj["metadata"]?["finalizers"] is JsonArray f && f.Any(x => (string?)x == finalizer);

    /// <summary>Whether the object's controller ownerReference is the given owner.</summary>
    public static bool IsControlledBy(JsonObject obj, string ownerUid) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs
        && refs.Any(r => (string?)r?["uid"] == ownerUid && r?["controller"] is JsonValue c && c.TryGetValue<bool>(out var b) && b);

    public static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]!.DeepClone(),
        ["kind"] = owner["kind"]!.DeepClone(),
        ["name"] = Name(owner),
        ["uid"] = Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(JsonNode? node) =>
        (string?)node is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static int Int(JsonNode? node, int fallback) =>
        node is JsonValue v && v.TryGetValue<int>(out var i) ? i : node is JsonValue l && l.TryGetValue<long>(out var x) ? (int)x : fallback;

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The 5-character suffix the real controllers put on generated names.</summary>
    public static string RandomSuffix() => string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));

    public static JsonObject NewCondition(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastProbeTime"] = Timestamp(now),
        ["lastTransitionTime"] = Timestamp(now),
        ["reason"] = reason,
        ["message"] = message,
    };
}
