using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;

namespace Cowboys.Host.Inspection;

/// <summary>
/// Subscribes to this member's cluster events (a snapshot first, then membership and
/// reachability changes) and hands each to a channel that an HTTP response drains; stopping it
/// unsubscribes and ends the channel.
/// </summary>
public sealed class ClusterEventForwarder : ReceiveActor
{
    private readonly ChannelWriter<object> _writer;

    public ClusterEventForwarder(ChannelWriter<object> writer)
    {
        _writer = writer;
        ReceiveAny(e => _writer.TryWrite(e));
    }

    public static Props Props(ChannelWriter<object> writer) => Akka.Actor.Props.Create(() => new ClusterEventForwarder(writer));

    protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
        typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        _writer.TryComplete();
    }
}
