using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using k8s;
using k8s.Models;

namespace Cowboys.Tests.Host.Discovery;

/// <summary>Pods as the API reports them to discovery, and a sandbox API server holding them.</summary>
public static class DiscoveryPods
{
    /// <summary>The finalizer that keeps a deleted pod listed, with its deletionTimestamp, as a pod terminating on its node is.</summary>
    private const string Terminating = "example.com/still-terminating";

    /// <summary>A pod as the API reports it: phase, IP and container ports (name, port).</summary>
    public static V1Pod Pod(string name, string ns, IDictionary<string, string> labels, string phase, string? podIp,
        IEnumerable<(string Name, int Port)> ports, DateTime? deletionTimestamp = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, DeletionTimestamp = deletionTimestamp },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "cowboy", Image = "cowboys:test", Ports = ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port }).ToList() }],
        },
        Status = new V1PodStatus { Phase = phase, PodIP = podIp },
    };

    /// <summary>
    /// Puts the pod in the server, status and all. A pod with a deletionTimestamp is created and
    /// then deleted while a finalizer holds it, which is how a real server comes to list one.
    /// </summary>
    public static ApiServer Add(this ApiServer server, V1Pod pod)
    {
        var deleting = pod.Metadata.DeletionTimestamp is not null;
        var json = JsonNode.Parse(KubernetesJson.Serialize(pod))!.AsObject();
        if (deleting)
        {
            json["metadata"]!["finalizers"] = new JsonArray(Terminating);
        }
        server.Seed(json);
        if (deleting)
        {
            server.Delete("pods", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        }
        return server;
    }

    /// <summary>The namespace a recorded request lists pods in, from its path /api/v1/namespaces/{ns}/pods.</summary>
    public static string? PodsNamespace(this RecordedRequest request) =>
        request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["api", "v1", "namespaces", var ns, "pods"] ? ns : null;

    /// <summary>A kubeconfig for the server in the directory.</summary>
    public static string WriteKubeconfigIn(this ApiServer server, string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(path);
        return path;
    }
}

/// <summary>Sets an environment variable for the duration of a test and restores the previous value.</summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    public EnvironmentVariableScope(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}
