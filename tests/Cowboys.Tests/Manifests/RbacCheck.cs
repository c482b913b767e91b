using Cowboys.Sandbox.Api;

namespace Cowboys.Tests.Manifests;

/// <summary>One permission of a rendered role: in one namespace (a Role) or everywhere (a ClusterRole), optionally for one name only.</summary>
public sealed record Grant(string Role, string? Namespace, string Group, string Resource, string Verb, string? ResourceName)
{
    public override string ToString() =>
        $"{Role}: {Verb} {(Group == "" ? "core" : Group)}/{Resource}{(ResourceName is null ? "" : $" \"{ResourceName}\"")}{(Namespace is null ? "" : $" in {Namespace}")}";
}

/// <summary>
/// What the API server's RBAC authorizer would say to recorded requests under a rendered
/// install's ClusterRoles and Roles, both ways: a request no grant allows is refused, and a grant
/// no request used is more than the operator needs. The original's RBAC did not cover the
/// objects its own operator created, so ours is checked against what the operator really does.
/// </summary>
public static class RbacCheck
{
    /// <summary>Every grant of the install's ClusterRoles and Roles (kustomize directory under the repository root).</summary>
    public static IReadOnlyList<Grant> Grants(string install = "manifests") =>
        (from role in Kustomize.Render(install)
         where role.Kind() is "ClusterRole" or "Role"
         from rule in role.List("rules")
         from g in rule.Strings("apiGroups")
         from r in rule.Strings("resources")
         from v in rule.Strings("verbs")
         from n in rule.At("resourceNames") is null ? [null] : rule.Strings("resourceNames").Cast<string?>()
         select new Grant($"{role.Kind()}/{role.Name()}", role.Kind() == "Role" ? role.Str("metadata.namespace") : null, g, r, v, n)).ToList();

    /// <summary>The requests the grants would refuse, as "VERB group/resource name (the request)".</summary>
    public static IReadOnlyList<string> Refused(IReadOnlyList<Grant> grants, IEnumerable<RecordedRequest> requests) =>
        requests.Select(Access.Of).Where(a => !grants.Any(a.IsAllowedBy)).Select(a => a.ToString()).ToList();

    public static IReadOnlyList<string> Refused(IEnumerable<RecordedRequest> requests, string install = "manifests") => Refused(Grants(install), requests);

    /// <summary>
    /// The grants no request used. A grant the operator hands out in a Role it creates counts as
    /// used, whatever the requests: RBAC lets only a holder grant a permission (no escalate verb).
    /// </summary>
    public static IReadOnlyList<string> Unused(IReadOnlyList<Grant> grants, IEnumerable<RecordedRequest> requests,
        IEnumerable<(string Group, string Resource, string Verb)> handedOut)
    {
        var accesses = requests.Select(Access.Of).ToList();
        var passed = handedOut.ToHashSet();
        return grants
            .Where(g => !passed.Contains((g.Group, g.Resource, g.Verb)) && !accesses.Any(a => a.IsAllowedBy(g)))
            .Select(g => g.ToString())
            .ToList();
    }

    private sealed record Access(string Verb, string Group, string Resource, string? Namespace, string? Name, RecordedRequest Request)
    {
        public bool IsAllowedBy(Grant g) =>
            (g.Namespace is null || g.Namespace == Namespace)
            && g.Group == Group && g.Resource == Resource && g.Verb == Verb
            && (g.ResourceName is null || g.ResourceName == Name);

        public override string ToString() => $"{Verb} {Group}/{Resource} {Name} ({Request})";

        public static Access Of(RecordedRequest request)
        {
            var (group, resource, ns, name) = Parse(request.Path);
            return new Access(VerbOf(request, name), group, resource, ns, name, request);
        }
    }

    private static string VerbOf(RecordedRequest r, string? name) => r.Method switch
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
        if (rest.Length > 2 && rest[0] == "namespaces")
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
