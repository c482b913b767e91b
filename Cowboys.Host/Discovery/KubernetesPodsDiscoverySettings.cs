using System.Text.Json;
using Akka.Configuration;

namespace Cowboys.Host.Discovery;

/// <summary>
/// The settings of <see cref="KubernetesPodsDiscovery"/>, read from
/// <c>akka.discovery.kubernetes-pods</c>.
/// </summary>
/// <param name="PodNamespace">The namespace to list pods in; null: the service account's namespace, else "default".</param>
/// <param name="PodLabelSelector">The label selector; <c>{0}</c> is replaced by the looked-up service name.</param>
/// <param name="PodPortName">The container port to resolve when the lookup names none (a port matches if its name contains this).</param>
public sealed record KubernetesPodsDiscoverySettings(string? PodNamespace, string PodLabelSelector, string PodPortName)
{
    public const string ConfigPath = "akka.discovery.kubernetes-pods";

    /// <summary>The method name for akka.discovery.method and Cluster Bootstrap's discovery-method.</summary>
    public const string Method = "kubernetes-pods";

    public const string DefaultLabelSelector = "app={0}";
    public const string DefaultPortName = "http";

    /// <summary>Where Kubernetes mounts the pod's service-account namespace.</summary>
    public const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    public static KubernetesPodsDiscoverySettings FromConfig(Config? config)
    {
        string? Read(string key) => config is not null && config.HasPath(key) && config.GetString(key) is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
        return new KubernetesPodsDiscoverySettings(Read("pod-namespace"), Read("pod-label-selector") ?? DefaultLabelSelector, Read("pod-port-name") ?? DefaultPortName);
    }

    /// <summary>The selector for one service: <c>{0}</c> becomes the service name (other braces are left alone).</summary>
    public string LabelSelectorFor(string serviceName) => PodLabelSelector.Replace("{0}", serviceName, StringComparison.Ordinal);

    /// <summary>The namespace: configured, else the service account's (from <paramref name="namespaceFile"/>), else "default".</summary>
    public string ResolveNamespace(string namespaceFile = ServiceAccountNamespaceFile)
    {
        if (PodNamespace is not null) return PodNamespace;
        try
        {
            if (File.Exists(namespaceFile) && File.ReadAllText(namespaceFile).Trim() is { Length: > 0 } fromFile) return fromFile;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return "default";
    }

    /// <summary>The HOCON section that registers the plugin with these settings.</summary>
    public string ToHocon()
    {
        // a JSON string is a valid HOCON quoted string: selectors may contain '=', ',' and '!'
        static string Quote(string s) => JsonSerializer.Serialize(s);
        return $$"""
            {{ConfigPath}} {
              class = {{Quote(typeof(KubernetesPodsDiscovery).AssemblyQualifiedName!.Split(", Version=")[0])}}
              pod-namespace = {{Quote(PodNamespace ?? "")}}
              pod-label-selector = {{Quote(PodLabelSelector)}}
              pod-port-name = {{Quote(PodPortName)}}
            }
            """;
    }
}
