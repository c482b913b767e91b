using System.Globalization;
using Cowboys.Actors.Game.Rules;
using Cowboys.Actors.Game.Settings;
using static Cowboys.Actors.Node.Hosting.CowboyOption;

namespace Cowboys.Actors.Node.Hosting;

/// <summary>
/// The `cowboy` command's options, each declared once, in the order a command line lists them.
/// The command's parser (Cowboys.Host), play's arguments for its processes and the operator's pod
/// arguments (<see cref="CowboyOptions.ToArgs"/>) are all built from this list.
/// </summary>
public static class CowboyOptionSet
{
    public static IReadOnlyList<CowboyOption> All { get; } =
    [
        Of("--name", "The cowboy this process plays", o => o.Name, (o, v) => o with { Name = v }, Text, v => v, "a name", required: true),
        Of("--roster", "Shootout manifest (YAML) or JSON array of cowboys", o => o.RosterFile, (o, v) => o with { RosterFile = v }, Text, v => v, "a file",
            always: true),
        Of("--seed", "Seed of every cowboy's random stream; the same seed gives the same game", o => o.Seed, (o, v) => o with { Seed = v },
            t => (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v), v), v => v.ToString(CultureInfo.InvariantCulture),
            "an integer", always: true),
        Of("--rules", "sequential (default): shots land at once in ring order; simultaneous: everyone alive shoots, damage lands together",
            o => o.Rules, (o, v) => o with { Rules = v }, t => (RuleSetNames.TryParse(t, out var v), v), v => v.ToWire(), "sequential or simultaneous",
            helpName: "sequential|simultaneous", always: true),
        DurationOf("--beat", "Time between beats, e.g. 1s, 100ms; 0 plays as fast as the protocol allows", o => o.Beat, (o, v) => o with { Beat = v }, always: true),
        Of("--host", "Address to bind remoting and HTTP to", o => o.Host, (o, v) => o with { Host = v }, Text, v => v, "an address", always: true),
        Of("--public-host", "Address other members reach this one on (default: --host)", o => o.PublicHost, (o, v) => o with { PublicHost = v },
            OptionalText, v => v, "an address"),
        PortOf("--port", "Akka remoting port", o => o.Port, (o, v) => o with { Port = v }),
        PortOf("--http-port", "HTTP port: /alive, /ready, /game, /cluster/members, /metrics and the Cluster Bootstrap contact point",
            o => o.HttpPort, (o, v) => o with { HttpPort = v }),
        Of("--contact-points", "Comma-separated host:port HTTP endpoints of the cowboys to contact (config-based Cluster Bootstrap)",
            o => o.ContactPoints, (o, v) => o with { ContactPoints = v },
            t => (true, (IReadOnlyList<string>)t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            v => v.Count == 0 ? null : string.Join(',', v), "host:port,..."),
        Of("--discovery", "How to find the other cowboys: config (default: --contact-points) or kubernetes (the pods matching --pod-label-selector, from the Kubernetes API)",
            o => o.Discovery, (o, v) => o with { Discovery = v },
            t => t switch { "config" => (true, DiscoveryMode.Config), "kubernetes" => (true, DiscoveryMode.Kubernetes), _ => (false, default) },
            v => v == DiscoveryMode.Kubernetes ? "kubernetes" : "config", "config or kubernetes", helpName: "config|kubernetes"),
        Of("--pod-label-selector", "Label selector of this game's cowboy pods, e.g. example.com/shootout=full (required with --discovery kubernetes)",
            o => o.PodLabelSelector, (o, v) => o with { PodLabelSelector = v }, OptionalText, v => v, "a label selector"),
        Of("--pod-namespace", "Namespace of the cowboy pods (default: the service account's namespace, else default)",
            o => o.PodNamespace, (o, v) => o with { PodNamespace = v }, OptionalText, v => v, "a namespace"),
        Of("--pod-port-name", "Name of the pods' container port that serves the contact point (--http-port)",
            o => o.PodPortName, (o, v) => o with { PodPortName = v }, Text, v => v, "a port name"),
        Of("--result", "Write the result JSON here when the game ends", o => o.ResultFile, (o, v) => o with { ResultFile = v }, OptionalText, v => v, "a file"),
        Of("--termination-log", "Write the result summary here when the game ends or is aborted (a pod's /dev/termination-log)",
            o => o.TerminationLog, (o, v) => o with { TerminationLog = v }, OptionalText, v => v, "a file"),
        Of("--parent-pid", "Exit when this process is no longer the parent (set by play)", o => o.ParentPid, (o, v) => o with { ParentPid = v },
            t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? (true, (int?)v) : (false, null),
            v => v?.ToString(CultureInfo.InvariantCulture), "a process id"),
        Of("--lease-file", "A file every cowboy of the game can lock: breaks Split Brain Resolver ties on one machine (set by play)",
            o => o.LeaseFile, (o, v) => o with { LeaseFile = v }, OptionalText, v => v, "a file"),
        Of("--state-dir", "Keep this cowboy's replica (promise and beats) in this directory across restarts (set by play). Required unless --lease-name is given: a process that could forget its promises must not vote",
            o => o.StateDirectory, (o, v) => o with { StateDirectory = v }, OptionalText, v => v, "a directory"),
        Of("--witness-file", "A file every cowboy of the game can lock: the witness that breaks ties of an even roster (set by play)",
            o => o.WitnessFile, (o, v) => o with { WitnessFile = v }, OptionalText, v => v, "a file"),
        Of("--lease-name", "The game's Kubernetes Lease (in --pod-namespace): the witness that breaks ties of an even roster, and where each cowboy's first pod claims its vote (the operator creates it and sets this)",
            o => o.LeaseName, (o, v) => o with { LeaseName = v }, OptionalText, v => v, "a Lease's name"),
        DurationOf("--forfeit-after", "A live cowboy away this long forfeits (is recorded as dead), so that a game always ends",
            o => o.ForfeitAfter, (o, v) => o with { ForfeitAfter = v }),
        DurationOf("--start-deadline", "The game is aborted, with the reason, if not every cowboy has arrived by then",
            o => o.StartDeadline, (o, v) => o with { StartDeadline = v }),
        Of("--log-format", "text (short lines) or json (one JSON object a line, with each event's fields); default: json in a Kubernetes pod, else text",
            o => o.LogFormat, (o, v) => o with { LogFormat = v }, t => LogFormats.TryParse(t, out var v) ? (true, (LogFormat?)v) : (false, null),
            v => v?.ToWire(), "text or json", helpName: "text|json"),
        SwitchOf("--verbose", "Also show Akka's own warnings", o => o.Verbose, (o, v) => o with { Verbose = v }),
        SwitchOf("--debug", "Also log this program's DEBUG events (e.g. the ring's round trip of every beat)", o => o.Debug, (o, v) => o with { Debug = v }),
        Of("--cluster-http-read-only", "Refuse changes through /cluster/members (leave, down) with 405, as Akka Management does by default; false allows them",
            o => o.ClusterHttpReadOnly, (o, v) => o with { ClusterHttpReadOnly = v }, Boolean, Lower, "true or false", CowboyOptionKind.Boolean, helpName: "true|false"),
    ];

