using System.Net;
using System.Text.Json;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Progress;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Cowboys.Operator.Kubernetes;

/// <summary><see cref="IShootoutClient"/> over KubernetesClient.</summary>
public sealed class KubernetesShootoutClient(IKubernetes api) : IShootoutClient
{
    public async Task<Shootout?> GetShootoutAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            var raw = await api.CustomObjects.GetNamespacedCustomObjectAsync(
                group: Shootout.Group, version: Shootout.Version, namespaceParameter: ns, plural: Shootout.Plural, name: name, cancellationToken: ct);
            return Convert<Shootout>(raw);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Shootout> ReplaceStatusAsync(Shootout shootout, CancellationToken ct)
    {
        try
        {
            var raw = await api.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(
                body: shootout, group: Shootout.Group, version: Shootout.Version,
                namespaceParameter: shootout.Metadata.NamespaceProperty, plural: Shootout.Plural, name: shootout.Metadata.Name, cancellationToken: ct);
            return Convert<Shootout>(raw);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"Shootout {shootout.Metadata.NamespaceProperty}/{shootout.Metadata.Name} changed while it was reconciled", e);
        }
    }

    public async Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await api.CoreV1.ReadNamespacedConfigMapAsync(name: name, namespaceParameter: ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        var ns = obj.Metadata.NamespaceProperty;
        try
        {
            switch (obj)
            {
                case V1ConfigMap o: await api.CoreV1.CreateNamespacedConfigMapAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                case V1ServiceAccount o: await api.CoreV1.CreateNamespacedServiceAccountAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                case V1Role o: await api.RbacAuthorizationV1.CreateNamespacedRoleAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                case V1RoleBinding o: await api.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                case V1Job o: await api.BatchV1.CreateNamespacedJobAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                case V1Lease o: await api.CoordinationV1.CreateNamespacedLeaseAsync(body: o, namespaceParameter: ns, cancellationToken: ct); break;
                default: throw new ArgumentException($"the operator does not create {obj.Kind} objects", nameof(obj));
            }
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public async Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            object found = typeof(T) switch
            {
                var t when t == typeof(V1ServiceAccount) => await api.CoreV1.ReadNamespacedServiceAccountAsync(name: name, namespaceParameter: ns, cancellationToken: ct),
                var t when t == typeof(V1Role) => await api.RbacAuthorizationV1.ReadNamespacedRoleAsync(name: name, namespaceParameter: ns, cancellationToken: ct),
                var t when t == typeof(V1RoleBinding) => await api.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(name: name, namespaceParameter: ns, cancellationToken: ct),
                var t when t == typeof(V1Lease) => await api.CoordinationV1.ReadNamespacedLeaseAsync(name: name, namespaceParameter: ns, cancellationToken: ct),
                _ => throw new ArgumentException($"the operator does not read {typeof(T).Name} objects one by one", nameof(T)),
            };
            return (T)found;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        var (ns, name) = (obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        try
        {
            switch (obj)
            {
                case V1Role o: await api.RbacAuthorizationV1.ReplaceNamespacedRoleAsync(body: o, name: name, namespaceParameter: ns, cancellationToken: ct); break;
                case V1RoleBinding o: await api.RbacAuthorizationV1.ReplaceNamespacedRoleBindingAsync(body: o, name: name, namespaceParameter: ns, cancellationToken: ct); break;
                default: throw new ArgumentException($"the operator does not update {obj.Kind} objects", nameof(obj));
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException($"{obj.Kind} {ns}/{name} changed while it was corrected", e);
        }
    }

    public async Task<Observed> ObserveAsync(string ns, string shootout, CancellationToken ct)
    {
        var selector = $"{Labels.ManagedSelector},{Labels.ShootoutSelector(shootout)}";
        var jobs = await api.BatchV1.ListNamespacedJobAsync(namespaceParameter: ns, labelSelector: selector, cancellationToken: ct);
        var pods = await api.CoreV1.ListNamespacedPodAsync(namespaceParameter: ns, labelSelector: selector, cancellationToken: ct);
        return new Observed(jobs.Items.ToList(), pods.Items.ToList());
    }

    public async Task DeleteJobAsync(string ns, string name, string uid, CancellationToken ct)
    {
        try
        {
            // a Job's pods are orphaned by default; Background lets the garbage collector remove them
            await api.BatchV1.DeleteNamespacedJobAsync(name: name, namespaceParameter: ns,
                body: new V1DeleteOptions { PropagationPolicy = "Background", Preconditions = new V1Preconditions { Uid = uid } }, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // gone already, or a namesake the precondition protects
        }
    }

    public async Task RecordEventAsync(Corev1Event ev, CancellationToken ct)
    {
        try
        {
            await api.CoreV1.CreateNamespacedEventAsync(body: ev, namespaceParameter: ev.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // the event has a deterministic name: it was recorded by an earlier attempt
        }
    }

    /// <summary>Custom-object calls return untyped JSON; read it with the client's own serializer settings.</summary>
    public static T Convert<T>(object raw) => raw switch
    {
        T typed => typed,
        JsonElement json => KubernetesJson.Deserialize<T>(json.GetRawText()),
        _ => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(raw)),
    };
}
