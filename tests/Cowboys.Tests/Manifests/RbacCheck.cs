using Cowboys.Sandbox.Api;

namespace Cowboys.Tests.Manifests;

/// <summary>
/// What the API server's RBAC authorizer would say to recorded requests under the rendered
/// install's ClusterRole and Roles: the original's RBAC did not cover the objects its own
/// operator created, so ours is checked against what the operator really does.
/// </summary>
public static class RbacCheck
{
    /// <summary>The requests the install's roles would refuse, as "VERB group/resource name (the request)".</summary>
    public static IReadOnlyList<string> Refused(IEnumerable<RecordedRequest> requests)
    {
        var install = Kustomize.Render("manifests");
        var rules = install.Where(o => o.Kind() is "ClusterRole" or "Role")
            .SelectMany(role => role.List("rules").Select(rule => (Namespace: role.Kind() == "Role" ? role.Str("metadata.namespace") : null, Rule: rule)))
            .ToList();
        var refused = new List<string>();
        foreach (var request in requests)
        {
            var (group, resource, ns, name) = Parse(request.Path);
            var verb = Verb(request, name);
            var allowed = rules.Any(r =>
                (r.Namespace is null || r.Namespace == ns)
                && r.Rule.Strings("apiGroups").Contains(group)
                && r.Rule.Strings("resources").Contains(resource)
                && r.Rule.Strings("verbs").Contains(verb)
                && (r.Rule.At("resourceNames") is null || (name is not null && r.Rule.Strings("resourceNames").Contains(name))));
            if (!allowed) refused.Add($"{verb} {group}/{resource} {name} ({request})");
        }
        return refused;
    }

    private static string Verb(RecordedRequest r, string? name) => r.Method switch
    {
        "GET" when r.IsWatch => "watch",
        "GET" => name is null ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => name is null ? "deletecollection" : "delete",
        _ => r.Method.ToLowerInvariant(),
    };

    /// <summary>/api/v1/namespaces/ns/pods/name/status → ("", "pods/status", ns, name).</summary>
    private static (string Group, string Resource, string? Namespace, string? Name) Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        var (group, rest) = parts[0] == "api" ? ("", parts[2..]) : (parts[1], parts[3..]);
        string? ns = null;
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length > 2)
        {
            ns = rest[1];
            rest = rest[2..];
        }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        if (rest.Length > 2) resource = $"{resource}/{rest[2]}";
        return (group, resource, ns, name);
    }
}
