using Xunit;

namespace Cowboys.Tests.Manifests;

/// <summary>The operator's install as <c>kubectl kustomize manifests</c> renders it: pod security and least-privilege RBAC.</summary>
public class OperatorManifestTests
{
    private const string Namespace = "cowboys-system";
    private const string Operator = "cowboys-operator";

    private static readonly Lazy<IReadOnlyList<Dictionary<string, object?>>> LazyInstall = new(() => Kustomize.Render("manifests"));

    private static IReadOnlyList<Dictionary<string, object?>> Install => LazyInstall.Value;

    private static Dictionary<string, object?> Deployment => Install.Single("Deployment", Operator);

    private static Dictionary<string, object?> PodSpec => Deployment.Map("spec.template.spec");

    private static IEnumerable<Dictionary<string, object?>> Containers =>
        PodSpec.List("containers").Concat(PodSpec.At("initContainers") as List<object?> ?? []).Cast<Dictionary<string, object?>>();

    /// <summary>A rule's grants as (apiGroup, resource, verb) triples.</summary>
    internal static IEnumerable<(string Group, string Resource, string Verb)> Grants(object? rule) =>
        from g in rule.Strings("apiGroups")
        from r in rule.Strings("resources")
        from v in rule.Strings("verbs")
        select (g, r, v);

    /// <summary>Every place a rule uses a wildcard, as "field=value".</summary>
    internal static IEnumerable<string> Wildcards(object? rule) =>
        from field in new[] { "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs" }
        from value in rule.Strings(field)
        where value.Contains('*')
        select $"{field}={value}";

    private static IEnumerable<Dictionary<string, object?>> RbacRoles => Install.Where(o => o.Kind() is "Role" or "ClusterRole");

    [Fact]
    public void The_install_renders_the_crd_the_namespace_and_the_operator_and_no_sample()
    {
        var objects = Install.Select(o => $"{o.Kind()}/{o.Name()}").Order().ToList();
        Assert.Equal(
            new[]
            {
                "ClusterRole/cowboys-operator", "ClusterRoleBinding/cowboys-operator", "CustomResourceDefinition/shootouts.example.com",
                "Deployment/cowboys-operator", "Namespace/cowboys-system", "Role/cowboys-operator-leader-election",
                "RoleBinding/cowboys-operator-leader-election", "ServiceAccount/cowboys-operator",
            }.Order(),
            objects);
    }

    [Fact]
    public void Every_namespaced_object_of_the_install_is_in_cowboys_system()
    {
        foreach (var o in Install.Where(o => o.Kind() is not ("Namespace" or "CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding")))
        {
            Assert.True(o.Str("metadata.namespace") == Namespace, $"{o.Kind()}/{o.Name()} is in namespace {o.Str("metadata.namespace") ?? "(none)"}");
        }
    }

    [Fact]
    public void The_operator_pod_runs_as_a_non_root_user_with_the_runtime_default_seccomp_profile()
    {
        var security = PodSpec.Map("securityContext");
        Assert.Equal(true, security.At("runAsNonRoot"));
        Assert.Equal(1654L, security.At("runAsUser"));
        Assert.Equal(1654L, security.At("runAsGroup"));
        Assert.Equal("RuntimeDefault", security.Str("seccompProfile.type"));
    }

    [Fact]
    public void Every_operator_container_drops_all_capabilities_cannot_escalate_and_has_a_read_only_root()
    {
        Assert.NotEmpty(Containers);
        foreach (var container in Containers)
        {
            var name = container.Str("name");
            Assert.True(container.At("securityContext.allowPrivilegeEscalation") is false, $"{name}: allowPrivilegeEscalation must be false");
            Assert.True(container.At("securityContext.readOnlyRootFilesystem") is true, $"{name}: readOnlyRootFilesystem must be true");
            Assert.Equal(["ALL"], container.Strings("securityContext.capabilities.drop"));
            Assert.Null(container.At("securityContext.capabilities.add"));
            Assert.Null(container.At("securityContext.privileged"));
        }
    }

    [Fact]
    public void Every_operator_container_has_liveness_and_readiness_probes_on_its_http_port()
    {
        foreach (var container in Containers)
        {
            var port = Assert.Single(container.List("ports"), p => p.Str("name") == "http");
            Assert.Equal(8080L, port.At("containerPort"));
            Assert.Equal("/alive", container.Str("livenessProbe.httpGet.path"));
            Assert.Equal("http", container.Str("livenessProbe.httpGet.port"));
            Assert.Equal("/ready", container.Str("readinessProbe.httpGet.path"));
            Assert.Equal("http", container.Str("readinessProbe.httpGet.port"));
        }
    }

    [Fact]
    public void Every_operator_container_requests_and_limits_cpu_and_memory()
    {
        foreach (var container in Containers)
        {
            foreach (var path in new[] { "resources.requests.cpu", "resources.requests.memory", "resources.limits.cpu", "resources.limits.memory" })
            {
                Assert.False(string.IsNullOrEmpty(container.At(path)?.ToString()), $"{container.Str("name")}: {path} is missing");
            }
        }
    }

    [Fact]
    public void The_read_only_root_has_a_writable_emptyDir_at_tmp()
    {
        foreach (var container in Containers)
        {
            var mount = Assert.Single(container.List("volumeMounts"), m => m.Str("mountPath") == "/tmp");
            var volume = Assert.Single(PodSpec.List("volumes"), v => v.Str("name") == mount.Str("name"));
            Assert.NotNull(volume.At("emptyDir"));
        }
    }

