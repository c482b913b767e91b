using Cowboys.Operator.Desired;
using Cowboys.Sandbox.Api;
using Xunit;

namespace Cowboys.Tests.Manifests;

public class RbacCheckTests
{
    private static RecordedRequest Request(string method, string path, string query = "") => new(method, path, query, null, "");

    /// <summary>What the cowboys' Role grants them, which the operator must hold to grant.</summary>
    internal static IEnumerable<(string, string, string)> HandedOut =>
        from rule in DesiredObjects.PodReaderRole(Cowboys.Tests.Operator.OperatorFixtures.Shootout()).Rules
        from g in rule.ApiGroups
        from r in rule.Resources
        from v in rule.Verbs
        select (g, r, v);

    /// <summary>One of each request a whole game makes: leader election, watches, the set-up, the status, the sweep of stragglers.</summary>
    private static readonly RecordedRequest[] AGame =
    [
        Request("POST", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases"),
        Request("GET", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases/cowboys-operator"),
        Request("PUT", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases/cowboys-operator"),
        Request("GET", "/apis/example.com/v1alpha1/shootouts"),
        Request("GET", "/apis/example.com/v1alpha1/shootouts", "?watch=true&allowWatchBookmarks=true"),
        Request("GET", "/apis/batch/v1/jobs"),
        Request("GET", "/apis/batch/v1/jobs", "?watch=true"),
        Request("GET", "/api/v1/pods"),
        Request("GET", "/api/v1/pods", "?watch=true"),
        Request("GET", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full"),
        Request("GET", "/api/v1/namespaces/cowboys/configmaps/full-roster"),
        Request("POST", "/api/v1/namespaces/cowboys/configmaps"),
        Request("GET", "/api/v1/namespaces/cowboys/serviceaccounts/full-cowboys"),
        Request("POST", "/api/v1/namespaces/cowboys/serviceaccounts"),
        Request("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/roles/full-cowboys"),
        Request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/roles"),
        Request("PUT", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/roles/full-cowboys"),
        Request("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/rolebindings/full-cowboys"),
        Request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/rolebindings"),
        Request("PUT", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/rolebindings/full-cowboys"),
        Request("GET", "/apis/coordination.k8s.io/v1/namespaces/cowboys/leases/full-tiebreak"),
        Request("POST", "/apis/coordination.k8s.io/v1/namespaces/cowboys/leases"),
        Request("POST", "/apis/batch/v1/namespaces/cowboys/jobs"),
        Request("PUT", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full/status"),
        Request("POST", "/api/v1/namespaces/cowboys/events"),
        Request("DELETE", "/apis/batch/v1/namespaces/cowboys/jobs/full-peter"),
    ];

    [Fact]
    public void What_the_operator_does_is_allowed() => Assert.Empty(RbacCheck.Refused(AGame));

    [Fact]
    public void Every_grant_of_the_install_is_used_by_a_game_or_handed_out_to_the_cowboys() =>
        Assert.Empty(RbacCheck.Unused(RbacCheck.Grants(), AGame, HandedOut));

    [Fact]
    public void A_grant_no_request_uses_is_reported()
    {
        var unused = RbacCheck.Unused(RbacCheck.Grants(), AGame.Where(r => r.Method != "DELETE"), HandedOut);
        Assert.Equal("ClusterRole/cowboys-operator: delete batch/jobs", Assert.Single(unused));
    }

    [Fact]
    public void A_grant_is_reported_unless_the_operator_hands_it_out()
    {
        Grant[] grants = [new("ClusterRole/x", null, "", "pods", "get", null), new("ClusterRole/x", null, "", "pods", "list", null)];
        Assert.Equal(["ClusterRole/x: get core/pods", "ClusterRole/x: list core/pods"], RbacCheck.Unused(grants, [], []));
        Assert.Equal(["ClusterRole/x: list core/pods"], RbacCheck.Unused(grants, [], [("", "pods", "get")]));
        Assert.Empty(RbacCheck.Unused(grants, [Request("GET", "/api/v1/namespaces/a/pods")], [("", "pods", "get")]));
        // the install's Lease get is asked only by leader election in cowboys-system; the cowboys are handed it in theirs
        Assert.Contains("ClusterRole/cowboys-operator: get coordination.k8s.io/leases", RbacCheck.Unused(RbacCheck.Grants(), [], []));
        Assert.DoesNotContain("ClusterRole/cowboys-operator: get coordination.k8s.io/leases", RbacCheck.Unused(RbacCheck.Grants(), [], HandedOut));
    }

    [Fact]
    public void A_role_allows_only_in_its_own_namespace_and_only_the_names_it_lists()
    {
        Grant[] grants = [new("Role/r", "a", "coordination.k8s.io", "leases", "get", "mine")];
        Assert.Empty(RbacCheck.Refused(grants, [Request("GET", "/apis/coordination.k8s.io/v1/namespaces/a/leases/mine")]));
        Assert.Single(RbacCheck.Refused(grants, [Request("GET", "/apis/coordination.k8s.io/v1/namespaces/b/leases/mine")]));
        Assert.Single(RbacCheck.Refused(grants, [Request("GET", "/apis/coordination.k8s.io/v1/namespaces/a/leases/other")]));
        Assert.Single(RbacCheck.Refused(grants, [Request("GET", "/apis/coordination.k8s.io/v1/leases")]));
    }

    [Theory]
    [InlineData("PATCH", "/apis/batch/v1/namespaces/cowboys/jobs/full-john")]
    [InlineData("PUT", "/apis/batch/v1/namespaces/cowboys/jobs/full-john")]
    [InlineData("PUT", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full")]
    [InlineData("PATCH", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full/status")]
    [InlineData("GET", "/api/v1/namespaces/cowboys/secrets/token")]
    [InlineData("GET", "/api/v1/namespaces/cowboys/pods/full-john-x7k2q")]
    [InlineData("GET", "/api/v1/namespaces/cowboys/services")]
    [InlineData("POST", "/api/v1/namespaces/cowboys/services")]
    [InlineData("DELETE", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/roles/full-cowboys")]
    [InlineData("PATCH", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/rolebindings/full-cowboys")]
    [InlineData("PUT", "/api/v1/namespaces/cowboys/serviceaccounts/full-cowboys")]
    [InlineData("POST", "/apis/events.k8s.io/v1/namespaces/cowboys/events")]
    [InlineData("DELETE", "/apis/batch/v1/namespaces/cowboys/jobs")]
    // it may update Leases (to grant the cowboys update on their game's one), never delete one
    [InlineData("DELETE", "/apis/coordination.k8s.io/v1/namespaces/cowboys/leases/full-tiebreak")]
    [InlineData("PATCH", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases/cowboys-operator")]
    public void What_the_operator_must_not_do_is_refused(string method, string path) =>
        Assert.Single(RbacCheck.Refused([Request(method, path)]));

    [Theory]
    [InlineData("GET", "/apis/example.com/v1alpha1/shootouts")]
    [InlineData("GET", "/api/v1/pods")]
    [InlineData("POST", "/apis/batch/v1/namespaces/elsewhere/jobs")]
    public void The_namespaced_install_refuses_what_lies_outside_its_namespaces(string method, string path)
    {
        Assert.Single(RbacCheck.Refused([Request(method, path)], "manifests/namespaced"));
        Assert.Empty(RbacCheck.Refused([Request(method, path)]));
    }
}
