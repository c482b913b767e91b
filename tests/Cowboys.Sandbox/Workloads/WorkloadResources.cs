using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>The apps/v1 resources the workload controllers drive, as the API server's table serves them.</summary>
public static class WorkloadResources
{
    public static ResourceType Deployments { get; } = ResourceTable.BuiltIn.Single(r => r.QualifiedPlural == "deployments.apps");

    public static ResourceType ReplicaSets { get; } = ResourceTable.BuiltIn.Single(r => r.QualifiedPlural == "replicasets.apps");

    /// <summary>What <see cref="SandboxCluster.StartAsync"/> serves: the built-ins and the Shootout resource.</summary>
    public static IReadOnlyList<ResourceType> All => ResourceTable.Default;
}
