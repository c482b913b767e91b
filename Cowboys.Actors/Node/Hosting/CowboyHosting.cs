using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Actors.Node.Leader;
using Cowboys.Actors.Game.Settings;
using Cowboys.Actors.Node.Serialization;
using Cowboys.Actors.Telemetry;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Coordination;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>The composition of one cowboy process: remoting, clustering, the leader singleton and the cowboy.</summary>
public static class CowboyHosting
{
    /// <summary>A cowboy process: a cluster member with the leader singleton, hosting this cowboy's actor.</summary>
    public static AkkaConfigurationBuilder WithCowboy(this AkkaConfigurationBuilder builder, CowboyNodeOptions node, GameSettings game, IGameObserver? observer = null) =>
        builder.WithCowboyCluster(node, game, CowboyActor.Props(game, node.Name, observer, node.StateDirectory, node.FirstIncarnation));

    /// <summary>
    /// The same member with the given actor as its cowboy (at /user/cowboy, where the leader looks
    /// for it): remoting, clustering, the wire serializer, the leader singleton and the timings.
    /// </summary>
    public static AkkaConfigurationBuilder WithCowboyCluster(this AkkaConfigurationBuilder builder, CowboyNodeOptions node, GameSettings game, Props cowboy)
    {
        return builder
            .WithRemoting(new RemoteOptions
            {
                HostName = node.Hostname,
                PublicHostName = node.PublicHostname ?? node.Hostname,
                Port = node.RemotingPort,
            })
            .WithClustering(new ClusterOptions
            {
                Roles = [GameMaster.CowboyRole],
                SeedNodes = node.SeedNodes.ToArray(),
            })
            .WithCustomSerializer("cowboys", [typeof(ICowboysMessage)], system => new CowboysSerializer(system))
            .WithSingleton<GameMaster>(GameMaster.SingletonName, GameMaster.Props(game, node.Witness ?? (node.WitnessFile is null ? null : new FileWitnessStore(node.WitnessFile)), node.Name),
                new ClusterSingletonOptions { Role = GameMaster.CowboyRole }, createProxyToo: false)
            .WithActors((system, registry) =>
            {
                registry.Register<CowboyActorKey>(system.ActorOf(cowboy, CowboyActor.ActorName));
                system.ActorOf(ClusterMetricsListener.Props(), ClusterMetricsListener.ActorName);
                system.ActorOf(QuarantineWatch.Props(), QuarantineWatch.ActorName);
            })
            .AddHocon(Timings.Hocon, HoconAddMode.Prepend)
            .AddHocon(ClusterScale.For(game.Roster.Count).ToHocon(), HoconAddMode.Prepend)
            // an odd roster has no ties, and keep-majority decides without a race; a lease breaks the ties of an even one
            .AddHocon(game.Roster.Count % 2 == 1 ? "" : node.TieBreakLease ?? (node.LeaseFile is null ? "" : TieBreakLease.Hocon(node.LeaseFile)), HoconAddMode.Prepend);
    }
}
