using Cowboys.Actors.Node.Hosting;
using System.Globalization;
using Cowboys.Operator.Entities;
using k8s;
using k8s.Models;

namespace Cowboys.Operator.Desired;

/// <summary>
/// Pure functions from a Shootout and its game to the objects that play it, like the original
/// operator's desiredJob(shootout): no I/O, so every field is unit-tested. All objects carry the
/// Shootout as controller owner, so deleting the Shootout deletes them.
/// </summary>
public static class DesiredObjects
{
    public const string RemotingPortName = "remoting";
    public const string HttpPortName = "http";
    public const int RemotingPort = CowboyOptions.DefaultRemotingPort;
    public const int HttpPort = CowboyOptions.DefaultHttpPort;
    public const string RosterMountPath = "/etc/cowboys";
    public const string TerminationLog = "/dev/termination-log";

    /// <summary>Exit code of a cowboy given bad input or whose game was aborted (CowboyCommand.InvalidInput): retrying cannot help.</summary>
    public const int InvalidInputExitCode = 2;

    public static DesiredState For(Shootout shootout, GamePlan plan, OperatorOptions options) => new(
        RosterConfigMap(shootout, plan),
        ServiceAccount(shootout),
        PodReaderRole(shootout),
        PodReaderBinding(shootout),
        TieBreakLease(shootout),
        plan.Roster.Cowboys.Select(c => CowboyJob(shootout, plan, c.Name, options)).ToList());

    public static V1OwnerReference OwnerOf(Shootout shootout) => new()
    {
        ApiVersion = Shootout.GroupVersion,
        Kind = Shootout.KindName,
        Name = shootout.Metadata.Name,
        Uid = shootout.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    private static V1ObjectMeta Meta(Shootout shootout, string name, IDictionary<string, string>? extraLabels = null)
    {
        var labels = Labels.For(shootout.Metadata.Name);
        if (extraLabels is not null)
        {
            foreach (var (k, v) in extraLabels) labels[k] = v;
        }
        return new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = shootout.Metadata.NamespaceProperty,
            Labels = labels,
            // the label may be a shortened form of a long name: this maps an object back to its Shootout
            Annotations = new Dictionary<string, string> { [Labels.ShootoutName] = shootout.Metadata.Name },
            OwnerReferences = [OwnerOf(shootout)],
        };
    }

    /// <summary>Set on the roster ConfigMap: the spec generation the game was set up from.</summary>
    public const string GenerationAnnotation = "example.com/generation";

