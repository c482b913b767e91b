namespace Cowboys.Sandbox.Api;

/// <summary>
/// One kind of object the fake API server serves. Behaviour that differs between resources on the
/// real server is a flag here, so adding a resource is one line in <see cref="ResourceTable"/>.
/// </summary>
/// <param name="TracksGeneration">metadata.generation is 1 on create and bumps when anything but
/// metadata and status changes (custom resources, Jobs, Pods since 1.33).</param>
/// <param name="ReturnsDeletedObject">DELETE answers with the object (pods, services, service
/// accounts) rather than a Success Status (everything else, custom resources included).</param>
/// <param name="OrphansByDefault">DELETE without a propagationPolicy orphans dependents (batch/v1
/// Jobs keep this legacy default: their pods survive unless the client asks for Background).</param>
/// <param name="IsCustom">A CustomResourceDefinition-served resource: PUT must carry
/// metadata.resourceVersion (no unconditional update) and list items keep apiVersion/kind.</param>
/// <param name="Names">How metadata.name is validated on create.</param>
/// <param name="InitialStatus">JSON the server puts in status on create (POST drops a client's
/// status on resources with a status subresource; pods start Pending).</param>
/// <param name="ShortNames">What discovery lists as short names (kubectl get po).</param>
/// <param name="Categories">Discovery categories (kubectl get all).</param>
/// <param name="Crd">For a resource a CustomResourceDefinition serves: the CRD's version entry
/// (schema, additionalPrinterColumns); null for built-ins.</param>
/// <param name="FieldLabels">Field selector keys the real server accepts beyond metadata.name and
/// metadata.namespace; anything else is a 400.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced = true,
    bool HasStatusSubresource = false,
    bool TracksGeneration = false,
    bool ReturnsDeletedObject = false,
    bool OrphansByDefault = false,
    bool IsCustom = false,
    NameRule Names = NameRule.Subdomain,
    string? InitialStatus = null,
    string[]? ShortNames = null,
    string[]? Categories = null,
    System.Text.Json.Nodes.JsonObject? Crd = null,
    params string[] FieldLabels)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"pods", "jobs.batch", "shootouts.example.com": how the real server names a resource in messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Singular => Kind.ToLowerInvariant();

    // One resource is one group/version/plural: a CRD update that changes its columns or schema
    // still names the same stored objects.
    public bool Equals(ResourceType? other) =>
        other is not null && Group == other.Group && Version == other.Version && Plural == other.Plural;

    public override int GetHashCode() => HashCode.Combine(Group, Version, Plural);

    public string PathPrefix => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
}

public enum NameRule
{
    /// <summary>RFC 1123 subdomain, at most 253 characters (most resources).</summary>
    Subdomain,

    /// <summary>RFC 1123 subdomain of at most 63 characters: Jobs, whose name becomes a pod label value.</summary>
    Subdomain63,

    /// <summary>RFC 1123 label: lower-case alphanumerics and '-', at most 63 (namespaces).</summary>
    Label1123,

    /// <summary>RFC 1035 label: like an RFC 1123 label but starting with a letter (services).</summary>
    Label1035,

    /// <summary>Anything that fits in a path segment (RBAC roles and bindings).</summary>
    PathSegment,
}

public static class ResourceTable
{
    /// <summary>The built-in resources, as a fresh cluster serves them (no custom resources).</summary>
    public static readonly IReadOnlyList<ResourceType> BuiltIn =
    [
        new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatusSubresource: true, Names: NameRule.Label1123,
            InitialStatus: """{"phase":"Active"}""", ShortNames: ["ns"], FieldLabels: ["status.phase"]),
        new("", "v1", "pods", "Pod", HasStatusSubresource: true, TracksGeneration: true, ReturnsDeletedObject: true,
            InitialStatus: """{"phase":"Pending"}""", ShortNames: ["po"], Categories: ["all"],
            FieldLabels: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]),
        new("", "v1", "configmaps", "ConfigMap", ShortNames: ["cm"]),
        new("", "v1", "services", "Service", HasStatusSubresource: true, ReturnsDeletedObject: true, Names: NameRule.Label1035,
            InitialStatus: """{"loadBalancer":{}}""", ShortNames: ["svc"], Categories: ["all"]),
        new("", "v1", "serviceaccounts", "ServiceAccount", ReturnsDeletedObject: true, ShortNames: ["sa"]),
        new("", "v1", "events", "Event", ShortNames: ["ev"],
            FieldLabels: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
                "reportingComponent", "source", "type"]),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false,
            HasStatusSubresource: true, InitialStatus: "{}", ShortNames: ["crd", "crds"], Categories: ["api-extensions"]),
        new("apps", "v1", "deployments", "Deployment", HasStatusSubresource: true, TracksGeneration: true, InitialStatus: "{}",
            ShortNames: ["deploy"], Categories: ["all"]),
        new("apps", "v1", "replicasets", "ReplicaSet", HasStatusSubresource: true, TracksGeneration: true, InitialStatus: """{"replicas":0}""",
            ShortNames: ["rs"], Categories: ["all"]),
        new("batch", "v1", "jobs", "Job", HasStatusSubresource: true, TracksGeneration: true, OrphansByDefault: true,
            Names: NameRule.Subdomain63, InitialStatus: "{}", Categories: ["all"], FieldLabels: ["status.successful"]),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", Names: NameRule.PathSegment),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", Names: NameRule.PathSegment),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", Namespaced: false, Names: NameRule.PathSegment),
        new("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", Namespaced: false, Names: NameRule.PathSegment),
        new("coordination.k8s.io", "v1", "leases", "Lease"),
        new("events.k8s.io", "v1", "events", "Event", ShortNames: ["ev"]),
    ];

    /// <summary>The Shootout resource as the project's CRD serves it, without the CRD object (in-process tests).</summary>
    public static readonly ResourceType Shootouts =
        new("example.com", "v1alpha1", "shootouts", "Shootout", HasStatusSubresource: true, TracksGeneration: true, IsCustom: true);

    /// <summary>The built-ins and shootouts: what the in-process tests get by default.</summary>
    public static readonly IReadOnlyList<ResourceType> Default = [.. BuiltIn, Shootouts];
}
