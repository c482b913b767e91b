using k8s;
using k8s.Models;

namespace Cowboys.Operator.Desired;

/// <summary>
/// What to write back when an object the game needs has been changed by hand: the object as it
/// is (its resourceVersion, anything others added) with the fields the game relies on set as
/// desired, or null when those fields are as desired. Only grants drift-correct: the Lease holds
/// the game's state in its annotations and spec, and a ServiceAccount has nothing to correct.
/// </summary>
public static class Drift
{
    public static IKubernetesObject<V1ObjectMeta>? Correction(IKubernetesObject<V1ObjectMeta> desired, IKubernetesObject<V1ObjectMeta> actual) => (desired, actual) switch
    {
        (V1Role d, V1Role a) when !Same(d.Rules, a.Rules) => Copy(a, r => r.Rules = d.Rules),
        (V1RoleBinding d, V1RoleBinding a) when !Same(d.Subjects, a.Subjects) => Copy(a, b => b.Subjects = d.Subjects),
        _ => null,
    };

    /// <summary>A RoleBinding's roleRef cannot be changed (the API refuses it): one that points elsewhere must be deleted to be created again.</summary>
    public static bool PointsElsewhere(V1RoleBinding desired, V1RoleBinding actual) => !Same(desired.RoleRef, actual.RoleRef);

    private static bool Same<T>(T a, T b) => KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    private static T Copy<T>(T actual, Action<T> set) where T : IKubernetesObject<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(actual));
        set(copy);
        return copy;
    }
}
