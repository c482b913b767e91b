using System.Net;

namespace Cowboys.Sandbox.Workloads;

/// <summary>How a sandbox cluster runs its workloads.</summary>
public sealed record SandboxOptions
{
    /// <summary>Container images and the local executables that stand for them; <see cref="ImageMap.Default"/> if null.</summary>
    public ImageMap? Images { get; init; }

    /// <summary>The first pod address (127.0.0.2 for the command line; tests take a random block).</summary>
    public IPAddress FirstPodAddress { get; init; } = IPAddress.Parse("127.0.0.2");

    /// <summary>Where pod directories (volumes, /tmp, termination log) go; a new temporary directory if null.</summary>
    public string? Root { get; init; }

    /// <summary>The Job controller's retry back-off base (Kubernetes: 10 s, doubling per failure, at most 6 min).</summary>
    public TimeSpan JobBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The kubelet's container restart back-off base (Kubernetes: 10 s, doubling, at most 5 min).</summary>
    public TimeSpan RestartBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Run the Job, Deployment and ReplicaSet controllers (false: only the kubelet, for a test that plays the controllers).</summary>
    public bool Controllers { get; init; } = true;

    /// <summary>Where the controllers and the kubelet report what they do; nowhere if null.</summary>
    public Action<string>? Log { get; init; }
}
