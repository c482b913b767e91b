using Cowboys.Operator.Desired;
using k8s;
using k8s.Models;
using Xunit;
using static Cowboys.Tests.Operator.OperatorFixtures;

namespace Cowboys.Tests.Operator.Desired;

public class DriftTests
{
    private static DesiredState Desired()
    {
        var shootout = Shootout();
        return DesiredObjects.For(shootout, GamePlan.FromSpec(shootout).Plan!, Options);
    }

    /// <summary>The object as the API server returns it: a copy with a resourceVersion and whatever others added.</summary>
    private static T Stored<T>(T desired, Action<T>? change = null) where T : IKubernetesObject<V1ObjectMeta>
    {
        var copy = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(desired));
        copy.Metadata.ResourceVersion = "41";
        copy.Metadata.Labels["team"] = "blue";
        change?.Invoke(copy);
        return copy;
    }

    [Fact]
    public void Objects_as_created_need_no_correction()
    {
        var desired = Desired();
        Assert.Null(Drift.Correction(desired.Role, Stored(desired.Role)));
        Assert.Null(Drift.Correction(desired.RoleBinding, Stored(desired.RoleBinding)));
        Assert.Null(Drift.Correction(desired.ServiceAccount, Stored(desired.ServiceAccount)));
        Assert.False(Drift.PointsElsewhere(desired.RoleBinding, Stored(desired.RoleBinding)));
    }

    [Fact]
    public void A_role_whose_rules_were_changed_gets_the_games_rules_back_and_keeps_its_version_and_what_others_added()
    {
        var desired = Desired();
        var stored = Stored(desired.Role, r => r.Rules = [r.Rules[0]]);

        var corrected = Assert.IsType<V1Role>(Drift.Correction(desired.Role, stored));

        Assert.Equal(KubernetesJson.Serialize(desired.Role.Rules), KubernetesJson.Serialize(corrected.Rules));
        Assert.Equal("41", corrected.Metadata.ResourceVersion);
        Assert.Equal("blue", corrected.Metadata.Labels["team"]);
        Assert.Single(stored.Rules); // the stored object is left as it was
    }

    [Fact]
    public void A_binding_whose_subjects_were_changed_binds_the_cowboys_account_again()
    {
        var desired = Desired();
        var stored = Stored(desired.RoleBinding, b => b.Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "intruder", NamespaceProperty = "cowboys" }]);

        var corrected = Assert.IsType<V1RoleBinding>(Drift.Correction(desired.RoleBinding, stored));

        Assert.Equal(desired.RoleBinding.Subjects.Single().Name, corrected.Subjects.Single().Name);
    }

    [Fact]
    public void A_binding_pointing_at_another_role_is_reported_not_corrected_since_the_api_forbids_it()
    {
        var desired = Desired();
        var stored = Stored(desired.RoleBinding, b => b.RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" });

        Assert.True(Drift.PointsElsewhere(desired.RoleBinding, stored));
    }

    [Fact]
    public void The_tie_break_lease_is_never_corrected_since_it_holds_the_games_state()
    {
        var desired = Desired();
        var stored = Stored(desired.TieBreak, l =>
        {
            l.Metadata.Annotations["cowboys.example.com/witness"] = "{\"epoch\": 7}";
            l.Spec = new V1LeaseSpec { HolderIdentity = "full-john-abc" };
        });

        Assert.Null(Drift.Correction(desired.TieBreak, stored));
    }
}
