using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Cowboys.Sandbox.Api.Validation;

/// <summary>
/// The schema of built-in kinds, taken from KubernetesClient's typed models (generated from the
/// Kubernetes API's OpenAPI): what a member is called on the wire and what type it holds. The
/// real server decodes a body into Go structs of the same shape, so a member no model knows is
/// an unknown field.
/// </summary>
public static class BuiltInSchema
{
    private static readonly Lazy<Dictionary<(string Group, string Version, string Kind), Type>> Kinds = new(() =>
        typeof(V1Pod).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(x => x.Entity is not null && !x.Type.Name.EndsWith("List", StringComparison.Ordinal))
            .GroupBy(x => (x.Entity!.Group ?? "", x.Entity.ApiVersion ?? "", x.Entity.Kind ?? ""))
            .ToDictionary(g => g.Key, g => g.First().Type));

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> Members = new();

    /// <summary>The model type of a built-in kind, or null (custom resources and kinds the client does not model).</summary>
    public static Type? ModelOf(string group, string version, string kind) =>
        Kinds.Value.TryGetValue((group, version, kind), out var t) ? t : null;

    /// <summary>The wire members of a model type, by JSON name.</summary>
    public static IReadOnlyDictionary<string, PropertyInfo> MembersOf(Type type) => Members.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(x => x.Name is not null)
            .ToDictionary(x => x.Name!, x => x.Property));

    /// <summary>The element type of a list type (IList&lt;T&gt;), or null.</summary>
    public static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
        && type.GetGenericTypeDefinition() != typeof(IDictionary<,>) && type.GetGenericTypeDefinition() != typeof(Dictionary<,>)
            ? element
            : null;

    /// <summary>The value type of a map type (IDictionary&lt;string, T&gt;), or null.</summary>
    public static Type? MapValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [_, var value]
        && (type.GetGenericTypeDefinition() == typeof(IDictionary<,>) || type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            ? value
            : null;

    /// <summary>A model class with members of its own (not a string, number, quantity, int-or-string, time or free-form object).</summary>
    public static bool IsStructured(Type type) =>
        type.Namespace == typeof(V1Pod).Namespace && type.IsClass && type != typeof(ResourceQuantity) && type != typeof(IntOrString)
        && MembersOf(type).Count > 0;

    /// <summary>
    /// The paths of the members of <paramref name="node"/> that <paramref name="type"/> does not
    /// know, as the strict decoder names them (spec.template.spec.containers[0].imagez). With
    /// <paramref name="prune"/> they are also removed, as the decoder drops them.
    /// </summary>
    public static List<string> UnknownFields(JsonNode? node, Type type, bool prune = false)
    {
        var unknown = new List<string>();
        Walk(node, type, "", unknown, prune);
        return unknown;
    }

    /// <summary>
    /// Members whose JSON value cannot be decoded into the model's type (a string where the API
    /// has an integer...), in the message Go's decoder gives: <c>json: cannot unmarshal string into
    /// Go struct field DeploymentSpec.spec.replicas of type int32</c>. The real server refuses
    /// these whatever the fieldValidation.
    /// </summary>
    public static List<string> TypeErrors(JsonNode? node, Type type)
    {
        var errors = new List<string>();
        CheckTypes(node, type, "", null, errors);
        return errors;
    }

    private static void CheckTypes(JsonNode? node, Type type, string path, string? owner, List<string> errors)
    {
        if (node is null)
        {
            return; // null decodes to the zero value
        }
        type = Nullable.GetUnderlyingType(type) ?? type;
        var kind = node.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            JsonValueKind.Array => "array",
            _ => "object",
        };
        string? goType = type == typeof(int) ? "int32" : type == typeof(long) ? "int64" : type == typeof(bool) ? "bool"
            : type == typeof(double) ? "float64" : type == typeof(string) || type == typeof(DateTime) || type == typeof(byte[]) ? "string" : null;
        var fits = goType switch
        {
            "int32" or "int64" => kind == "number" && long.TryParse(node.ToJsonString(), out _),
            "float64" => kind == "number",
            "bool" => kind == "bool",
            "string" => kind == "string",
            _ => true,
        };
        if (!fits && owner is not null)
        {
            errors.Add($"json: cannot unmarshal {kind} into Go struct field {owner}.{path} of type {goType}");
            return;
        }
        if (ListElement(type) is { } element)
        {
            if (kind != "array")
            {
                if (owner is not null)
                {
                    errors.Add($"json: cannot unmarshal {kind} into Go struct field {owner}.{path} of type []{GoName(element)}");
                }
                return;
            }
            foreach (var item in node.AsArray())
            {
                CheckTypes(item, element, path, owner, errors);
            }
            return;
        }
        if (MapValue(type) is { } value && node is JsonObject map)
        {
            foreach (var (key, child) in map)
            {
                CheckTypes(child, value, Join(path, key), owner, errors);
            }
            return;
        }
        if (!IsStructured(type))
        {
            return;
        }
        if (node is not JsonObject obj)
        {
            if (owner is not null)
            {
                errors.Add($"json: cannot unmarshal {kind} into Go struct field {owner}.{path} of type {GoName(type)}");
            }
            return;
        }
        var members = MembersOf(type);
        foreach (var (key, child) in obj)
        {
            if (members.TryGetValue(key, out var property))
            {
                CheckTypes(child, property.PropertyType, Join(path, key), GoName(type), errors);
            }
        }
    }

    // V1DeploymentSpec -> DeploymentSpec, as the Go struct is called
    private static string GoName(Type type) =>
        System.Text.RegularExpressions.Regex.Replace(type.Name, "^V[0-9]+((alpha|beta)[0-9]+)?", "") is { Length: > 0 } name ? name : type.Name;

    private static void Walk(JsonNode? node, Type type, string path, List<string> unknown, bool prune)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is JsonArray array && ListElement(type) is { } element)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], element, $"{path}[{i}]", unknown, prune);
            }
            return;
        }
        if (node is not JsonObject obj)
        {
            return;
        }
        if (MapValue(type) is { } value)
        {
            foreach (var (key, child) in obj)
            {
                Walk(child, value, Join(path, key), unknown, prune);
            }
            return;
        }
        if (!IsStructured(type))
        {
            return;
        }
        var members = MembersOf(type);
        foreach (var (key, child) in obj.ToList())
        {
            if (members.TryGetValue(key, out var property))
            {
                Walk(child, property.PropertyType, Join(path, key), unknown, prune);
            }
            else
            {
                unknown.Add(Join(path, key));
                if (prune)
                {
                    obj.Remove(key);
                }
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
