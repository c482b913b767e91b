using k8s;
using k8s.Models;

namespace Cowboys.Operator.Desired;

/// <summary>Everything one Shootout needs, in the order it is created.</summary>
public sealed record DesiredState(
    V1ConfigMap Roster,
    V1ServiceAccount ServiceAccount,
    V1Role Role,
    V1RoleBinding RoleBinding,
    V1Lease TieBreak,
    IReadOnlyList<V1Job> Jobs)
{
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All() =>
        new IKubernetesObject<V1ObjectMeta>[] { Roster, ServiceAccount, Role, RoleBinding, TieBreak }.Concat(Jobs);
}
