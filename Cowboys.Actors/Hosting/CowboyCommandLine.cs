using System.Globalization;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;

namespace Cowboys.Actors.Hosting;

/// <summary>
/// The `cowboy` command line, built in one place: `play` starts each process with it and the
/// operator puts it in each cowboy's pod, so the two can never drift apart.
/// </summary>
public sealed record CowboyCommandLine
{
    public const int DefaultRemotingPort = 4053;
    public const int DefaultHttpPort = 8558;

    /// <summary>
    /// The variable a cowboy's pod sets to its own HTTP endpoint: `cluster` run inside the pod
    /// (kubectl exec) defaults to it, so it follows the pod's port and address.
    /// </summary>
    public const string EndpointVariable = "COWBOYS_CLUSTER_ENDPOINT";

    public required string Name { get; init; }

    public required string RosterFile { get; init; }

    public long Seed { get; init; }

    public RuleSet Rules { get; init; } = RuleSet.Sequential;

    public TimeSpan Beat { get; init; } = TimeSpan.FromSeconds(1);

    public string Host { get; init; } = "127.0.0.1";

    public string? PublicHost { get; init; }

    public int Port { get; init; } = DefaultRemotingPort;

    public int HttpPort { get; init; } = DefaultHttpPort;

    public IReadOnlyList<string> ContactPoints { get; init; } = [];

    public string? ResultFile { get; init; }

    public int? ParentPid { get; init; }

    public string? LeaseFile { get; init; }

    public string? StateDirectory { get; init; }

    public string? WitnessFile { get; init; }

    public TimeSpan? ForfeitAfter { get; init; }

    public TimeSpan? StartDeadline { get; init; }

    /// <summary>"kubernetes" to find the other pods through the API (null: --contact-points).</summary>
    public string? Discovery { get; init; }

    public string? PodLabelSelector { get; init; }

    public string? PodNamespace { get; init; }

    public string? PodPortName { get; init; }

    public string? TerminationLog { get; init; }

    public string? LeaseName { get; init; }

    /// <summary>`text` or `json`; null: the cowboy decides (JSON in a pod).</summary>
    public string? LogFormat { get; init; }

    /// <summary>Also log DEBUG events (the ring's round trip of every beat).</summary>
    public bool Debug { get; init; }

    public IReadOnlyList<string> ToArgs()
    {
        var args = new List<string>
        {
            "cowboy", "--name", Name, "--roster", RosterFile,
            "--seed", Seed.ToString(CultureInfo.InvariantCulture),
            "--rules", Rules.ToWire(),
            "--beat", Duration.Format(Beat),
            "--host", Host,
        };
        Add("--public-host", PublicHost);
        args.AddRange(["--port", Port.ToString(CultureInfo.InvariantCulture), "--http-port", HttpPort.ToString(CultureInfo.InvariantCulture)]);
        if (ContactPoints.Count > 0) args.AddRange(["--contact-points", string.Join(',', ContactPoints)]);
        Add("--discovery", Discovery);
        Add("--pod-label-selector", PodLabelSelector);
        Add("--pod-namespace", PodNamespace);
        Add("--pod-port-name", PodPortName);
        Add("--result", ResultFile);
        Add("--termination-log", TerminationLog);
        Add("--parent-pid", ParentPid?.ToString(CultureInfo.InvariantCulture));
        Add("--lease-file", LeaseFile);
        Add("--state-dir", StateDirectory);
        Add("--witness-file", WitnessFile);
        Add("--lease-name", LeaseName);
        Add("--forfeit-after", ForfeitAfter is { } f ? Duration.Format(f) : null);
        Add("--start-deadline", StartDeadline is { } d ? Duration.Format(d) : null);
        Add("--log-format", LogFormat);
        if (Debug) args.Add("--debug");
        return args;

        void Add(string option, string? value)
        {
            if (value is not null) args.AddRange([option, value]);
        }
    }
}
