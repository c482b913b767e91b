using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Cowboys.Host.Discovery;
using Xunit;
using Cowboys.Sandbox.Api;
using static Cowboys.Tests.Host.Discovery.DiscoveryPods;
using Lookup = Akka.Discovery.Lookup;

namespace Cowboys.Tests.Host.Discovery;

/// <summary>
/// The discovery plugin as Cluster Bootstrap loads it (akka.discovery.kubernetes-pods), against a
/// sandbox API server (tests/Cowboys.Sandbox), configured through KUBECONFIG.
/// </summary>
public sealed class KubernetesPodsDiscoveryTests : IAsyncLifetime
{
    private const string Namespace = "wild-west";
    private static readonly Dictionary<string, string> GameLabels = new() { ["example.com/shootout"] = "full" };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-discovery-");
    private ApiServer _api = null!;
    private EnvironmentVariableScope _kubeconfig = null!;
    private ActorSystem? _system;

    public async Task InitializeAsync()
    {
        _api = await ApiServer.StartAsync();
        _kubeconfig = new EnvironmentVariableScope("KUBECONFIG", _api.WriteKubeconfigIn(_dir.FullName));
    }

    public async Task DisposeAsync()
    {
        if (_system is not null) await _system.Terminate();
        _kubeconfig.Dispose();
        await _api.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private KubernetesPodsDiscovery Plugin(string? podNamespace = Namespace, string selector = "example.com/shootout=full", string portName = "http")
    {
        var settings = new KubernetesPodsDiscoverySettings(podNamespace, selector, portName);
        var config = ConfigurationFactory.ParseString(settings.ToHocon() + "\nakka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        _system = ActorSystem.Create("discovery-test", config);
        return Assert.IsType<KubernetesPodsDiscovery>(Akka.Discovery.Discovery.Get(_system).LoadServiceDiscovery(KubernetesPodsDiscoverySettings.Method));
    }

    [Fact]
    public async Task A_lookup_lists_the_pods_of_the_configured_namespace_with_the_selector_and_resolves_the_running_ones()
    {
        _api.Add(Pod("john", Namespace, GameLabels, "Running", "10.1.0.1", [("remoting", 4053), ("http", 8558)]))
            .Add(Pod("bill", Namespace, GameLabels, "Running", "10.1.0.2", [("remoting", 4053), ("http", 8559)]))
            .Add(Pod("leaving", Namespace, GameLabels, "Running", "10.1.0.3", [("http", 8558)], deletionTimestamp: DateTime.UtcNow))
            .Add(Pod("starting", Namespace, GameLabels, "Pending", null, [("http", 8558)]))
            .Add(Pod("other-game", Namespace, new Dictionary<string, string> { ["example.com/shootout"] = "other" }, "Running", "10.1.0.9", [("http", 8558)]))
            .Add(Pod("other-namespace", "elsewhere", GameLabels, "Running", "10.2.0.1", [("http", 8558)]));

        var resolved = await Plugin().Lookup(new Lookup("cowboys", "http", "tcp"), TimeSpan.FromSeconds(5));

        Assert.Equal("cowboys", resolved.ServiceName);
        // in the API's order: by name (etcd's key order), bill before john
        Assert.Equal([("10.1.0.2", (int?)8559), ("10.1.0.1", (int?)8558)], resolved.Addresses.Select(a => (a.Host, a.Port)));
        var request = Assert.Single(_api.Requests);
        Assert.Equal(("GET", Namespace), (request.Method, request.PodsNamespace()));
        Assert.Equal("example.com/shootout=full", request.QueryValue("labelSelector"));
        Assert.Equal("Bearer fake-token", request.Authorization);
    }

    [Fact]
    public async Task The_service_name_fills_the_selector_and_the_lookups_port_name_picks_the_port()
    {
        _api.Add(Pod("john", Namespace, new Dictionary<string, string> { ["app"] = "cowboys" }, "Running", "10.1.0.1", [("remoting", 4053), ("http", 8558)]));

        var resolved = await Plugin(selector: "app={0}").Lookup(new Lookup("cowboys", "remoting"), TimeSpan.FromSeconds(5));

        Assert.Equal(4053, Assert.Single(resolved.Addresses).Port);
        Assert.Equal("app=cowboys", Assert.Single(_api.Requests).QueryValue("labelSelector"));
    }

    [Fact]
    public async Task A_lookup_without_a_port_name_uses_the_configured_pod_port_name()
    {
        _api.Add(Pod("john", Namespace, GameLabels, "Running", "10.1.0.1", [("remoting", 4053), ("contact", 8600)]));

        var resolved = await Plugin(portName: "contact").Lookup(new Lookup("cowboys"), TimeSpan.FromSeconds(5));

        Assert.Equal(8600, Assert.Single(resolved.Addresses).Port);
    }

    [SkippableFact]
    public async Task Without_a_configured_namespace_outside_a_pod_the_default_namespace_is_listed()
    {
        Skip.If(File.Exists(KubernetesPodsDiscoverySettings.ServiceAccountNamespaceFile), "this machine has a service-account namespace file");
        _api.Add(Pod("john", "default", GameLabels, "Running", "10.1.0.1", [("http", 8558)]));

        var resolved = await Plugin(podNamespace: null).Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5));

        Assert.Single(resolved.Addresses);
        Assert.Equal("default", Assert.Single(_api.Requests).PodsNamespace());
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", "500")]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden", "Role")]
    public async Task An_error_status_from_the_api_fails_the_lookup_with_the_status_in_the_message(HttpStatusCode status, string reason, string named)
    {
        _api.FailNext(_ => true, (int)status, reason, $"stand-in failure {(int)status}");

        var failure = await Assert.ThrowsAsync<KubernetesPodsDiscoveryException>(() => Plugin().Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5)));

        Assert.Contains(named, failure.Message);
        Assert.Contains(Namespace, failure.Message);
        Assert.Contains("stand-in failure", failure.Message); // the API's own explanation is kept
    }

    [Fact]
    public async Task An_api_server_that_is_down_fails_the_lookup()
    {
        var plugin = Plugin();
        await _api.DisposeAsync();
        _api = await ApiServer.StartAsync(); // for DisposeAsync; KUBECONFIG still names the stopped one

        var failure = await Assert.ThrowsAsync<KubernetesPodsDiscoveryException>(() => plugin.Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5)));

        Assert.Contains("could not list pods", failure.Message);
    }

    [Fact]
    public async Task A_failed_lookup_leaves_the_plugin_ready_for_bootstraps_retry()
    {
        _api.Add(Pod("john", Namespace, GameLabels, "Running", "10.1.0.1", [("http", 8558)]));
        _api.FailNext(_ => true, (int)HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        var plugin = Plugin();
        await Assert.ThrowsAsync<KubernetesPodsDiscoveryException>(() => plugin.Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5)));

        var resolved = await plugin.Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5));

        Assert.Single(resolved.Addresses);
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task An_api_server_slower_than_the_resolve_timeout_fails_the_lookup_in_time()
    {
        _api.DelayNext(_ => true, TimeSpan.FromSeconds(10));
        var plugin = Plugin();
        var started = DateTime.UtcNow;

        var failure = await Assert.ThrowsAsync<KubernetesPodsDiscoveryException>(() => plugin.Lookup(new Lookup("cowboys", "http"), TimeSpan.FromMilliseconds(300)));

        Assert.Contains("no answer", failure.Message);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [SkippableFact]
    public async Task Without_kubeconfig_outside_a_pod_the_lookup_fails_saying_so()
    {
        Skip.If(k8s.KubernetesClientConfiguration.IsInCluster(), "this test runs in a pod");
        using var unset = new EnvironmentVariableScope("KUBECONFIG", null);

        var failure = await Assert.ThrowsAsync<KubernetesPodsDiscoveryException>(() => Plugin().Lookup(new Lookup("cowboys", "http"), TimeSpan.FromSeconds(5)));

        Assert.Contains("KUBECONFIG", failure.Message);
    }
}
