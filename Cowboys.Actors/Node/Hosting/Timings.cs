namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// Akka's defaults are built for large clusters on real networks: joins take seconds and a
/// crashed singleton host takes 45 s to replace. These settings trade a little gossip traffic
/// for a game that starts in about a second and survives failures in a few seconds.
/// The measurements behind them are in docs/decisions/0003-timings.md.
/// </summary>
public static class Timings
{
    public const string Hocon = """
        akka {
          loglevel = INFO
          # Akka falls back to stdout while its loggers start and stop: only errors are worth that
          stdout-loglevel = ERROR
          # the default 10ms tick wakes every process 100 times a second for nothing; beats are >= 100ms
          # (ClusterScale lengthens it further in larger clusters)
          scheduler.tick-duration = 100ms
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          remote {
            log-remote-lifecycle-events = off
            retry-gate-closed-for = 200ms
            # every association heartbeats at the transport level too, every 4 s by default, and in time a member is
            # associated with every other one it gossiped with: N-1 heartbeats and replies each interval (100 idle
            # cowboys: 0.70 -> 0.53 % of a core each from 20 s to 300 s). The cluster's own failure detector is what
            # notices a crash or a partition; this one (a deadline: the interval plus 120 s) only drops a half-open connection
            transport-failure-detector.heartbeat-interval = 300s
            # remote deathwatch heartbeats only nodes outside the cluster, and a cowboy watches none: its ticks need not run every second
            watch-failure-detector {
              heartbeat-interval = 5s
              unreachable-nodes-reaper-interval = 5s
              expected-response-after = 5s
            }
            # a cowboy talks to a handful of peers: one I/O thread each way is plenty, and each idle one costs CPU
            dot-netty.tcp {
              # batching holds writes back up to 40 ms to fill a batch; the ring is one small message at a time
              batching.enabled = false
              server-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
              client-socket-worker-pool { pool-size-min = 1, pool-size-max = 1 }
            }
          }
          cluster {
            log-info = off
            # gossip, leader actions, heartbeats, joins, down-removal-margin and stable-after grow with the
            # cluster's size: ClusterScale
            periodic-tasks-initial-delay = 100ms
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              # the majority survives; on a tie the lowest address, unless a lease breaks ties (Lease below)
              active-strategy = keep-majority
              # on 2 cores, 20 starting processes starve each other's heartbeats; that is not a reason to down everybody
              down-all-when-unstable = off
            }
            singleton {
              hand-over-retry-interval = 100ms
              # when everybody leaves at the end of a game, the leader's host would retry handing the
              # singleton over to members that are gone for 15 x 200 ms; 5 retries are enough for a real handover
              min-number-of-hand-over-retries = 5
            }
            singleton-proxy.singleton-identification-interval = 200ms
          }
        }
        """;
}
