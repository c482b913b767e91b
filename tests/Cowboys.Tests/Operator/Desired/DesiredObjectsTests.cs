using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Rules;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using k8s.Models;
using Xunit;
using static Cowboys.Tests.Operator.OperatorFixtures;

namespace Cowboys.Tests.Operator.Desired;

public class DesiredObjectsTests
{
    private static (Shootout Shootout, GamePlan Plan, DesiredState Desired) Build(Shootout? shootout = null)
    {
        shootout ??= Shootout();
        var (plan, error) = GamePlan.FromSpec(shootout);
        Assert.Null(error);
        return (shootout, plan!, DesiredObjects.For(shootout, plan!, Options));
    }

    [Fact]
    public void The_sample_needs_a_roster_an_account_a_role_a_binding_a_lease_and_one_job_per_cowboy()
    {
        var (_, _, desired) = Build();
        Assert.Equal("full-roster", desired.Roster.Metadata.Name);
        Assert.Equal("full-cowboys", desired.ServiceAccount.Metadata.Name);
        Assert.Equal("full-cowboys", desired.Role.Metadata.Name);
        Assert.Equal("full-cowboys", desired.RoleBinding.Metadata.Name);
        Assert.Equal(["John", "Bill", "Sam", "Peter", "Philip"], desired.Jobs.Select(j => j.Metadata.Annotations[Labels.CowboyName]));
        Assert.Equal(desired.Jobs.Count, desired.Jobs.Select(j => j.Metadata.Name).Distinct().Count());
        Assert.All(desired.Jobs, j => Assert.True(Names.IsDns1123Label(j.Metadata.Name)));
    }

