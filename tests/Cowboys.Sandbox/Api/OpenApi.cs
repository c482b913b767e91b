using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cowboys.Sandbox.Api;

/// <summary>
/// OpenAPI v3 as far as kubectl reads it: /openapi/v3 lists one document per group version, and
/// each document has the resources' paths with their PATCH operation tagged with the kind
/// (x-kubernetes-group-version-kind) and the fieldValidation parameter. That is how kubectl 1.32
/// decides the server validates fields itself (it then sends fieldValidation=Strict and skips its
/// own schema check). Schemas: a custom resource's own openAPIV3Schema; built-ins carry none
/// (kubectl then computes strategic merge patches from its compiled-in types, as it does when a
/// schema is missing).
/// </summary>
public static class OpenApi
{
    public static JsonObject Index(IEnumerable<ResourceType> resources)
    {
        var paths = new JsonObject();
        foreach (var group in resources.GroupBy(r => r.PathPrefix.TrimStart('/')).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var hash = Hash(Document(group.Key, group).ToJsonString());
            paths[group.Key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{group.Key}?hash={hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <param name="groupVersionPath">"api/v1" or "apis/batch/v1".</param>
    public static JsonObject Document(string groupVersionPath, IEnumerable<ResourceType> resources)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var rt in resources)
        {
            var gvk = new JsonArray(new JsonObject { ["group"] = rt.Group, ["version"] = rt.Version, ["kind"] = rt.Kind });
            var prefix = rt.Namespaced ? $"{rt.PathPrefix}/namespaces/{{namespace}}/{rt.Plural}" : $"{rt.PathPrefix}/{rt.Plural}";
            paths[$"{prefix}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("read", rt, gvk, "get"),
                ["put"] = Operation("replace", rt, gvk, "update", fieldValidation: true),
                ["patch"] = Operation("patch", rt, gvk, "patch", fieldValidation: true),
                ["delete"] = Operation("delete", rt, gvk, "delete"),
                ["parameters"] = new JsonArray(Parameter("name", "path")),
            };
            paths[prefix] = new JsonObject
            {
                ["get"] = Operation("list", rt, gvk, "list"),
                ["post"] = Operation("create", rt, gvk, "post", fieldValidation: true),
            };
            if (rt.Crd?["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                var s = schema.DeepClone().AsObject();
                s["x-kubernetes-group-version-kind"] = gvk.DeepClone();
                schemas[SchemaName(rt)] = s;
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0-sandbox" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(string verb, ResourceType rt, JsonArray gvk, string action, bool fieldValidation = false)
    {
        var parameters = new JsonArray();
        if (fieldValidation)
        {
            parameters.Add(Parameter("fieldValidation", "query"));
            parameters.Add(Parameter("dryRun", "query"));
            parameters.Add(Parameter("fieldManager", "query"));
        }
        return new JsonObject
        {
            ["operationId"] = $"{verb}{rt.Kind}",
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk[0]!.DeepClone(),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        };
    }

    private static JsonObject Parameter(string name, string @in) => new()
    {
        ["name"] = name,
        ["in"] = @in,
        ["required"] = @in == "path",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    // com.example.v1alpha1.Shootout, as the real server names a CRD's schema
    private static string SchemaName(ResourceType rt) =>
        $"{string.Join('.', rt.Group.Split('.').Reverse())}.{rt.Version}.{rt.Kind}";

    private static string Hash(string text) => Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
