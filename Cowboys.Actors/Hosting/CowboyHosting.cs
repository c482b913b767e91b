using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Ring;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Serialization;

namespace Cowboys.Actors.Hosting;

/// <summary>Marker key for the cowboy actor in the Akka.Hosting registry.</summary>
public sealed class CowboyActorKey;

/// <summary>The composition of one cowboy process: remoting, clustering, the leader singleton and the cowboy.</summary>
public static class CowboyHosting
{
    public static AkkaConfigurationBuilder WithCowboy(this AkkaConfigurationBuilder builder, CowboyNodeOptions node, GameSettings game, IGameObserver? observer = null)
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
            .WithSingleton<GameMaster>(GameMaster.SingletonName, GameMaster.Props(game),
                new ClusterSingletonOptions { Role = GameMaster.CowboyRole }, createProxyToo: false)
            .WithActors((system, registry) =>
            {
                var cowboy = system.ActorOf(CowboyActor.Props(game, node.Name, observer), CowboyActor.ActorName);
                registry.Register<CowboyActorKey>(cowboy);
            })
            .AddHocon(Timings.Hocon, HoconAddMode.Prepend);
    }
}
