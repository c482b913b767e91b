using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api.Validation;
using k8s.Models;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// Strategic merge patch (application/strategic-merge-patch+json) as far as kubectl's client-side
/// apply uses it: objects merge, null deletes, lists of containers, env, ports, volumes... merge by
/// their patch merge key (the types' patchMergeKey in the Kubernetes API), other lists are
/// replaced, and the directives $patch (merge/replace/delete), $retainKeys,
/// $setElementOrder/&lt;list&gt; and $deleteFromPrimitiveList/&lt;list&gt; are honoured. The
/// model type (from KubernetesClient) says what each member holds.
/// </summary>
public static class StrategicMerge
{
    private static readonly Dictionary<Type, string> MergeKeys = new()
    {
        [typeof(V1Container)] = "name",
        [typeof(V1EphemeralContainer)] = "name",
        [typeof(V1EnvVar)] = "name",
        [typeof(V1ContainerPort)] = "containerPort",
        [typeof(V1ServicePort)] = "port",
        [typeof(V1Volume)] = "name",
        [typeof(V1VolumeMount)] = "mountPath",
        [typeof(V1VolumeDevice)] = "devicePath",
        [typeof(V1LocalObjectReference)] = "name",
        [typeof(V1OwnerReference)] = "uid",
        [typeof(V1HostAlias)] = "ip",
        [typeof(V1TopologySpreadConstraint)] = "topologyKey",
        [typeof(V1PodResourceClaim)] = "name",
        [typeof(V1ContainerResizePolicy)] = "resourceName",
        [typeof(V1PodIP)] = "ip",
    };

    /// <summary>The patch merge key of a list's element type, or null if the list is replaced whole.</summary>
    public static string? MergeKeyOf(Type element) =>
        MergeKeys.TryGetValue(element, out var key) ? key
        : element.Name.EndsWith("Condition", StringComparison.Ordinal) && BuiltInSchema.MembersOf(element).ContainsKey("type") ? "type"
        : null;

    public static JsonObject Apply(JsonObject current, JsonObject patch, Type model) =>
        MergeObject(current, patch, model) ?? [];

    private static JsonObject? MergeObject(JsonObject? current, JsonObject patch, Type type)
    {
        var directive = (string?)patch["$patch"];
        if (directive == "delete")
        {
            return null;
        }
        if (directive == "replace")
        {
            return StripDirectives(patch);
        }
        var result = current?.DeepClone().AsObject() ?? [];
        var members = BuiltInSchema.IsStructured(type) ? BuiltInSchema.MembersOf(type) : null;
        var mapValue = BuiltInSchema.MapValue(type);
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var memberType = members is not null && members.TryGetValue(key, out var p) ? Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType
                : mapValue ?? typeof(object);
            if (key == "finalizers" && type == typeof(V1ObjectMeta) && value is JsonArray added && result[key] is JsonArray present)
            {
                // metadata.finalizers is a primitive list with patchStrategy merge: a patch adds to it
                foreach (var f in added.Where(f => !present.Any(x => JsonNode.DeepEquals(x, f))))
                {
                    present.Add(f?.DeepClone());
                }
                continue;
            }
            var merged = MergeValue(result[key], value, memberType, patch[$"$setElementOrder/{key}"] as JsonArray);
            if (merged is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = merged;
            }
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList())
            {
                result.Remove(key);
            }
        }
        return result;
    }

    private static JsonNode? MergeValue(JsonNode? current, JsonNode patch, Type type, JsonArray? order)
    {
        switch (patch)
        {
            case JsonObject patchObject:
                return MergeObject(current as JsonObject, patchObject, type);
            case JsonArray patchArray when BuiltInSchema.ListElement(type) is { } element:
                if (MergeKeyOf(element) is { } mergeKey)
                {
                    return MergeList(current as JsonArray, patchArray, element, mergeKey, order);
                }
                return StripDirectives(patchArray);
            default:
                return patch.DeepClone();
        }
    }

    private static JsonArray MergeList(JsonArray? current, JsonArray patch, Type element, string mergeKey, JsonArray? order)
    {
        var result = current?.DeepClone().AsArray() ?? [];
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem)
            {
                continue;
            }
            var key = patchItem[mergeKey];
            if ((string?)patchItem["$patch"] == "replace" && key is null)
            {
                // the whole list replaced
                return StripDirectives(new JsonArray([.. patch.Where(i => i is JsonObject o && (string?)o["$patch"] is null).Select(i => i!.DeepClone())]));
            }
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], key));
            if ((string?)patchItem["$patch"] == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
                continue;
            }
            if (existing is null)
            {
                result.Add(StripDirectives(patchItem));
            }
            else
            {
                var index = result.IndexOf(existing);
                result[index] = MergeObject(existing, patchItem, element);
            }
        }
        if (order is not null)
        {
            var keys = order.Select(o => o?[mergeKey]?.ToJsonString()).ToList();
            var sorted = result.Select(e => e!.DeepClone())
                .OrderBy(e => keys.IndexOf(e[mergeKey]?.ToJsonString()) is var i and >= 0 ? i : int.MaxValue)
                .ToList();
            result = new JsonArray([.. sorted]);
        }
        return result;
    }

    private static JsonObject StripDirectives(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (!key.StartsWith('$'))
            {
                copy[key] = value is JsonObject o ? StripDirectives(o) : value is JsonArray a ? StripDirectives(a) : value?.DeepClone();
            }
        }
        return copy;
    }

    private static JsonArray StripDirectives(JsonArray array) =>
        new([.. array.Select(v => v is JsonObject o ? StripDirectives(o) : v?.DeepClone())]);
}
