using k8s;

namespace Cowboys.Host.Coordination;

/// <summary>One way to reach the Kubernetes API from a cowboy: KUBECONFIG if set, else the pod's service account.</summary>
public static class KubernetesClients
{
    public static Kubernetes FromEnvironment()
    {
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(kubeconfig)) return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        if (KubernetesClientConfiguration.IsInCluster()) return new Kubernetes(KubernetesClientConfiguration.InClusterConfig());
        throw new InvalidOperationException("neither KUBECONFIG is set nor does this process run in a pod (no KUBERNETES_SERVICE_HOST or service-account token)");
    }
}
