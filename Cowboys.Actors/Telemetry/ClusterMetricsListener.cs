using Akka.Actor;
using Akka.Cluster;

namespace Cowboys.Actors.Telemetry;

/// <summary>
/// Feeds <see cref="CowboysMetrics"/> from cluster events: counts changes of the cluster leader
/// and hands the cluster to the membership gauges.
/// </summary>
public sealed class ClusterMetricsListener : ReceiveActor
{
    public const string ActorName = "cluster-metrics";

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private Address? _leader;

    public ClusterMetricsListener()
    {
        Receive<ClusterEvent.LeaderChanged>(e =>
        {
            // the first leader this member learns of is not a change
            if (_leader is not null && e.Leader is not null && e.Leader != _leader) CowboysMetrics.LeaderChanges.Add(1, CowboysMetrics.ClusterLeader);
            if (e.Leader is not null) _leader = e.Leader;
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<ClusterMetricsListener>();

    protected override void PreStart()
    {
        CowboysMetrics.Observe(_cluster);
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.LeaderChanged));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
