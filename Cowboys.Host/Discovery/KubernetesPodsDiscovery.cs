using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cowboys.Host.Discovery;

/// <summary>
/// Akka.Discovery over the Kubernetes API, written against the KubernetesClient this project pins:
/// what Akka.Discovery.KubernetesApi does, which fails with the served client
/// (docs/decisions/0008-kubernetes-discovery.md). Each lookup lists the pods that match the label
/// selector in one namespace and resolves every running pod with an IP to that IP and the port
/// of its first container port whose name contains the wanted port name.
/// The client is configured from KUBECONFIG when it is set, else from the pod's service account.
/// A failed or timed-out list fails the lookup; Cluster Bootstrap then backs off and asks again.
/// </summary>
public sealed class KubernetesPodsDiscovery : ServiceDiscovery
{
    private readonly ILoggingAdapter _log;
    private readonly KubernetesPodsDiscoverySettings _settings;
    private readonly Lazy<string> _namespace;
    private readonly Lock _gate = new();
    private Kubernetes? _client;
    private string _server = "the Kubernetes API";

    /// <summary>The constructor the Discovery extension calls for <c>akka.discovery.kubernetes-pods.class</c>.</summary>
    public KubernetesPodsDiscovery(ExtendedActorSystem system)
    {
        _log = Logging.GetLogger(system, this);
        _settings = KubernetesPodsDiscoverySettings.FromConfig(system.Settings.Config.GetConfig(KubernetesPodsDiscoverySettings.ConfigPath));
        _namespace = new Lazy<string>(() => _settings.ResolveNamespace());
        system.RegisterOnTermination(() =>
        {
            lock (_gate) _client?.Dispose();
        });
    }

    public KubernetesPodsDiscoverySettings Settings => _settings;

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var selector = _settings.LabelSelectorFor(lookup.ServiceName);
        var ns = _namespace.Value;
        var portName = string.IsNullOrEmpty(lookup.PortName) ? _settings.PodPortName : lookup.PortName;
        var client = Client(ns, selector);
        using var timeout = new CancellationTokenSource(resolveTimeout);
        V1PodList pods;
        try
        {
            pods = await client.CoreV1.ListNamespacedPodAsync(namespaceParameter: ns, labelSelector: selector, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException && timeout.IsCancellationRequested)
        {
            throw Failed($"no answer from {_server} within {resolveTimeout.TotalMilliseconds:0}ms listing pods in namespace \"{ns}\" with label selector \"{selector}\"", e);
        }
        catch (HttpOperationException e)
        {
            var status = (int)e.Response.StatusCode;
            var hint = status is 401 or 403 ? " (does the service account have a Role allowing get/list/watch on pods?)" : "";
            var body = e.Response.Content is { Length: > 0 } content ? $": {(content.Length > 300 ? content[..300] + "..." : content)}" : "";
            throw Failed($"{_server} answered {status} {e.Response.ReasonPhrase} listing pods in namespace \"{ns}\" with label selector \"{selector}\"{hint}{body}", e);
        }
        catch (Exception e)
        {
            // unreachable, refused, a broken body, the client's own timeout: all fail this lookup alike
            throw Failed($"could not list pods in namespace \"{ns}\" with label selector \"{selector}\" from {_server}: {e.Message}", e);
        }

        var targets = Targets(pods.Items ?? [], portName);
        if (_log.IsDebugEnabled) _log.Debug(Cowboys.Actors.Telemetry.LogEvents.PodsFound.Template, selector, ns, string.Join(", ", targets));
        if (targets.Any(t => t.Port is null) && _log.IsDebugEnabled)
        {
            _log.Debug(Cowboys.Actors.Telemetry.LogEvents.PodsWithoutPort.Template, portName);
        }
        return new Resolved(lookup.ServiceName, targets);
    }

    /// <summary>
    /// The contact points among the listed pods: pods neither being deleted nor other than Running,
    /// with an IP; host and address are the pod IP, the port is that of the first container port
    /// whose name contains <paramref name="portName"/> (null when none does, or no name is wanted).
    /// </summary>
    public static ImmutableList<ResolvedTarget> Targets(IEnumerable<V1Pod> pods, string? portName)
    {
        var targets = ImmutableList.CreateBuilder<ResolvedTarget>();
        foreach (var pod in pods)
        {
            if (pod.Metadata?.DeletionTimestamp is not null) continue;
            if (!string.Equals(pod.Status?.Phase, "Running", StringComparison.OrdinalIgnoreCase)) continue;
            var ip = pod.Status?.PodIP;
            if (string.IsNullOrWhiteSpace(ip)) continue;
            int? port = null;
            if (!string.IsNullOrEmpty(portName))
            {
                port = (pod.Spec?.Containers ?? [])
                    .SelectMany(c => c.Ports ?? [])
                    .FirstOrDefault(p => p.Name is not null && p.Name.Contains(portName, StringComparison.Ordinal))?.ContainerPort;
            }
            targets.Add(new ResolvedTarget(ip, port, IPAddress.TryParse(ip, out var address) ? address : null));
        }
        return targets.ToImmutable();
    }

    private Kubernetes Client(string ns, string selector)
    {
        lock (_gate)
        {
            if (_client is not null) return _client;
            KubernetesClientConfiguration config;
            var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
            try
            {
                if (!string.IsNullOrWhiteSpace(kubeconfig))
                {
                    config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
                }
                else if (KubernetesClientConfiguration.IsInCluster())
                {
                    config = KubernetesClientConfiguration.InClusterConfig();
                }
                else
                {
                    throw new KubernetesPodsDiscoveryException(
                        "neither KUBECONFIG is set nor does this process run in a pod (no KUBERNETES_SERVICE_HOST or service-account token)");
                }
            }
            catch (Exception e) when (e is not KubernetesPodsDiscoveryException)
            {
                var source = string.IsNullOrWhiteSpace(kubeconfig) ? "the pod's service account" : $"KUBECONFIG {kubeconfig}";
                throw Failed($"cannot configure the Kubernetes client from {source}: {e.Message}", e);
            }
            catch (KubernetesPodsDiscoveryException e)
            {
                throw Failed($"cannot configure the Kubernetes client: {e.Message}", e);
            }
            _client = new Kubernetes(config);
            _server = config.Host ?? _server;
            _log.Info(Cowboys.Actors.Telemetry.LogEvents.DiscoveringPods.Template, _server, ns, selector);
            return _client;
        }
    }

    private KubernetesPodsDiscoveryException Failed(string message, Exception cause)
    {
        // bootstrap logs the failure only as an Akka.Management warning (hidden without --verbose); say it here too
        _log.Warning(Cowboys.Actors.Telemetry.LogEvents.DiscoveryFailed.Template, message);
        return new KubernetesPodsDiscoveryException(message, cause);
    }
}
