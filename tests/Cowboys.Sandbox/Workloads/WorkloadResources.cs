using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>The resources the sandbox serves: the API server's table plus apps/v1 Deployments and ReplicaSets.</summary>
public static class WorkloadResources
{
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", "Deployment", HasStatusSubresource: true, TracksGeneration: true,
        InitialStatus: "{}");

    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", HasStatusSubresource: true, TracksGeneration: true,
        InitialStatus: """{"replicas":0}""");

    /// <summary>The API server's default table, with the apps/v1 resources added unless it already serves them.</summary>
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        .. ResourceTable.Default,
        .. new[] { Deployments, ReplicaSets }.Where(r => !ResourceTable.Default.Any(d => d.QualifiedPlural == r.QualifiedPlural)),
    ];
}