    [Fact]
    public void The_operator_runs_the_dev_image_as_its_service_account_with_its_identity_and_the_cowboy_image()
    {
        Assert.Equal(Operator, PodSpec.Str("serviceAccountName"));
        Assert.Equal(true, PodSpec.At("automountServiceAccountToken"));
        var container = Assert.Single(Containers);
        Assert.Equal("cowboys-operator:dev", container.Str("image"));
        Assert.Equal("IfNotPresent", container.Str("imagePullPolicy"));
        // two replicas elect a leader; a local run does not
        Assert.Equal(["--leader-elect"], container.List("args").Select(a => a?.ToString()));
        var env = container.List("env").ToDictionary(e => e.Str("name")!, e => e);
        Assert.Equal("cowboys:dev", env["Operator__CowboyImage"].Str("value"));
        Assert.Equal("metadata.name", env["Operator__Identity"].Str("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", env["Operator__LeaseNamespace"].Str("valueFrom.fieldRef.fieldPath"));
        // spelt out so that a node without network namespaces (the sandbox) binds the pod's own address
        Assert.Equal("0.0.0.0", env["Operator__BindAddress"].Str("value"));
        Assert.Equal(Namespace, Deployment.Str("metadata.namespace"));
        var selector = Deployment.Map("spec.selector.matchLabels");
        var labels = Deployment.Map("spec.template.metadata.labels");
        Assert.All(selector, s => Assert.Equal(s.Value, labels.GetValueOrDefault(s.Key)));
    }

    [Fact]
    public void The_wildcard_check_finds_a_star_in_any_field_of_a_rule()
    {
        var rule = Kustomize.Documents("{apiGroups: ['*'], resources: [pods], verbs: [get, '*']}")[0];
        Assert.Equal(["apiGroups=*", "verbs=*"], Wildcards(rule));
    }

    [Fact]
    public void No_rbac_rule_anywhere_uses_a_wildcard()
    {
        Assert.NotEmpty(RbacRoles);
        foreach (var role in RbacRoles)
        {
            foreach (var rule in role.List("rules"))
            {
                Assert.True(!Wildcards(rule).Any(), $"{role.Kind()}/{role.Name()} has a wildcard: {string.Join(", ", Wildcards(rule))}");
            }
        }
    }

    [Fact]
    public void The_cluster_role_grants_exactly_what_the_operator_needs_and_nothing_more()
    {
        var role = Install.Single("ClusterRole", Operator);
        var expected = new HashSet<(string, string, string)>();
        void Allow(string group, string[] resources, string[] verbs)
        {
            foreach (var r in resources) foreach (var v in verbs) expected.Add((group, r, v));
        }
        Allow("example.com", ["shootouts"], ["get", "list", "watch"]);
        Allow("example.com", ["shootouts/status"], ["update"]);
        Allow("", ["configmaps"], ["get", "create"]);
        Allow("", ["serviceaccounts"], ["get", "create"]);
        Allow("", ["pods"], ["list", "watch"]);
        Allow("batch", ["jobs"], ["list", "watch", "create", "delete"]); // delete: a decided game's stragglers (decision 0014)
        Allow("rbac.authorization.k8s.io", ["roles", "rolebindings"], ["get", "create", "update"]);
        Allow("", ["events"], ["create"]);
        Allow("coordination.k8s.io", ["leases"], ["get", "create", "update"]); // each game's tie-break Lease, and what it grants the cowboys on it

        var rules = role.List("rules");
        var granted = rules.SelectMany(Grants).ToHashSet();
        Assert.Equal(expected.Order(), granted.Order());
        Assert.All(rules, r => Assert.Null(r.At("resourceNames")));
        Assert.All(rules, r => Assert.Null(r.At("nonResourceURLs")));
        Assert.Null(role.At("aggregationRule"));
    }

    [Fact]
    public void The_leader_election_role_only_creates_the_lease_and_reads_and_renews_the_one_named_cowboys_operator()
    {
        var role = Install.Single("Role", "cowboys-operator-leader-election");
        Assert.Equal(Namespace, role.Str("metadata.namespace"));
        var rules = role.List("rules");
        Assert.Equal(
            new[] { ("coordination.k8s.io", "leases", "create"), ("coordination.k8s.io", "leases", "get"), ("coordination.k8s.io", "leases", "update") },
            rules.SelectMany(Grants).Order());
        foreach (var rule in rules.Where(r => r.Strings("verbs").Any(v => v != "create")))
        {
            Assert.Equal([Operator], rule.Strings("resourceNames"));
        }
    }

    [Fact]
    public void Both_bindings_give_their_role_to_the_operator_s_service_account()
    {
        var account = Install.Single("ServiceAccount", Operator);
        foreach (var (kind, name, roleKind, roleName) in new[]
                 {
                     ("ClusterRoleBinding", Operator, "ClusterRole", Operator),
                     ("RoleBinding", "cowboys-operator-leader-election", "Role", "cowboys-operator-leader-election"),
                 })
        {
            var binding = Install.Single(kind, name);
            Assert.Equal(roleKind, binding.Str("roleRef.kind"));
            Assert.Equal(roleName, binding.Str("roleRef.name"));
            Assert.Equal("rbac.authorization.k8s.io", binding.Str("roleRef.apiGroup"));
            var subject = Assert.Single(binding.List("subjects"));
            Assert.Equal(("ServiceAccount", account.Name(), account.Str("metadata.namespace")), (subject.Str("kind"), subject.Str("name"), subject.Str("namespace")));
        }
    }
}
