using Microsoft.Extensions.Configuration;

namespace Cowboys.Operator;

/// <summary>Every setting of the operator, bound from the "Operator" configuration section (env: Operator__CowboyImage ...).</summary>
public sealed record OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>The "Operator" section of the configuration (environment: Operator__CowboyImage, Operator__Namespaces__0, ...).</summary>
    public static OperatorOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OperatorOptions>() ?? new OperatorOptions();

    /// <summary>The image cowboy pods run (Cowboys.Host/Dockerfile).</summary>
    public string CowboyImage { get; init; } = "cowboys:dev";

    public string CowboyImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>Namespaces to watch; empty: all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>
    /// Whether replicas elect a leader through a Lease before reconciling (kubebuilder's
    /// --leader-elect): off when run locally, as `go run main.go` runs the original; on in
    /// manifests/operator's Deployment, which passes --leader-elect.
    /// </summary>
    public bool LeaderElect { get; init; }

    /// <summary>Who this replica is in the leader election (the pod name).</summary>
    public string Identity { get; init; } = Environment.MachineName;

    /// <summary>Where the leader-election Lease lives (the operator's namespace; the Deployment sets it from the downward API).</summary>
    public string LeaseNamespace { get; init; } = "cowboys-system";

    public string LeaseName { get; init; } = "cowboys-operator";

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A game still running after this long is failed by its Jobs' activeDeadlineSeconds.</summary>
    public TimeSpan GameDeadline { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often a Shootout that is not finished is looked at even without events.</summary>
    public TimeSpan Resync { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running game's progress (beat, alive, deaths) is read from a cowboy.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Shootouts reconciled at the same time (never two reconciles of one Shootout).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>
    /// How long the Jobs still running after a majority decided the game may go on ending by
    /// themselves before they are deleted (a cowboy leaving normally takes seconds; decision 0014).
    /// </summary>
    public TimeSpan StragglerGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pod failures one cowboy's Job tolerates; each new pod rejoins the running game.</summary>
    public int CowboyBackoffLimit { get; init; } = 3;

    // measured with bench/bench.py and a cgroup CPU quota (decision 0018): a cowboy idles at about 17m
    // and starts on about 0.8 CPU-seconds (2.2-2.5 s under a 500m quota, 1.5 s without); it holds
    // 130-140 MB resident mid-game, most of it mapped assemblies
    public string CowboyCpuRequest { get; init; } = "100m";
    public string CowboyMemoryRequest { get; init; } = "160Mi";
    public string CowboyCpuLimit { get; init; } = "500m";
    public string CowboyMemoryLimit { get; init; } = "256Mi";

    /// <summary>
    /// The address both ports listen on, as controller-runtime's --health-probe-bind-address: all
    /// interfaces by default. The Deployment sets it from the manifest, so whatever runs the pod
    /// sees which address the container binds.
    /// </summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary><see cref="BindAddress"/> parsed; a message that names the setting when it is not an IP address.</summary>
    public System.Net.IPAddress ListenAddress() =>
        System.Net.IPAddress.TryParse(BindAddress, out var address)
            ? address
            : throw new InvalidOperationException($"Operator__BindAddress must be an IP address (e.g. 0.0.0.0), got '{BindAddress}'");

    /// <summary>HTTP port of the operator's own /alive and /ready.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>Port of /metrics (Prometheus text, controller-runtime's names), served by the same HTTP server.</summary>
    public int MetricsPort { get; init; } = 8081;
}
