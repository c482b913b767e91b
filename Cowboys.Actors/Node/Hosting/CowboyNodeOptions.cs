using Cowboys.Actors.Coordination;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>Where one cowboy's process lives in the cluster. One typed object instead of strings scattered around.</summary>
public sealed record CowboyNodeOptions
{
    /// <summary>The cowboy this process plays; must be in the roster.</summary>
    public required string Name { get; init; }

    /// <summary>The ActorSystem's name: every member of one game must use the same.</summary>
    public string ClusterName { get; init; } = "cowboys";

    /// <summary>Address to bind Akka remoting to.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Address other members reach this one on (the pod IP in Kubernetes); defaults to Hostname.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Akka remoting port; 0 picks a free one (tests).</summary>
    public int RemotingPort { get; init; }

    /// <summary>A file every member can lock: the Split Brain Resolver's tie-breaker on one machine (null: keep-majority alone).</summary>
    public string? LeaseFile { get; init; }

    /// <summary>
    /// Where this cowboy's replica keeps its promise and its beats across restarts of the process
    /// (null: in memory only; then a process that starts mid-game does not vote).
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// In Kubernetes, whether this process claimed being its cowboy's first in the game (a
    /// replacement pod did not): then it alone decides whether the process votes. Null: no claim
    /// is made, and a process votes if it has a StateDirectory (<see cref="Protocol.VotingRight"/>).
    /// </summary>
    public bool? FirstIncarnation { get; init; }

    /// <summary>A file every member can lock: the witness that breaks ties of an even roster (null: an even split waits).</summary>
    public string? WitnessFile { get; init; }

    /// <summary>The witness, when it is not a file (a Kubernetes Lease in a pod); takes precedence over WitnessFile.</summary>
    public IWitnessStore? Witness { get; init; }

    /// <summary>The Split Brain Resolver's tie-break lease as HOCON (<see cref="TieBreakLease.Hocon(Type, string)"/>); takes precedence over LeaseFile.</summary>
    public string? TieBreakLease { get; init; }

    /// <summary>A static seed list (akka.tcp://...). Empty when the cluster forms through Cluster Bootstrap.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = Array.Empty<string>();
}
