using System.Globalization;
using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// meta.k8s.io/v1 Table responses, which is what `kubectl get` prints: the columns come from the
/// server (built-ins: the usual ones of the real server's printers; custom resources: the CRD's
/// additionalPrinterColumns, evaluated as simple JSONPaths).
/// </summary>
public static class Tables
{
    private sealed record Column(string Name, string Type, Func<JsonObject, DateTime, JsonNode?> Cell, int Priority = 0, string Format = "");

    /// <summary>True when an Accept header asks for a Table (kubectl get: application/json;as=Table;v=v1;g=meta.k8s.io).</summary>
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Split(',').Any(a => a.Contains("as=Table", StringComparison.Ordinal));

    /// <param name="includeObject">None, Metadata (the default: a PartialObjectMetadata per row) or Object.</param>
    public static JsonObject ToTable(ResourceType rt, IEnumerable<JsonObject> items, string resourceVersion, string? includeObject, DateTime now)
    {
        var columns = ColumnsFor(rt);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => c.Cell(item, now))]) };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = item.DeepClone();
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = item["metadata"]?.DeepClone(),
                    };
                    break;
            }
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = "",
                ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    /// <summary>kubectl's (and the server's) short human duration: 45s, 5m30s, 3h, 2d4h.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 0)
        {
            return "0s";
        }
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }

    /// <summary>A simple JSONPath (.status.phase, .spec.containers[0].image, {.a.b}): the node, or null.</summary>
    public static JsonNode? Evaluate(JsonNode? node, string jsonPath)
    {
        var path = jsonPath.Trim();
        if (path.StartsWith('{') && path.EndsWith('}'))
        {
            path = path[1..^1];
        }
        foreach (var part in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && part.EndsWith(']'))
            {
                name = part[..bracket];
                index = int.TryParse(part[(bracket + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
            }
            if (name.Length > 0)
            {
                node = node is JsonObject o ? o[name] : null;
            }
            if (index is { } at)
            {
                node = node is JsonArray a && at < a.Count ? a[at] : null;
            }
        }
        return node;
    }

    private static JsonNode? Age(JsonObject obj, DateTime now) => Since(Str(obj, "metadata.creationTimestamp"), now) ?? "<unknown>";

    private static string? Since(string? timestamp, DateTime now) =>
        DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? HumanDuration(now - t)
            : null;

    private static string? Str(JsonObject obj, string path) => Evaluate(obj, path) is JsonValue v ? v.ToString() : null;

    private static long Num(JsonObject obj, string path) =>
        Evaluate(obj, path) is JsonValue v && long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static int Count(JsonObject obj, string path) => Evaluate(obj, path) switch
    {
        JsonArray a => a.Count,
        JsonObject o => o.Count,
        _ => 0,
    };

    private static bool Condition(JsonObject obj, string type) =>
        Evaluate(obj, "status.conditions") is JsonArray conditions
        && conditions.Any(c => (string?)c?["type"] == type && (string?)c?["status"] == "True");

    private static readonly Column Name = new("Name", "string", (o, _) => Str(o, "metadata.name"), Format: "name");
    private static readonly Column AgeColumn = new("Age", "string", Age);
    private static readonly Column CreatedAt = new("Created At", "date", (o, _) => Str(o, "metadata.creationTimestamp"));

    private static List<Column> ColumnsFor(ResourceType rt)
    {
        if (rt.Crd is { } crd)
        {
            var columns = new List<Column> { Name };
            if (crd["additionalPrinterColumns"] is JsonArray printerColumns)
            {
                foreach (var c in printerColumns.OfType<JsonObject>())
                {
                    var type = (string?)c["type"] ?? "string";
                    var path = (string?)c["jsonPath"] ?? "";
                    columns.Add(new((string?)c["name"] ?? "", type, (o, now) => type == "date"
                        ? Since(Evaluate(o, path)?.ToString(), now)
                        : Evaluate(o, path)?.DeepClone(), (int?)c["priority"] ?? 0, (string?)c["format"] ?? ""));
                }
            }
            else
            {
                columns.Add(AgeColumn);
            }
            return columns;
        }
        return (rt.Group, rt.Kind) switch
        {
            ("", "Namespace") => [Name, new("Status", "string", (o, _) => Str(o, "status.phase")), AgeColumn],
            ("", "Pod") =>
            [
                Name,
                new("Ready", "string", (o, _) => $"{(Evaluate(o, "status.containerStatuses") as JsonArray)?.Count(c => (bool?)c?["ready"] == true) ?? 0}/{Count(o, "spec.containers")}"),
                new("Status", "string", (o, _) => PodStatus(o)),
                new("Restarts", "string", (o, _) => ((Evaluate(o, "status.containerStatuses") as JsonArray)?.Sum(c => c is JsonObject s && s["restartCount"] is JsonValue v && long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0) ?? 0)
                    .ToString(CultureInfo.InvariantCulture)),
                AgeColumn,
                new("IP", "string", (o, _) => Str(o, "status.podIP") ?? "<none>", 1),
                new("Node", "string", (o, _) => Str(o, "spec.nodeName") ?? "<none>", 1),
            ],
            ("", "ConfigMap") => [Name, new("Data", "integer", (o, _) => Count(o, "data") + Count(o, "binaryData")), AgeColumn],
            ("", "Service") =>
            [
                Name,
                new("Type", "string", (o, _) => Str(o, "spec.type") ?? "ClusterIP"),
                new("Cluster-IP", "string", (o, _) => Str(o, "spec.clusterIP") ?? "<none>"),
                new("External-IP", "string", (o, _) => "<none>"),
                new("Port(s)", "string", (o, _) => Evaluate(o, "spec.ports") is JsonArray { Count: > 0 } ports
                    ? string.Join(",", ports.Select(p => $"{p?["port"]}/{(string?)p?["protocol"] ?? "TCP"}"))
                    : "<none>"),
                AgeColumn,
            ],
            ("", "ServiceAccount") => [Name, new("Secrets", "integer", (o, _) => Count(o, "secrets")), AgeColumn],
            ("", "Event") =>
            [
                new("Last Seen", "string", (o, now) => Since(Str(o, "lastTimestamp") ?? Str(o, "eventTime") ?? Str(o, "metadata.creationTimestamp"), now)),
                new("Type", "string", (o, _) => Str(o, "type")),
                new("Reason", "string", (o, _) => Str(o, "reason")),
                new("Object", "string", (o, _) => $"{Str(o, "involvedObject.kind")?.ToLowerInvariant()}/{Str(o, "involvedObject.name")}"),
                new("Message", "string", (o, _) => Str(o, "message")),
            ],
            ("apps", "Deployment") =>
            [
                Name,
                new("Ready", "string", (o, _) => $"{Num(o, "status.readyReplicas")}/{(Evaluate(o, "spec.replicas") is null ? 1 : Num(o, "spec.replicas"))}"),
                new("Up-to-date", "integer", (o, _) => Num(o, "status.updatedReplicas")),
                new("Available", "integer", (o, _) => Num(o, "status.availableReplicas")),
                AgeColumn,
            ],
            ("apps", "ReplicaSet") =>
            [
                Name,
                new("Desired", "integer", (o, _) => Evaluate(o, "spec.replicas") is null ? 1 : Num(o, "spec.replicas")),
                new("Current", "integer", (o, _) => Num(o, "status.replicas")),
                new("Ready", "integer", (o, _) => Num(o, "status.readyReplicas")),
                AgeColumn,
            ],
            ("batch", "Job") =>
            [
                Name,
                new("Status", "string", (o, _) => Condition(o, "Complete") ? "Complete" : Condition(o, "Failed") ? "Failed"
                    : Condition(o, "Suspended") ? "Suspended" : "Running"),
                new("Completions", "string", (o, _) => $"{Num(o, "status.succeeded")}/{(Evaluate(o, "spec.completions") is null ? 1 : Num(o, "spec.completions"))}"),
                new("Duration", "string", (o, now) => JobDuration(o, now)),
                AgeColumn,
            ],
            ("rbac.authorization.k8s.io", "Role" or "ClusterRole") => [Name, CreatedAt],
            ("rbac.authorization.k8s.io", "RoleBinding" or "ClusterRoleBinding") =>
                [Name, new("Role", "string", (o, _) => $"{Str(o, "roleRef.kind")}/{Str(o, "roleRef.name")}"), AgeColumn],
            ("coordination.k8s.io", "Lease") => [Name, new("Holder", "string", (o, _) => Str(o, "spec.holderIdentity") ?? ""), AgeColumn],
            ("apiextensions.k8s.io", "CustomResourceDefinition") => [Name, CreatedAt],
            _ => [Name, AgeColumn],
        };
    }

    private static string PodStatus(JsonObject pod)
    {
        if (Str(pod, "metadata.deletionTimestamp") is not null)
        {
            return "Terminating";
        }
        var reason = Str(pod, "status.reason") ?? Str(pod, "status.phase") ?? "Unknown";
        if (Evaluate(pod, "status.containerStatuses") is JsonArray statuses)
        {
            foreach (var s in statuses.OfType<JsonObject>())
            {
                if (Str(s, "state.waiting.reason") is { Length: > 0 } waiting)
                {
                    reason = waiting;
                }
                else if (Str(s, "state.terminated.reason") is { Length: > 0 } terminated)
                {
                    reason = terminated;
                }
            }
        }
        return reason;
    }

    private static string JobDuration(JsonObject job, DateTime now)
    {
        if (!DateTime.TryParse(Str(job, "status.startTime"), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start))
        {
            return "";
        }
        var end = DateTime.TryParse(Str(job, "status.completionTime"), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var completion) ? completion : now;
        return HumanDuration(end - start);
    }
}
