namespace Cowboys.Host.Discovery;

/// <summary>A lookup that could not list pods; Cluster Bootstrap treats it as a failed resolve and retries.</summary>
public sealed class KubernetesPodsDiscoveryException : Exception
{
    public KubernetesPodsDiscoveryException(string message) : base(message)
    {
    }

    public KubernetesPodsDiscoveryException(string message, Exception inner) : base(message, inner)
    {
    }
}
