namespace Cowboys.Actors.Coordination;

/// <summary>
/// The Split Brain Resolver's tie-breaker for an even roster, as HOCON: which lease it takes and
/// how long the minority waits. The lease itself is a <see cref="FileLease"/> under `play` and a
/// Kubernetes Lease in a pod; the witness of the protocol lives in the same kind of store.
/// </summary>
public static class TieBreakLease
{
    /// <summary>
    /// With a lease the Split Brain Resolver keeps the majority, and breaks a tie (a two-member
    /// cluster that lost one) by the lease instead of by address, so a lone survivor is never
    /// downed; the minority waits before trying, so the majority gets it first.
    /// </summary>
    public static string Hocon(string path) =>
        Hocon(typeof(FileLease), $"path = \"{path.Replace("\\", "/", StringComparison.Ordinal)}\"");

    /// <summary>The same with any Akka.Coordination lease class and its own settings (a Kubernetes Lease in a pod).</summary>
    public static string Hocon(Type leaseClass, string settings) => $$"""
        akka.cluster.split-brain-resolver {
          active-strategy = lease-majority
          lease-majority {
            lease-implementation = "cowboys.tie-break-lease"
            # longer than the skew between the two sides' detection (seen above 1 s on 2 cores): the majority must win the race
            acquire-lease-delay-for-minority = 3s
            release-after = 10s
          }
        }
        cowboys.tie-break-lease {
          lease-class = "{{leaseClass.AssemblyQualifiedName}}"
          heartbeat-timeout = 120s
          heartbeat-interval = 12s
          lease-operation-timeout = 5s
          {{settings}}
        }
        """;
}
