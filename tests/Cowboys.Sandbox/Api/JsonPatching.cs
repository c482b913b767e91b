using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api;

/// <summary>RFC 7386 JSON merge patch and RFC 6902 JSON patch over System.Text.Json nodes.</summary>
public static class JsonPatching
{
    /// <summary>RFC 7386: objects merge recursively, null removes a member, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }
        return result;
    }

    /// <summary>RFC 6902 operations add, remove, replace, move, copy, test; throws <see cref="JsonPatchException"/>.</summary>
    public static JsonNode ApplyJsonPatch(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document.DeepClone() };
        foreach (var node in operations)
        {
            if (node is not JsonObject op || op["op"]?.GetValue<string>() is not { } kind || op["path"]?.GetValue<string>() is not { } path)
            {
                throw new JsonPatchException("each operation needs \"op\" and \"path\"");
            }
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    var moved = Remove(root, From(op));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Resolve(root, From(op))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                    {
                        throw new JsonPatchException($"testing value {path} failed");
                    }
                    break;
                default:
                    throw new JsonPatchException($"unexpected operation \"{kind}\"");
            }
        }
        return root["doc"]!;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw new JsonPatchException("operation needs a \"value\"");

    private static string From(JsonObject op) =>
        op["from"]?.GetValue<string>() ?? throw new JsonPatchException("operation needs a \"from\"");

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode parent = root;
        var last = "doc";
        foreach (var token in tokens)
        {
            parent = Child(parent, last) ?? throw new JsonPatchException($"path {pointer} does not exist");
            last = token;
        }
        return (parent, last);
    }

    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        return Child(parent, token, mustExist: true);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, token) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new JsonPatchException($"cannot add at {pointer}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer)
    {
        var (parent, token) = Parent(root, pointer);
        var existing = Child(parent, token, mustExist: true);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(token);
                break;
            case JsonArray a:
                a.RemoveAt(int.Parse(token, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
        return existing;
    }

    private static JsonNode? Child(JsonNode parent, string token, bool mustExist = false)
    {
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(token, out var child):
                return child;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count:
                return a[i];
        }
        return mustExist ? throw new JsonPatchException($"path element \"{token}\" does not exist") : null;
    }

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw new JsonPatchException($"invalid JSON pointer \"{pointer}\"");
        }
        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }
}

public sealed class JsonPatchException(string message) : Exception(message);