    /// <summary>The options as given (flag and text) applied in order to <paramref name="start"/> (the defaults unless said).</summary>
    /// <exception cref="FormatException">A value that is not what its option wants, or an unknown flag.</exception>
    public static CowboyOptions Parse(IEnumerable<(string Flag, string Text)> given, CowboyOptions? start = null) =>
        given.Aggregate(start ?? CowboyOptions.Defaults, (o, g) => (All.FirstOrDefault(a => a.Name == g.Flag) ?? throw new FormatException($"unknown option {g.Flag}")).Apply(o, g.Text));

    private static (bool, string) Text(string text) => (true, text);

    private static (bool, string?) OptionalText(string text) => (true, text);

    private static (bool, bool) Boolean(string text) => text switch { "true" => (true, true), "false" => (true, false), _ => (false, false) };

    private static string Lower(bool value) => value ? "true" : "false";

    private static CowboyOption DurationOf(string name, string description, Func<CowboyOptions, TimeSpan> get, Func<CowboyOptions, TimeSpan, CowboyOptions> set,
        bool always = false) =>
        Of(name, description, get, set, t => (Duration.TryParse(t, out var v), v), Duration.Format, Duration.Expected,
            always: always);

    private static CowboyOption PortOf(string name, string description, Func<CowboyOptions, int> get, Func<CowboyOptions, int, CowboyOptions> set) =>
        Of(name, description, get, set, t => (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= 65535, v),
            v => v.ToString(CultureInfo.InvariantCulture), "a port number (0-65535)", always: true);

    private static CowboyOption SwitchOf(string name, string description, Func<CowboyOptions, bool> get, Func<CowboyOptions, bool, CowboyOptions> set) =>
        Of(name, description, get, set, Boolean, Lower, "true or false", CowboyOptionKind.Switch);
}
