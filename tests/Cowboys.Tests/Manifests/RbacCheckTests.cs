using Cowboys.Sandbox.Api;
using Xunit;

namespace Cowboys.Tests.Manifests;

public class RbacCheckTests
{
    private static RecordedRequest Request(string method, string path, string query = "") => new(method, path, query, null, "");

    [Fact]
    public void What_the_operator_does_is_allowed()
    {
        Assert.Empty(RbacCheck.Refused(
        [
            Request("GET", "/apis/example.com/v1alpha1/shootouts"),
            Request("GET", "/apis/example.com/v1alpha1/shootouts", "?watch=true&allowWatchBookmarks=true"),
            Request("PUT", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full/status"),
            Request("POST", "/apis/batch/v1/namespaces/cowboys/jobs"),
            Request("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/cowboys/roles"),
            Request("GET", "/api/v1/namespaces/cowboys/configmaps/full-roster"),
            Request("POST", "/api/v1/namespaces/cowboys/events"),
            Request("PUT", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases/cowboys-operator"),
            Request("POST", "/apis/coordination.k8s.io/v1/namespaces/cowboys/leases"),
        ]));
    }

    [Theory]
    [InlineData("DELETE", "/apis/batch/v1/namespaces/cowboys/jobs/full-john")]
    [InlineData("PUT", "/apis/example.com/v1alpha1/namespaces/cowboys/shootouts/full")]
    [InlineData("GET", "/api/v1/namespaces/cowboys/secrets/token")]
    // it may update Leases (to grant the cowboys update on their game's one), never delete one
    [InlineData("DELETE", "/apis/coordination.k8s.io/v1/namespaces/cowboys/leases/full-tiebreak")]
    [InlineData("PATCH", "/apis/coordination.k8s.io/v1/namespaces/cowboys-system/leases/cowboys-operator")]
    [InlineData("PATCH", "/apis/batch/v1/namespaces/cowboys/jobs/full-john")]
    public void What_the_operator_must_not_do_is_refused(string method, string path) =>
        Assert.Single(RbacCheck.Refused([Request(method, path)]));
}
