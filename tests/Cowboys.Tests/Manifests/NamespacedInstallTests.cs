using Cowboys.Operator;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary><c>kubectl kustomize manifests/namespaced</c>: the operator with grants in the namespaces it watches only.</summary>
public class NamespacedInstallTests
{
    private static readonly Lazy<IReadOnlyList<Dictionary<string, object?>>> LazyInstall = new(() => Kustomize.Render("manifests/namespaced"));

    private static IReadOnlyList<Dictionary<string, object?>> Install => LazyInstall.Value;

    [Fact]
    public void It_has_no_cluster_wide_object_and_no_crd_which_an_admin_installs()
    {
        Assert.DoesNotContain(Install, o => o.Kind() is "ClusterRole" or "ClusterRoleBinding" or "CustomResourceDefinition");
        var objects = Install.Select(o => $"{o.Kind()}/{o.Str("metadata.namespace")}/{o.Name()}").Order().ToList();
        Assert.Equal(
            new[]
            {
                "Deployment/cowboys-system/cowboys-operator", "Namespace//cowboys-system", "Role/cowboys-system/cowboys-operator-leader-election",
                "Role/cowboys/cowboys-operator", "RoleBinding/cowboys-system/cowboys-operator-leader-election", "RoleBinding/cowboys/cowboys-operator",
                "ServiceAccount/cowboys-system/cowboys-operator",
            }.Order(),
            objects);
    }

    [Fact]
    public void The_role_in_the_watched_namespace_grants_what_the_cluster_role_grants_everywhere()
    {
        var cluster = Kustomize.Render("manifests").Single("ClusterRole", "cowboys-operator");
        var role = Install.Single("Role", "cowboys-operator");
        Assert.Equal(cluster.List("rules").SelectMany(OperatorManifestTests.Grants).Order(), role.List("rules").SelectMany(OperatorManifestTests.Grants).Order());
        var binding = Install.Single("RoleBinding", "cowboys-operator");
        Assert.Equal(("Role", "cowboys-operator", "cowboys"), (binding.Str("roleRef.kind"), binding.Str("roleRef.name"), binding.Str("metadata.namespace")));
        var subject = Assert.Single(binding.List("subjects"));
        Assert.Equal(("ServiceAccount", "cowboys-operator", "cowboys-system"), (subject.Str("kind"), subject.Str("name"), subject.Str("namespace")));
    }

    [Fact]
    public void The_operator_is_told_to_watch_exactly_the_namespaces_it_has_a_role_in()
    {
        var env = Install.Single("Deployment", "cowboys-operator").List("spec.template.spec.containers")[0].List("env")
            .Where(e => e.Str("value") is not null)
            .ToDictionary(e => e.Str("name")!.Replace("__", ":", StringComparison.Ordinal), e => e.Str("value"));
        var options = OperatorOptions.From(new ConfigurationBuilder().AddInMemoryCollection(env).Build());
        var roles = Install.Where(o => o.Kind() == "Role" && o.Name() == "cowboys-operator").Select(o => o.Str("metadata.namespace")!);
        Assert.Equal(roles.Order(), options.Namespaces.Order());
    }
}
