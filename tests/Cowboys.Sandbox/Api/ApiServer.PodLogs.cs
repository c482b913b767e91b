namespace Cowboys.Sandbox.Api;

// Kept apart from ApiServer.cs so the kubelet's hook merges with the work on the server itself.
public sealed partial class ApiServer
{
    /// <summary>A pod's container output by (namespace, pod), null if unknown: what GET .../pods/NAME/log answers. The sandbox's kubelet sets it.</summary>
    public Func<string, string, string?>? PodLogs { get; set; }
}
