using System.Globalization;
using Cowboys.Actors.Game.Settings;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// The cluster's periodic work as a function of its size (pure). Up to <see cref="SmallCluster"/>
/// members these are the fast settings the failover figures were measured with (a leader's host
/// replaced within 5 s). Above it, each member gossips, heartbeats and probes less often and
/// tolerates longer pauses: every member's periodic messages add up to N times one member's, and
/// on two cores a hundred processes starting together starve each other's heartbeats for seconds.
/// A false suspicion costs a restart, never the result, but a storm of them keeps a large
/// cluster from ever forming (docs/decisions/0018-a-hundred-cowboys.md).
/// </summary>
public sealed record ClusterScale
{
    public const int SmallCluster = 5;

    /// <summary>
    /// How many members (at most) heartbeat each member: Akka's default is 9, but each heartbeat
    /// and its reply cost every process CPU, and any one observer can raise a suspicion alone.
    /// </summary>
    public const int Monitors = 5;

    /// <summary>
    /// Above <see cref="SmallCluster"/> members each is heartbeated by 3: every heartbeat and its
    /// reply wake both processes, and an idle member's work is mostly waking up (12 idle cowboys:
    /// 1.52 -> 1.20 % of a core each; docs/decisions/0024). A crash is still seen by 3 observers.
    /// </summary>
    public const int LargeClusterMonitors = 3;

    public required TimeSpan GossipInterval { get; init; }

    /// <summary>
    /// The resolution of Akka's scheduler: every timer fires on a tick, and each tick wakes the
    /// process (idle, it was a third of a member's CPU at 40 members with 100 ms). Nothing here is
    /// scheduled more finely than the cluster's own intervals, which grow with N too.
    /// </summary>
    public required TimeSpan TickDuration { get; init; }

    public required TimeSpan LeaderActionsInterval { get; init; }

    public required TimeSpan HeartbeatInterval { get; init; }

    public required TimeSpan AcceptableHeartbeatPause { get; init; }

    public required int MonitoredByNrOfMembers { get; init; }

    /// <summary>The Split Brain Resolver waits this long for the membership to settle before it downs anybody.</summary>
    public required TimeSpan StableAfter { get; init; }

    /// <summary>Never below StableAfter: a downed member must be gone before its singleton moves.</summary>
    public required TimeSpan DownRemovalMargin { get; init; }

    /// <summary>How long a joining member waits for a seed node's answer before it asks again (Akka: seed-node-timeout).</summary>
    public required TimeSpan JoinTimeout { get; init; }

    /// <summary>Cluster Bootstrap's probe of each contact point, until this member has joined.</summary>
    public required TimeSpan ProbeInterval { get; init; }

    public static ClusterScale For(int members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        // 1 up to five members (the sample, and the failover figures), growing with N to 5 at 25 and more
        var f = Math.Clamp(members / (double)SmallCluster, 1, 5);
        // Above five members a member's heartbeats and ticks do not wait for N to slow down: an idle
        // member's CPU is its wake-ups (12 idle cowboys: 0.87-1.01 -> 0.63-0.75 % of a core each, a
        // SIGKILLed leader's host replaced in 7.2 s instead of 5.9). Gossip and leader actions keep
        // growing with N: at 1 s from six members on, a 12-cowboy game took 6 s longer to form and
        // end (docs/decisions/0024-waves-and-a-quieter-member.md).
        var quiet = members > SmallCluster;
        var heartbeat = quiet ? Math.Clamp(400 * f, 1500, 2000) : 300;
        var gossip = 200 * f;
        var settle = Ms(Math.Min(1000 * f, 3000));
        return new ClusterScale
        {
            GossipInterval = Ms(gossip),
            // the coarsest tick that still fires gossip and leader actions on time
            TickDuration = Ms(quiet ? Math.Min(gossip, 500) : 100),
            LeaderActionsInterval = Ms(gossip),
            HeartbeatInterval = Ms(heartbeat),
            // several heartbeats may be lost before a suspicion, however few a member sends
            AcceptableHeartbeatPause = Ms(Math.Max(2000 * f, 4 * heartbeat)),
            MonitoredByNrOfMembers = quiet ? LargeClusterMonitors : Monitors,
            StableAfter = settle,
            DownRemovalMargin = settle,
            // 250 ms in a small cluster: a member that probes a contact point before its HTTP port is
            // up, or before the cluster forms, learns of it a probe later (the sample's spawn -> all-Up,
            // median of 14 interleaved runs: 3.1 -> 2.8 s); from there 500 ms more per five members, up
            // to 2 s, as before at scale
            ProbeInterval = Ms(Math.Min(250 + 500 * (f - 1), 2000)),
            // a busy seed answers a join late; asking again every second only adds to its work
            JoinTimeout = Ms(1000 * f),
        };
    }

    public string ToHocon() => $$"""
        akka.scheduler.tick-duration = {{Duration.Format(TickDuration)}}
        akka.cluster {
          gossip-interval = {{Duration.Format(GossipInterval)}}
          leader-actions-interval = {{Duration.Format(LeaderActionsInterval)}}
          # its own tick, every second by default; nothing is reaped sooner than the leader acts
          unreachable-nodes-reaper-interval = {{Duration.Format(LeaderActionsInterval)}}
          down-removal-margin = {{Duration.Format(DownRemovalMargin)}}
          seed-node-timeout = {{Duration.Format(JoinTimeout)}}
          retry-unsuccessful-join-after = {{Duration.Format(JoinTimeout)}}
          failure-detector {
            heartbeat-interval = {{Duration.Format(HeartbeatInterval)}}
            acceptable-heartbeat-pause = {{Duration.Format(AcceptableHeartbeatPause)}}
            monitored-by-nr-of-members = {{MonitoredByNrOfMembers.ToString(CultureInfo.InvariantCulture)}}
          }
          split-brain-resolver.stable-after = {{Duration.Format(StableAfter)}}
        }
        """;

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(Math.Round(milliseconds));
}
