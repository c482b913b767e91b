using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// The settings of one cowboy process, `cowboy --name NAME ...`: what play starts for each
/// cowboy and what each pod runs. The command line is declared once, in
/// <see cref="CowboyOptionSet"/>: the `cowboy` command's parser, the arguments play passes
/// (<see cref="ToArgs"/>) and the operator's pod arguments all come from it.
/// </summary>
public sealed record CowboyOptions
{
    public const int DefaultRemotingPort = 4053;
    public const int DefaultHttpPort = 8558;
    public const string DefaultRosterFile = "manifests/samples/shootout-full.yaml";

    /// <summary>
    /// The variable a cowboy's pod sets to its own HTTP endpoint: `cluster` run inside the pod
    /// (kubectl exec) defaults to it, so it follows the pod's port and address.
    /// </summary>
    public const string EndpointVariable = "COWBOYS_CLUSTER_ENDPOINT";

    /// <summary>Every option at its default; the name is the one thing a cowboy must be given.</summary>
    public static CowboyOptions Defaults { get; } = new() { Name = "" };

    public required string Name { get; init; }

    public string RosterFile { get; init; } = DefaultRosterFile;

    public long Seed { get; init; }

    public RuleSet Rules { get; init; } = RuleSet.Sequential;

    public TimeSpan Beat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Address to bind remoting and HTTP to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Address the other members reach this one on (the pod IP); null: <see cref="Host"/>.</summary>
    public string? PublicHost { get; init; }

    public int Port { get; init; } = DefaultRemotingPort;

    /// <summary>Health checks, /game, /cluster/members, /metrics and the Cluster Bootstrap contact point.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>The HTTP endpoints (host:port) of the cowboys to contact, for config-based Cluster Bootstrap.</summary>
    public IReadOnlyList<string> ContactPoints { get; init; } = [];

    /// <summary>Where to write the result JSON when the game ends (play reads it; a pod uses its termination log).</summary>
    public string? ResultFile { get; init; }

    /// <summary>Exit when this process is no longer our parent: a cowboy never outlives its launcher.</summary>
    public int? ParentPid { get; init; }

    /// <summary>A file every cowboy of the game can lock, to break Split Brain Resolver ties (play sets it).</summary>
    public string? LeaseFile { get; init; }

    /// <summary>Where the replica keeps its promise and beats across restarts (play sets it; without it the replica is in memory only).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>A file every cowboy of the game can lock: the witness that breaks ties of an even roster (play sets it).</summary>
    public string? WitnessFile { get; init; }

    /// <summary>
    /// The game's coordination.k8s.io/v1 Lease (in --pod-namespace) that breaks ties of an even
    /// roster in a pod: the witness and the Split Brain Resolver's lease. The operator creates it.
    /// </summary>
    public string? LeaseName { get; init; }

    /// <summary>How long the leader waits for every cowboy before the first beat.</summary>
    public TimeSpan StartDeadline { get; init; } = GameSettings.DefaultStartBarrier;

    /// <summary>How long a live cowboy may be away before he forfeits.</summary>
    public TimeSpan ForfeitAfter { get; init; } = GameSettings.DefaultForfeitAfter;

    /// <summary>Also show Akka's own warnings (association failures and the like).</summary>
    public bool Verbose { get; init; }

    /// <summary>Also show this program's DEBUG events (the ring's round trip of every beat, what discovery found).</summary>
    public bool Debug { get; init; }

    /// <summary>Text lines or JSON lines; null: JSON in a pod (KUBERNETES_SERVICE_HOST is set), else text.</summary>
    public LogFormat? LogFormat { get; init; }

    /// <summary>Where Cluster Bootstrap finds the contact points: --contact-points, or the Kubernetes API.</summary>
    public DiscoveryMode Discovery { get; init; } = DiscoveryMode.Config;

    /// <summary>The label selector of this game's cowboy pods (required with Kubernetes discovery).</summary>
    public string? PodLabelSelector { get; init; }

    /// <summary>The namespace of the cowboy pods; null: the service account's namespace, else "default".</summary>
    public string? PodNamespace { get; init; }

    /// <summary>The container port (by name) that serves the contact point: bootstrap probes it.</summary>
    public string PodPortName { get; init; } = "http";

    /// <summary>
    /// Where to write the result summary when the game ends or is aborted: a pod's
    /// /dev/termination-log, which the kubelet copies into the pod's status for the operator.
    /// </summary>
    public string? TerminationLog { get; init; }

    /// <summary>
    /// Whether /cluster/members refuses changes (leave, down) with 405, as Akka Management does by
    /// default; false lets whoever reaches the HTTP port take members out of the cluster.
    /// </summary>
    public bool ClusterHttpReadOnly { get; init; } = true;

    /// <summary>What is wrong with this combination of options, or null when it can run.</summary>
    public string? Problem() => Discovery switch
    {
        DiscoveryMode.Kubernetes when string.IsNullOrWhiteSpace(PodLabelSelector) => "--pod-label-selector is required with --discovery kubernetes",
        DiscoveryMode.Kubernetes when string.IsNullOrWhiteSpace(PodPortName) => "--pod-port-name must not be empty",
        _ => null,
    };

    /// <summary>`cowboy` and its options, as the process is started: each one that differs from its default, and the game's always.</summary>
    public IReadOnlyList<string> ToArgs() => ["cowboy", .. CowboyOptionSet.All.SelectMany(o => o.Args(this))];
}
