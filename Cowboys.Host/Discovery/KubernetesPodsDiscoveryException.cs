using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using k8s;
using k8s.Autorest;
using k8s.Models;

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