    [Fact]
    public void Every_object_is_controlled_by_the_shootout_and_labelled_with_it()
    {
        var (shootout, _, desired) = Build();
        foreach (var obj in desired.All())
        {
            var owner = Assert.Single(obj.Metadata.OwnerReferences);
            Assert.Equal((Cowboys.Operator.Entities.Shootout.GroupVersion, Cowboys.Operator.Entities.Shootout.KindName, "full", shootout.Metadata.Uid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
            Assert.True(owner.Controller);
            Assert.True(owner.BlockOwnerDeletion);
            Assert.Equal("cowboys", obj.Metadata.NamespaceProperty);
            Assert.Equal("full", obj.Metadata.Labels[Labels.Shootout]);
            Assert.Equal(Labels.Operator, obj.Metadata.Labels[Labels.ManagedBy]);
        }
    }

    [Fact]
    public void The_roster_config_map_is_immutable_and_holds_the_whole_game()
    {
        var (shootout, plan, desired) = Build(Shootout(seed: 7, beat: "250ms", rules: "simultaneous"));
        Assert.True(desired.Roster.Immutable);
        var back = GamePlan.FromConfigMapData(shootout.Metadata.Name, desired.Roster.Data);
        Assert.NotNull(back);
        Assert.Equal(plan.Roster.Cowboys.ToArray(), back.Roster.Cowboys.ToArray());
        Assert.Equal((RuleSet.Simultaneous, 7L, TimeSpan.FromMilliseconds(250)), (back.Rules, back.Seed, back.Beat));
    }

    [Fact]
    public void The_cowboys_role_can_only_list_pods_and_get_and_update_their_games_one_lease()
    {
        var (_, _, desired) = Build();
        Assert.Equal(2, desired.Role.Rules.Count);
        var rule = desired.Role.Rules[0];
        Assert.Equal([""], rule.ApiGroups);
        Assert.Equal(["pods"], rule.Resources);
        Assert.Equal(["list"], rule.Verbs);
        Assert.Null(rule.ResourceNames);
        var lease = desired.Role.Rules[1];
        Assert.Equal(["coordination.k8s.io"], lease.ApiGroups);
        Assert.Equal(["leases"], lease.Resources);
        Assert.Equal(["get", "update"], lease.Verbs);
        Assert.Equal([desired.TieBreak.Metadata.Name], lease.ResourceNames); // RBAC cannot narrow create by name: the operator creates it
        Assert.Equal("full-tiebreak", desired.TieBreak.Metadata.Name);
        Assert.Equal(desired.TieBreak.Metadata.Name, desired.Jobs[0].Spec.Template.Spec.Containers[0].Args.SkipWhile(a => a != "--lease-name").ElementAt(1));
        var subject = Assert.Single(desired.RoleBinding.Subjects);
        Assert.Equal(("ServiceAccount", "full-cowboys", "cowboys"), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.Equal(("Role", "full-cowboys"), (desired.RoleBinding.RoleRef.Kind, desired.RoleBinding.RoleRef.Name));
    }

    [Fact]
    public void No_service_and_no_pod_hostnames_because_cowboys_reach_each_other_on_pod_ips()
    {
        var (_, _, desired) = Build();
        Assert.DoesNotContain(desired.All(), o => o.Kind == "Service");
        Assert.All(desired.Jobs, j => Assert.Null(j.Spec.Template.Spec.Hostname));
        Assert.All(desired.Jobs, j => Assert.Null(j.Spec.Template.Spec.Subdomain));
        Assert.Equal("$(POD_IP)", desired.Jobs[0].Spec.Template.Spec.Containers[0].Args.SkipWhile(a => a != "--public-host").ElementAt(1));
    }

    [Fact]
    public void A_job_never_restarts_in_place_fails_fast_on_bad_input_and_has_a_deadline()
    {
        var (_, _, desired) = Build();
        foreach (var job in desired.Jobs)
        {
            Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
            Assert.Equal("Failed", job.Spec.PodReplacementPolicy);
            Assert.InRange(job.Spec.BackoffLimit!.Value, 1, 6);
            Assert.Equal((long)Options.GameDeadline.TotalSeconds, job.Spec.ActiveDeadlineSeconds);
            var rules = job.Spec.PodFailurePolicy.Rules;
            Assert.Contains(rules, r => r.Action == "FailJob" && r.OnExitCodes.Values.SequenceEqual([2]));
            Assert.Contains(rules, r => r.Action == "Ignore" && r.OnPodConditions.Any(c => c.Type == "DisruptionTarget"));
        }
    }

    [Fact]
    public void A_cowboy_pod_runs_the_same_cowboy_command_as_play_with_kubernetes_discovery()
    {
        var (_, _, desired) = Build(Shootout(seed: 99, rules: "simultaneous", beat: "2s"));
        var bill = desired.Jobs.Single(j => j.Metadata.Annotations[Labels.CowboyName] == "Bill");
        var args = bill.Spec.Template.Spec.Containers.Single().Args;
        string Arg(string flag) => args[args.IndexOf(flag) + 1];
        Assert.Equal("cowboy", args[0]);
        Assert.Equal("Bill", Arg("--name"));
        Assert.Equal("/etc/cowboys/roster.json", Arg("--roster"));
        Assert.Equal(("99", "simultaneous", "2s"), (Arg("--seed"), Arg("--rules"), Arg("--beat")));
        Assert.Equal("$(POD_IP)", Arg("--public-host"));
        Assert.Equal("kubernetes", Arg("--discovery"));
        Assert.Equal("example.com/shootout=full", Arg("--pod-label-selector"));
        Assert.Equal("$(POD_NAMESPACE)", Arg("--pod-namespace"));
        Assert.Equal("/dev/termination-log", Arg("--termination-log"));
    }

    [Fact]
    public void A_cowboy_pod_is_locked_down_probed_and_bounded()
    {
        var (_, _, desired) = Build();
        var pod = desired.Jobs[0].Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.Equal("full-cowboys", pod.ServiceAccountName);
        var c = Assert.Single(pod.Containers);
        Assert.Equal("cowboys:test", c.Image);
        Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
        Assert.True(c.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
        Assert.Equal(("/alive", "http"), (c.LivenessProbe.HttpGet.Path, c.LivenessProbe.HttpGet.Port.Value));
        Assert.Equal(("/ready", "http"), (c.ReadinessProbe.HttpGet.Path, c.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(["remoting", "http"], c.Ports.Select(p => p.Name));
        Assert.True(c.Resources.Requests.ContainsKey("cpu") && c.Resources.Requests.ContainsKey("memory"));
        Assert.True(c.Resources.Limits.ContainsKey("cpu") && c.Resources.Limits.ContainsKey("memory"));
        var fromDownwardApi = c.Env.Where(e => e.ValueFrom?.FieldRef is not null).ToDictionary(e => e.Name, e => e.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", fromDownwardApi["POD_IP"]);
        Assert.Equal("metadata.name", fromDownwardApi["POD_NAME"]);
        Assert.Equal("metadata.namespace", fromDownwardApi["POD_NAMESPACE"]);
        // `cluster` in the pod finds the pod's own cowboy: declared after POD_IP, which it refers to
        var names = c.Env.Select(e => e.Name).ToList();
        Assert.Equal("http://$(POD_IP):8558", c.Env.Single(e => e.Name == CowboyOptions.EndpointVariable).Value);
        Assert.True(names.IndexOf("POD_IP") < names.IndexOf(CowboyOptions.EndpointVariable));
        Assert.Contains(c.VolumeMounts, m => m.MountPath == "/tmp");
        Assert.Contains(c.VolumeMounts, m => m.MountPath == "/etc/cowboys" && m.ReadOnlyProperty == true);
        Assert.Equal("/dev/termination-log", c.TerminationMessagePath);
    }

    [Fact]
    public void Pod_labels_let_discovery_and_the_operator_find_a_shootouts_pods()
    {
        var (_, _, desired) = Build();
        foreach (var job in desired.Jobs)
        {
            var labels = job.Spec.Template.Metadata.Labels;
            Assert.Equal("full", labels[Labels.Shootout]);
            Assert.Equal(Labels.Operator, labels[Labels.ManagedBy]);
            Assert.Equal(job.Metadata.Name, labels[Labels.Cowboy]);
        }
    }

    [Fact]
    public void The_same_shootout_always_gives_the_same_objects()
    {
        var first = Build().Desired.All().Select(o => k8s.KubernetesJson.Serialize(o));
        var second = Build().Desired.All().Select(o => k8s.KubernetesJson.Serialize(o));
        Assert.Equal(first, second);
    }
}
