using Cowboys.Operator.Entities;
using Cowboys.Operator.Progress;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Kubernetes;

/// <summary>The few API calls a Shootout reconcile makes: small, so tests can stand in for it.</summary>
public interface IShootoutClient
{
    Task<Shootout?> GetShootoutAsync(string ns, string name, CancellationToken ct);

    /// <summary>PUT .../status with the Shootout's resourceVersion; throws <see cref="ConflictException"/> when it is stale.</summary>
    Task<Shootout> ReplaceStatusAsync(Shootout shootout, CancellationToken ct);

    Task<V1ConfigMap?> GetConfigMapAsync(string ns, string name, CancellationToken ct);

    /// <summary>Creates an object; false when it already exists (AlreadyExists is success: names are deterministic).</summary>
    Task<bool> CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct);

    /// <summary>A ServiceAccount, Role, RoleBinding or Lease as it is now, or null when there is none.</summary>
    Task<T?> GetAsync<T>(string ns, string name, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT of a Role or RoleBinding with the resourceVersion it was read at; throws <see cref="ConflictException"/> when it is stale.</summary>
    Task ReplaceAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct);

    /// <summary>The Jobs and pods labelled as this Shootout's.</summary>
    Task<Observed> ObserveAsync(string ns, string shootout, CancellationToken ct);

    /// <summary>Deletes a Job and, in the background, its pods; only the Job with this UID (not a namesake), and a Job already gone is no error.</summary>
    Task DeleteJobAsync(string ns, string name, string uid, CancellationToken ct);

    /// <summary>Records an Event; recording the same one twice is a no-op.</summary>
    Task RecordEventAsync(Corev1Event ev, CancellationToken ct);
}
