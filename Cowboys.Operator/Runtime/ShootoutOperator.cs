using Cowboys.Operator.Controllers;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Cowboys.Operator.Runtime;

/// <summary>
/// The operator's loop while it leads: watches Shootouts and the Jobs and pods it made (by
/// label, mapped back to their Shootout), and feeds a work queue whose workers reconcile one
/// Shootout at a time each.
/// </summary>
public sealed class ShootoutOperator(IKubernetes api, OperatorOptions options, ILoggerFactory logs, IGameProbe? probe = null, TimeProvider? time = null)
{
    private static readonly HttpClient Http = new();

    private readonly ILogger _log = logs.CreateLogger<ShootoutOperator>();
    private readonly WorkQueue<ShootoutKey> _queue = new(time, measured: true);

    public async Task RunAsync(CancellationToken ct)
    {
        var controller = new ShootoutController(new KubernetesShootoutClient(api), probe ?? new HttpGameProbe(Http), options, time ?? TimeProvider.System, logs.CreateLogger<ShootoutController>());
        var scopes = options.Namespaces.Count == 0 ? [null] : options.Namespaces.Cast<string?>().ToList();
        var tasks = new List<Task>();
        tasks.AddRange(scopes.Select(ns => ShootoutWatcher(ns).RunAsync(ct)));
        tasks.AddRange(scopes.Select(ns => JobWatcher(ns).RunAsync(ct)));
        tasks.AddRange(scopes.Select(ns => PodWatcher(ns).RunAsync(ct)));
        tasks.AddRange(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => WorkAsync(controller, ct)));
        _log.Watching(options.Namespaces.Count == 0 ? "all namespaces" : string.Join(", ", options.Namespaces));
        OperatorMetrics.Observe(() => _queue.Depth);
        try
        {
            await Task.WhenAll(tasks);
        }
        finally
        {
            // a replica that no longer leads has no queue to report
            OperatorMetrics.Observe(null);
        }
    }

    private async Task WorkAsync(ShootoutController controller, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            ShootoutKey key;
            try
            {
                key = await _queue.TakeAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                var result = await controller.ReconcileAsync(key.Namespace, key.Name, ct);
                _queue.Forget(key);
                OperatorMetrics.Reconciled(result.RequeueAfter is null ? OperatorMetrics.Success : OperatorMetrics.RequeueAfter, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                if (result.RequeueAfter is { } after) _queue.AddAfter(key, after, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ConflictException e)
            {
                // a stale read, not a failure: reconciled again at once, as controller-runtime's Requeue
                OperatorMetrics.Reconciled(OperatorMetrics.Requeue, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                _log.ReconcilingAgain(key, e.Message);
                _queue.AddAfter(key, _queue.Failed(key), ct);
            }
            catch (Exception e)
            {
                OperatorMetrics.Reconciled(OperatorMetrics.Error, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                var delay = _queue.Failed(key);
                _log.ReconcileFailed(key, e.Message, delay.TotalSeconds);
                _queue.AddAfter(key, delay, ct);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private void Enqueue(IKubernetesObject<V1ObjectMeta> shootout) =>
        _queue.Add(new ShootoutKey(shootout.Metadata.NamespaceProperty, shootout.Metadata.Name));

    private void EnqueueOwner(IKubernetesObject<V1ObjectMeta> owned)
    {
        // the annotation holds the full name; the label may be a shortened one
        if (owned.Metadata.Annotations?.TryGetValue(Labels.ShootoutName, out var shootout) == true
            || owned.Metadata.Labels?.TryGetValue(Labels.Shootout, out shootout) == true)
        {
            _queue.Add(new ShootoutKey(owned.Metadata.NamespaceProperty, shootout));
        }
    }

    private static int WatchTimeout() => 240 + Random.Shared.Next(120);

    private ResourceWatcher<Shootout, ShootoutList> ShootoutWatcher(string? ns) => new(
        $"shootouts in {ns ?? "all namespaces"}",
        async ct => KubernetesShootoutClient.Convert<ShootoutList>(ns is null
            ? await api.CustomObjects.ListClusterCustomObjectAsync(group: Shootout.Group, version: Shootout.Version, plural: Shootout.Plural, cancellationToken: ct)
            : await api.CustomObjects.ListNamespacedCustomObjectAsync(group: Shootout.Group, version: Shootout.Version, namespaceParameter: ns, plural: Shootout.Plural, cancellationToken: ct)),
        (version, onError, ct) => Typed(ns is null
            ? api.CustomObjects.WatchListClusterCustomObjectAsync(group: Shootout.Group, version: Shootout.Version, plural: Shootout.Plural,
                allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
            : api.CustomObjects.WatchListNamespacedCustomObjectAsync(group: Shootout.Group, version: Shootout.Version, namespaceParameter: ns, plural: Shootout.Plural,
                allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)),
        Enqueue,
        _log);

    private ResourceWatcher<V1Job, V1JobList> JobWatcher(string? ns) => new(
        $"jobs in {ns ?? "all namespaces"}",
        ct => ns is null
            ? api.BatchV1.ListJobForAllNamespacesAsync(labelSelector: Labels.ManagedSelector, cancellationToken: ct)
            : api.BatchV1.ListNamespacedJobAsync(namespaceParameter: ns, labelSelector: Labels.ManagedSelector, cancellationToken: ct),
        (version, onError, ct) => ns is null
            ? api.BatchV1.WatchListJobForAllNamespacesAsync(labelSelector: Labels.ManagedSelector, allowWatchBookmarks: true, resourceVersion: version,
                timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
            : api.BatchV1.WatchListNamespacedJobAsync(namespaceParameter: ns, labelSelector: Labels.ManagedSelector, allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
        EnqueueOwner,
        _log);

    private ResourceWatcher<V1Pod, V1PodList> PodWatcher(string? ns) => new(
        $"pods in {ns ?? "all namespaces"}",
        ct => ns is null
            ? api.CoreV1.ListPodForAllNamespacesAsync(labelSelector: Labels.ManagedSelector, cancellationToken: ct)
            : api.CoreV1.ListNamespacedPodAsync(namespaceParameter: ns, labelSelector: Labels.ManagedSelector, cancellationToken: ct),
        (version, onError, ct) => ns is null
            ? api.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: Labels.ManagedSelector, allowWatchBookmarks: true, resourceVersion: version,
                timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct)
            : api.CoreV1.WatchListNamespacedPodAsync(namespaceParameter: ns, labelSelector: Labels.ManagedSelector, allowWatchBookmarks: true,
                resourceVersion: version, timeoutSeconds: WatchTimeout(), onError: onError, cancellationToken: ct),
        EnqueueOwner,
        _log);

    private static async IAsyncEnumerable<(WatchEventType, Shootout)> Typed(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, raw) in events) yield return (type, KubernetesShootoutClient.Convert<Shootout>(raw));
    }
}
