using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Discovery.Config.Hosting;
using Akka.Hosting;
using Akka.Management;
using Akka.Management.Dsl;
using Akka.Management.Cluster.Bootstrap;
using Akka.Management.Cluster.Bootstrap.ContactPoint;
using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Settings;
using Cowboys.Host.Discovery;
using Newtonsoft.Json;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// How cowboy processes find each other and form exactly one cluster: Akka.Management's
/// Cluster Bootstrap. A node only starts a new cluster when it has probed every one of the
/// contact points, none of them is in a cluster yet, and it has the lowest address; everybody
/// else (and every restarted cowboy) joins the cluster a contact point reports.
/// The contact points come from a fixed list (play: the first few cowboys, the same list for
/// everybody, so the N members probe K contact points, not N) or from the Kubernetes API
/// (every cowboy's pod, through <see cref="Discovery.KubernetesPodsDiscovery"/>).
/// Akka.Management's own HTTP server does not start with the packages served here, so the
/// contact-point route is served by this process's ASP.NET Core endpoint instead
/// (docs/decisions/0002-cluster-formation.md).
/// </summary>
public static class ClusterFormation
{
    public const string ServiceName = "cowboys";

    public static AkkaConfigurationBuilder WithClusterBootstrap(this AkkaConfigurationBuilder builder, CowboyOptions options, int cowboyCount)
    {
        var publicHost = options.PublicHost ?? options.Host;
        var kubernetes = options.Discovery == DiscoveryMode.Kubernetes;
        // a fixed list (play) is the same for everybody, so all of it is required; in a pod, every cowboy's pod
        var required = kubernetes ? cowboyCount : options.ContactPoints.Count;
        var probe = ClusterScale.For(cowboyCount).ProbeInterval;
        // a contact point is given up only after several missed probes
        var probeFailure = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, 4 * probe.Ticks));
        builder = kubernetes
            ? builder.AddHocon(KubernetesDiscoveryHocon(options), HoconAddMode.Prepend)
            : builder.WithConfigDiscovery(d => d.Services.Add(new Service { Name = ServiceName, Endpoints = options.ContactPoints.ToArray() }));
        return builder
            // bootstrap recognises itself among the contact points by this hostname and port: the
            // host the discovery list uses for this node (in a pod, the pod IP) and the HTTP port
            .WithAkkaManagement(hostName: publicHost, port: options.HttpPort, autoStart: false)
            .WithClusterBootstrap(b =>
            {
                b.ContactPointDiscovery.ServiceName = ServiceName;
                b.ContactPointDiscovery.RequiredContactPointsNr = required;
                b.ContactPoint.FilterOnFallbackPort = false;
                if (kubernetes)
                {
                    b.ContactPointDiscovery.DiscoveryMethod = KubernetesPodsDiscoverySettings.Method;
                    // each pod's contact point is its container port of this name
                    b.ContactPointDiscovery.PortName = options.PodPortName;
                }
            }, autoStart: false)
            .AddHocon($$"""
                akka.management.cluster.bootstrap {
                  contact-point-discovery {
                    stable-margin = 200ms
                    interval = 250ms
                    exponential-backoff-max = 1s
                    contact-with-all-contact-points = true
                  }
                  contact-point {
                    probe-interval = {{Duration.Format(probe)}}
                    probe-interval-jitter = 0.2
                    probing-failure-timeout = {{Duration.Format(probeFailure)}}
                  }
                }
                """, HoconAddMode.Prepend)
            .AddStartup(async (system, _) =>
            {
                // Routes() sets bootstrap's own contact point without binding Akka.Management's
                // HTTP server; it may only be called once.
                AkkaManagement.Get(system).Routes();
                await ClusterBootstrap.Get(system).Start();
                // the same discovery and lookup as bootstrap's, to say what it finds
                var discovery = kubernetes
                    ? Akka.Discovery.Discovery.Get(system).LoadServiceDiscovery(KubernetesPodsDiscoverySettings.Method)
                    : Akka.Discovery.Discovery.Get(system).Default;
                var lookup = new Akka.Discovery.Lookup(ServiceName, kubernetes ? options.PodPortName : null, kubernetes ? "tcp" : null);
                DiscoveryWatch.Start(system, discovery, lookup, required);
            });
    }

    /// <summary>Registers the pod discovery plugin with the cowboy's selector, namespace and port name.</summary>
    public static string KubernetesDiscoveryHocon(CowboyOptions options)
    {
        var settings = new KubernetesPodsDiscoverySettings(options.PodNamespace, options.PodLabelSelector!, options.PodPortName);
        return $"akka.discovery.method = {KubernetesPodsDiscoverySettings.Method}\n" + settings.ToHocon();
    }

    /// <summary>
    /// GET /bootstrap/seed-nodes, the contact-point route, with the body Akka.Management's client
    /// parses: this node's address and up to five reachable Up/WeaklyUp/Joining members; no
    /// members once this node is leaving or down, so nobody joins through it.
    /// </summary>
    public static void MapBootstrapContactPoint(this WebApplication app)
    {
        app.MapGet("/bootstrap/seed-nodes", (ActorSystem system) =>
        {
            var cluster = Cluster.Get(system);
            var state = cluster.State;
            var members = cluster.SelfMember.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining
                ? state.Members
                    .Where(m => !state.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining)
                    .Take(5)
                    .Select(m => new HttpBootstrapJsonProtocol.ClusterMember(m.Address, m.UniqueAddress.Uid, m.Status, m.Roles))
                    .ToImmutableList()
                : ImmutableList<HttpBootstrapJsonProtocol.ClusterMember>.Empty;
            var body = new HttpBootstrapJsonProtocol.SeedNodes(cluster.SelfAddress, members);
            return Results.Text(JsonConvert.SerializeObject(body), "application/json");
        });
    }
}