    public static V1ConfigMap RosterConfigMap(Shootout shootout, GamePlan plan) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = WithAnnotation(Meta(shootout, Names.Roster(shootout.Metadata.Name)), GenerationAnnotation,
            (shootout.Metadata.Generation ?? 1).ToString(CultureInfo.InvariantCulture)),
        Data = plan.ToConfigMapData(),
        // the game must not change under running cowboys
        Immutable = true,
    };

    private static V1ObjectMeta WithAnnotation(V1ObjectMeta meta, string key, string value)
    {
        meta.Annotations[key] = value;
        return meta;
    }

    public static V1ServiceAccount ServiceAccount(Shootout shootout) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = Meta(shootout, Names.Cowboys(shootout.Metadata.Name)),
    };

    /// <summary>
    /// The game's tie-breaker: the cowboys of an even roster keep the witness in its annotations
    /// and the Split Brain Resolver's lease in its spec, both by compare-and-swap. Created empty
    /// here because RBAC cannot narrow create to a name, so the cowboys may not create it.
    /// </summary>
    public static V1Lease TieBreakLease(Shootout shootout) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = Meta(shootout, Names.TieBreak(shootout.Metadata.Name)),
        Spec = new V1LeaseSpec(),
    };

    /// <summary>Cowboys find each other by listing their Shootout's pods (never a get or a watch), and break ties with its one Lease: that, and nothing else.</summary>
    public static V1Role PodReaderRole(Shootout shootout) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta(shootout, Names.Cowboys(shootout.Metadata.Name)),
        Rules =
        [
            new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["list"] },
            new V1PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], ResourceNames = [Names.TieBreak(shootout.Metadata.Name)], Verbs = ["get", "update"] },
        ],
    };

    public static V1RoleBinding PodReaderBinding(Shootout shootout) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(shootout, Names.Cowboys(shootout.Metadata.Name)),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Names.Cowboys(shootout.Metadata.Name) },
        Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Names.Cowboys(shootout.Metadata.Name), NamespaceProperty = shootout.Metadata.NamespaceProperty }],
    };

    /// <summary>The command a cowboy pod runs: the same `cowboy` command play starts for each process.</summary>
    public static IList<string> CowboyArgs(Shootout shootout, GamePlan plan, string cowboy) => new CowboyOptions
    {
        Name = cowboy,
        RosterFile = $"{RosterMountPath}/{GamePlan.RosterKey}",
        Seed = plan.Seed,
        Rules = plan.Rules,
        Beat = plan.Beat,
        Host = "0.0.0.0",
        PublicHost = "$(POD_IP)",
        Port = RemotingPort,
        HttpPort = HttpPort,
        Discovery = DiscoveryMode.Kubernetes,
        PodLabelSelector = Labels.ShootoutSelector(shootout.Metadata.Name),
        PodNamespace = "$(POD_NAMESPACE)",
        PodPortName = HttpPortName,
        TerminationLog = TerminationLog,
        LeaseName = Names.TieBreak(shootout.Metadata.Name),
    }.ToArgs().ToList();

    /// <summary>
    /// One Job per cowboy. restartPolicy Never: each attempt is its own pod with its own
    /// termination message, and a podFailurePolicy can fail fast on bad input and not count
    /// evictions; a replacement pod rejoins the running game like a restarted process under play
    /// (docs/decisions/0010-operator.md).
    /// </summary>
    public static V1Job CowboyJob(Shootout shootout, GamePlan plan, string cowboy, OperatorOptions options)
    {
        var shootoutName = shootout.Metadata.Name;
        var jobName = Names.CowboyJob(shootoutName, cowboy);
        var cowboyLabels = new Dictionary<string, string> { [Labels.Cowboy] = jobName };
        var meta = Meta(shootout, jobName, cowboyLabels);
        meta.Annotations[Labels.CowboyName] = cowboy;
        var podMeta = Meta(shootout, jobName, cowboyLabels);
        podMeta.Name = null;
        podMeta.NamespaceProperty = null;
        podMeta.OwnerReferences = null;
        podMeta.Annotations[Labels.CowboyName] = cowboy;

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = meta,
            Spec = new V1JobSpec
            {
                BackoffLimit = options.CowboyBackoffLimit,
                ActiveDeadlineSeconds = (long)options.GameDeadline.TotalSeconds,
                Completions = 1,
                Parallelism = 1,
                // a replacement only once the old pod is gone: two live pods of one cowboy would abort the start barrier
                PodReplacementPolicy = "Failed",
                PodFailurePolicy = new V1PodFailurePolicy
                {
                    Rules =
                    [
                        new V1PodFailurePolicyRule
                        {
                            Action = "FailJob",
                            OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "cowboy", OperatorProperty = "In", Values = [InvalidInputExitCode] },
                        },
                        new V1PodFailurePolicyRule
                        {
                            Action = "Ignore",
                            OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
                        },
                    ],
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = podMeta,
                    Spec = CowboyPod(shootout, plan, cowboy, options),
                },
            },
        };
    }

    private static V1PodSpec CowboyPod(Shootout shootout, GamePlan plan, string cowboy, OperatorOptions options) => new()
    {
        RestartPolicy = "Never",
        ServiceAccountName = Names.Cowboys(shootout.Metadata.Name),
        AutomountServiceAccountToken = true,
        // no Service and no hostname/subdomain: cowboys reach each other on the pod IPs discovery lists (decision 0015)
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = 30,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = 1654,
            RunAsGroup = 1654,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers =
        [
            new V1Container
            {
                Name = "cowboy",
                Image = options.CowboyImage,
                ImagePullPolicy = options.CowboyImagePullPolicy,
                Args = CowboyArgs(shootout, plan, cowboy),
                Env =
                [
                    FieldEnv("POD_IP", "status.podIP"),
                    FieldEnv("POD_NAME", "metadata.name"),
                    FieldEnv("POD_NAMESPACE", "metadata.namespace"),
                    // `cluster` run in the pod (kubectl exec) finds its own cowboy whatever the port
                    new V1EnvVar { Name = CowboyOptions.EndpointVariable, Value = $"http://$(POD_IP):{HttpPort}" },
                    new V1EnvVar { Name = "DOTNET_EnableDiagnostics", Value = "0" },
                    // the same runtime settings as play's cowboys (decision 0018)
                    .. CowboyRuntime.Environment.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }),
                ],
                Ports =
                [
                    new V1ContainerPort { Name = RemotingPortName, ContainerPort = RemotingPort, Protocol = "TCP" },
                    new V1ContainerPort { Name = HttpPortName, ContainerPort = HttpPort, Protocol = "TCP" },
                ],
                // liveness is the actor system alone: a cowboy waiting for its peers is alive, not broken
                LivenessProbe = new V1Probe
                {
                    HttpGet = new V1HTTPGetAction { Path = "/alive", Port = HttpPortName },
                    InitialDelaySeconds = 10,
                    PeriodSeconds = 10,
                    TimeoutSeconds = 2,
                    FailureThreshold = 3,
                },
                ReadinessProbe = new V1Probe
                {
                    HttpGet = new V1HTTPGetAction { Path = "/ready", Port = HttpPortName },
                    PeriodSeconds = 2,
                    TimeoutSeconds = 2,
                    FailureThreshold = 2,
                },
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(options.CowboyCpuRequest),
                        ["memory"] = new(options.CowboyMemoryRequest),
                    },
                    Limits = new Dictionary<string, ResourceQuantity>
                    {
                        ["cpu"] = new(options.CowboyCpuLimit),
                        ["memory"] = new(options.CowboyMemoryLimit),
                    },
                },
                SecurityContext = new V1SecurityContext
                {
                    AllowPrivilegeEscalation = false,
                    ReadOnlyRootFilesystem = true,
                    RunAsNonRoot = true,
                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                },
                TerminationMessagePath = TerminationLog,
                // a crash leaves its last log lines there; the operator only trusts a parsable summary
                TerminationMessagePolicy = "FallbackToLogsOnError",
                VolumeMounts =
                [
                    new V1VolumeMount { Name = "roster", MountPath = RosterMountPath, ReadOnlyProperty = true },
                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                ],
            },
        ],
        Volumes =
        [
            new V1Volume { Name = "roster", ConfigMap = new V1ConfigMapVolumeSource { Name = Names.Roster(shootout.Metadata.Name) } },
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("16Mi") } },
        ],
    };

    private static V1EnvVar FieldEnv(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };
}
