using System.Net;
using Cowboys.Host.Discovery;
using k8s.Models;
using Xunit;
using static Cowboys.Tests.Host.Discovery.DiscoveryPods;

namespace Cowboys.Tests.Host.Discovery;

/// <summary>The pure part of pod discovery: which listed pods are contact points, and on which port.</summary>
public class PodTargetsTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "cowboys" };

    private static V1Pod Running(string name, string ip, params (string, int)[] ports) => Pod(name, "ns", Labels, "Running", ip, ports);

    [Fact]
    public void A_running_pod_resolves_to_its_ip_and_the_port_named_like_the_wanted_one()
    {
        var targets = KubernetesPodsDiscovery.Targets([Running("a", "10.0.0.7", ("remoting", 4053), ("http", 8558))], "http");

        var target = Assert.Single(targets);
        Assert.Equal("10.0.0.7", target.Host);
        Assert.Equal(8558, target.Port);
        Assert.Equal(IPAddress.Parse("10.0.0.7"), target.Address);
    }

    [Fact]
    public void Pods_being_deleted_not_running_or_without_an_ip_are_skipped()
    {
        var pods = new[]
        {
            Running("up", "10.0.0.1", ("http", 8558)),
            Pod("leaving", "ns", Labels, "Running", "10.0.0.2", [("http", 8558)], deletionTimestamp: DateTime.UtcNow),
            Pod("pending", "ns", Labels, "Pending", "10.0.0.3", [("http", 8558)]),
            Pod("done", "ns", Labels, "Succeeded", "10.0.0.4", [("http", 8558)]),
            Pod("failed", "ns", Labels, "Failed", "10.0.0.5", [("http", 8558)]),
            Pod("no-ip", "ns", Labels, "Running", null, [("http", 8558)]),
            Pod("blank-ip", "ns", Labels, "Running", " ", [("http", 8558)]),
            new V1Pod { Metadata = new V1ObjectMeta { Name = "no-status" } },
        };

        Assert.Equal(["10.0.0.1"], KubernetesPodsDiscovery.Targets(pods, "http").Select(t => t.Host));
    }

    [Fact]
    public void The_first_container_port_whose_name_contains_the_port_name_wins_across_containers()
    {
        var pod = Running("a", "10.0.0.7", ("remoting", 4053));
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Ports = [new V1ContainerPort { Name = "management-http", ContainerPort = 9000 }, new V1ContainerPort { Name = "http", ContainerPort = 8558 }] });

        Assert.Equal(9000, Assert.Single(KubernetesPodsDiscovery.Targets([pod], "http")).Port);
        Assert.Equal(4053, Assert.Single(KubernetesPodsDiscovery.Targets([pod], "remoting")).Port);
    }

    [Fact]
    public void Without_a_matching_port_or_a_port_name_the_port_is_left_to_the_fallback()
    {
        var pod = Running("a", "10.0.0.7", ("remoting", 4053));
        pod.Spec.Containers.Add(new V1Container { Name = "no-ports" });

        Assert.Null(Assert.Single(KubernetesPodsDiscovery.Targets([pod], "http")).Port);
        Assert.Null(Assert.Single(KubernetesPodsDiscovery.Targets([pod], null)).Port);
    }

    [Fact]
    public void Every_running_pod_becomes_one_target_in_list_order()
    {
        var pods = Enumerable.Range(1, 5).Select(i => Running($"c{i}", $"10.0.0.{i}", ("http", 8000 + i))).ToList();

        var targets = KubernetesPodsDiscovery.Targets(pods, "http");

        Assert.Equal(Enumerable.Range(1, 5).Select(i => ($"10.0.0.{i}", (int?)(8000 + i))), targets.Select(t => (t.Host, t.Port)));
    }

    [Fact]
    public void The_label_selector_takes_the_service_name_and_the_namespace_falls_back_to_the_service_account_then_default()
    {
        var settings = new KubernetesPodsDiscoverySettings(null, "app={0},tier!=db", "http");
        Assert.Equal("app=cowboys,tier!=db", settings.LabelSelectorFor("cowboys"));

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "wild-west\n");
            Assert.Equal("wild-west", settings.ResolveNamespace(file));
            Assert.Equal("configured", (settings with { PodNamespace = "configured" }).ResolveNamespace(file));
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal("default", settings.ResolveNamespace(Path.Combine(Path.GetTempPath(), "no-such-dir", "namespace")));
    }
}
