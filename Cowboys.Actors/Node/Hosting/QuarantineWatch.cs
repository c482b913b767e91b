using Akka.Actor;
using Akka.Event;
using Akka.Remote;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// Takes this member out of the game once another member has quarantined it. Quarantine means the
/// others removed it while it could not answer (frozen, cut off): it can never talk to them again,
/// yet its own view still holds them all as unreachable, and its Split Brain Resolver, a minority
/// of one, would take a free tie-break lease and leave the real majority unable to decide.
/// Downing itself stops the process at once; `play` or the Job starts it again as a new member.
/// </summary>
public sealed class QuarantineWatch : ReceiveActor
{
    public const string ActorName = "quarantine-watch";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _downed;

    public QuarantineWatch()
    {
        Receive<ThisActorSystemQuarantinedEvent>(e =>
        {
            if (_downed) return;
            _downed = true;
            _log.Warning(Telemetry.LogEvents.Quarantined.Template, e.RemoteAddress);
            var cluster = Akka.Cluster.Cluster.Get(Context.System);
            cluster.Down(cluster.SelfAddress);
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<QuarantineWatch>();

    protected override void PreStart() => Context.System.EventStream.Subscribe<ThisActorSystemQuarantinedEvent>(Self);

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
