using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// Unknown fields of a custom resource, against its CRD version's openAPIV3Schema, as the real
/// server's pruning finds them: members the schema's properties do not name, unless the schema
/// says x-kubernetes-preserve-unknown-fields or has additionalProperties. metadata is checked by
/// the server as ObjectMeta, apiVersion and kind always pass.
/// </summary>
public static class CustomSchema
{
    public static List<string> UnknownFields(JsonObject obj, JsonObject? schema, bool prune = false)
    {
        var unknown = new List<string>();
        if (schema is null)
        {
            return unknown;
        }
        foreach (var (key, child) in obj.ToList())
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }
            if (key == "metadata")
            {
                unknown.AddRange(BuiltInSchema.UnknownFields(child, typeof(k8s.Models.V1ObjectMeta), prune).Select(p => "metadata." + p));
                continue;
            }
            Walk(key, child, schema, key, unknown, prune, obj);
        }
        return unknown;
    }

    private static void Walk(string key, JsonNode? node, JsonObject parentSchema, string path, List<string> unknown, bool prune, JsonObject parent)
    {
        if (parentSchema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue<bool>(out var preserve) && preserve)
        {
            return;
        }
        JsonObject? schema;
        if (parentSchema["properties"] is JsonObject properties && properties[key] is JsonObject named)
        {
            schema = named;
        }
        else if (parentSchema["additionalProperties"] is JsonObject additional)
        {
            schema = additional;
        }
        else if (parentSchema["additionalProperties"] is JsonValue)
        {
            return;
        }
        else
        {
            unknown.Add(path);
            if (prune)
            {
                parent.Remove(key);
            }
            return;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (childKey, child) in obj.ToList())
                {
                    Walk(childKey, child, schema, $"{path}.{childKey}", unknown, prune, obj);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject element)
                    {
                        foreach (var (childKey, child) in element.ToList())
                        {
                            Walk(childKey, child, items, $"{path}[{i}].{childKey}", unknown, prune, element);
                        }
                    }
                }
                break;
        }
    }
}
