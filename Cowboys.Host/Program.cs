using Cowboys.Actors.Hosting;
using System.CommandLine;
using System.CommandLine.Parsing;
using Cowboys.Actors.Rules;
using Cowboys.Actors.Settings;
using Cowboys.Host.Cowboy;
using Cowboys.Host.Inspection;
using Cowboys.Host.Launcher;
using Spectre.Console;

// Two commands, one executable: `play` launches a whole shootout on this machine, `cowboy` is
// one cowboy's process (what `play` starts for each cowboy, and what each pod runs).

var seed = new Option<long?>("--seed") { Description = "Seed of every cowboy's random stream; the same seed gives the same game (default: random, printed)" };
var beat = DurationOption("--beat", TimeSpan.FromSeconds(1), "Time between beats, e.g. 1s, 100ms; 0 plays as fast as the protocol allows");
var rules = new Option<RuleSet>("--rules")
{
    Description = "sequential (default): shots land at once in ring order; simultaneous: everyone alive shoots, damage lands together",
    DefaultValueFactory = _ => RuleSet.Sequential,
    CustomParser = r => RuleSetNames.TryParse(r.Tokens.Single().Value, out var parsed) ? parsed : Fail<RuleSet>(r, "--rules must be sequential or simultaneous"),
};

var file = new Argument<string>("FILE") { Description = "Shootout manifest (YAML) or JSON array of cowboys", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => PlayOptions.DefaultRosterFile };
var result = new Option<string?>("--result") { Description = "Write the result as JSON to this file" };
var timeout = DurationOption("--timeout", TimeSpan.FromMinutes(10), "Give up (exit 1) if the game has not ended by then");
var chaos = new Option<int>("--chaos")
{
    Description = "Kill this many cowboy processes with SIGKILL during the game (the leader's host first), each restarted like a Job restarts its pod",
    DefaultValueFactory = _ => 0,
    Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--chaos must be 0 or more"); } },
};
var pause = new Option<int>("--pause")
{
    Description = "Freeze this many cowboy processes with SIGSTOP for 8 s during the game (the leader's host first), then wake them with SIGCONT",
    DefaultValueFactory = _ => 0,
    Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--pause must be 0 or more"); } },
};
var forfeitAfter = DurationOption("--forfeit-after", GameSettings.DefaultForfeitAfter, "A live cowboy away this long forfeits (is recorded as dead), so that a game always ends");
var startDeadline = DurationOption("--start-deadline", GameSettings.DefaultStartBarrier, "The game is aborted, with the reason, if not every cowboy has arrived by then");
var logFormat = new Option<LogFormat?>("--log-format")
{
    Description = "text (short lines) or json (one JSON object a line, with each event's fields); default: json in a Kubernetes pod, else text",
    HelpName = "text|json",
    CustomParser = r => LogFormats.TryParse(r.Tokens.Single().Value, out var parsed) ? parsed : Fail<LogFormat?>(r, $"--log-format must be text or json, not '{r.Tokens.Single().Value}'"),
};
var debug = new Option<bool>("--debug") { Description = "Also log this program's DEBUG events (e.g. the ring's round trip of every beat)" };
var plain = new Option<bool>("--plain") { Description = "No live view: the cowboys' merged log lines only (always so when the output is not a terminal)" };
var play = new Command("play", "Play a shootout on this machine: one cowboy process per cowboy, in one Akka.NET cluster")
{
    file, seed, beat, rules, result, timeout, chaos, pause, forfeitAfter, startDeadline, plain, logFormat, debug,
};
play.SetAction(async (parse, _) =>
{
    using var cts = new CancellationTokenSource();
    var signals = PlayCommand.OnTerminationSignals(cts);
    try
    {
        var options = new PlayOptions(parse.GetValue(file)!, parse.GetValue(seed), parse.GetValue(beat), parse.GetValue(rules), parse.GetValue(result), parse.GetValue(timeout),
            parse.GetValue(chaos), parse.GetValue(forfeitAfter), parse.GetValue(startDeadline), parse.GetValue(pause))
        {
            Plain = parse.GetValue(plain),
            LogFormat = parse.GetValue(logFormat),
            Debug = parse.GetValue(debug),
        };
        var console = AnsiConsole.Console;
        // piped output (CI, a file, a test) must not be wrapped at Spectre's default 80 columns
        if (Console.IsOutputRedirected) console.Profile.Width = 500;
        var interactive = !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        return await new PlayCommand(options, console, Console.Error, interactive).RunAsync(cts.Token);
    }
    finally
    {
        foreach (var s in signals) s.Dispose();
    }
});

var name = new Option<string>("--name") { Description = "The cowboy this process plays", Required = true };
var roster = new Option<string>("--roster") { Description = "Shootout manifest (YAML) or JSON array of cowboys", DefaultValueFactory = _ => PlayOptions.DefaultRosterFile };
var host = new Option<string>("--host") { Description = "Address to bind remoting and HTTP to", DefaultValueFactory = _ => "127.0.0.1" };
var publicHost = new Option<string?>("--public-host") { Description = "Address other members reach this one on (default: --host)" };
var port = new Option<int>("--port") { Description = "Akka remoting port", DefaultValueFactory = _ => CowboyCommandLine.DefaultRemotingPort };
var httpPort = new Option<int>("--http-port") { Description = "HTTP port: /alive, /ready, /game, /cluster/members, /metrics and the Cluster Bootstrap contact point", DefaultValueFactory = _ => CowboyCommandLine.DefaultHttpPort };
var contactPoints = new Option<string?>("--contact-points") { Description = "Comma-separated host:port HTTP endpoints of every cowboy (config-based Cluster Bootstrap)" };
var resultFile = new Option<string?>("--result") { Description = "Write the result JSON here when the game ends" };
var parentPid = new Option<int?>("--parent-pid") { Description = "Exit when this process is no longer the parent (set by play)" };
var leaseFile = new Option<string?>("--lease-file") { Description = "A file every cowboy of the game can lock: breaks Split Brain Resolver ties on one machine (set by play)" };
var stateDir = new Option<string?>("--state-dir") { Description = "Keep this cowboy's replica (promise and beats) in this directory across restarts (set by play). Required unless --lease-name is given: a process that could forget its promises must not vote" };
var witnessFile = new Option<string?>("--witness-file") { Description = "A file every cowboy of the game can lock: the witness that breaks ties of an even roster (set by play)" };
var leaseName = new Option<string?>("--lease-name") { Description = "The game's Kubernetes Lease (in --pod-namespace): the witness that breaks ties of an even roster, and where each cowboy's first pod claims its vote (the operator creates it and sets this)" };
var verbose = new Option<bool>("--verbose") { Description = "Also show Akka's own warnings" };
var discovery = new Option<DiscoveryMode>("--discovery")
{
    Description = "How to find the other cowboys: config (default: --contact-points) or kubernetes (the pods matching --pod-label-selector, from the Kubernetes API)",
    HelpName = "config|kubernetes",
    DefaultValueFactory = _ => DiscoveryMode.Config,
    CustomParser = r => r.Tokens.Single().Value switch
    {
        "config" => DiscoveryMode.Config,
        "kubernetes" => DiscoveryMode.Kubernetes,
        var other => Fail<DiscoveryMode>(r, $"--discovery must be config or kubernetes, not '{other}'"),
    },
};
var podLabelSelector = new Option<string?>("--pod-label-selector") { Description = "Label selector of this game's cowboy pods, e.g. example.com/shootout=full (required with --discovery kubernetes)" };
var podNamespace = new Option<string?>("--pod-namespace") { Description = "Namespace of the cowboy pods (default: the service account's namespace, else default)" };
var podPortName = new Option<string>("--pod-port-name") { Description = "Name of the pods' container port that serves the contact point (--http-port)", DefaultValueFactory = _ => "http" };
var terminationLog = new Option<string?>("--termination-log") { Description = "Write the result summary here when the game ends or is aborted (a pod's /dev/termination-log)" };
var clusterHttpReadOnly = new Option<bool>("--cluster-http-read-only")
{
    Description = "Refuse changes through /cluster/members (leave, down) with 405, as Akka Management does by default; false allows them",
    HelpName = "true|false",
    Arity = ArgumentArity.ExactlyOne,
    DefaultValueFactory = _ => true,
};
var cowboy = new Command("cowboy", "Run one cowboy: join the cluster, play, report the result")
{
    name, roster, seed, beat, rules, host, publicHost, port, httpPort, contactPoints, resultFile, parentPid, verbose, forfeitAfter, startDeadline, leaseFile,
    stateDir, witnessFile, leaseName, logFormat, debug,
    discovery, podLabelSelector, podNamespace, podPortName, terminationLog, clusterHttpReadOnly,
};
cowboy.SetAction(async (parse, cancellation) => await CowboyCommand.RunAsync(new CowboyProcessOptions
{
    Name = parse.GetValue(name)!,
    RosterFile = parse.GetValue(roster)!,
    Seed = parse.GetValue(seed) ?? 0,
    Rules = parse.GetValue(rules),
    Beat = parse.GetValue(beat),
    Host = parse.GetValue(host)!,
    PublicHost = parse.GetValue(publicHost),
    Port = parse.GetValue(port),
    HttpPort = parse.GetValue(httpPort),
    ContactPoints = (parse.GetValue(contactPoints) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
    ResultFile = parse.GetValue(resultFile),
    ParentPid = parse.GetValue(parentPid),
    Verbose = parse.GetValue(verbose),
    Debug = parse.GetValue(debug),
    LogFormat = parse.GetValue(logFormat),
    ForfeitAfter = parse.GetValue(forfeitAfter),
    LeaseFile = parse.GetValue(leaseFile),
    StateDirectory = parse.GetValue(stateDir),
    WitnessFile = parse.GetValue(witnessFile),
    LeaseName = parse.GetValue(leaseName),
    StartDeadline = parse.GetValue(startDeadline),
    Discovery = parse.GetValue(discovery),
    PodLabelSelector = parse.GetValue(podLabelSelector),
    PodNamespace = parse.GetValue(podNamespace),
    PodPortName = parse.GetValue(podPortName)!,
    TerminationLog = parse.GetValue(terminationLog),
    ClusterHttpReadOnly = parse.GetValue(clusterHttpReadOnly),
}, cancellation));

var root = new RootCommand("Cowboys: a shootout between processes in one Akka.NET cluster") { play, cowboy, ClusterCommand.Create(Console.Out, Console.Error) };
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && args is ["cluster", ..])
{
    // the cluster client's bad arguments exit 2, as play's bad roster does
    foreach (var e in parsed.Errors) await Console.Error.WriteLineAsync($"error: {e.Message}");
    return ClusterCommand.BadArguments;
}
// our commands handle SIGINT/SIGTERM themselves: play stops its children, a cowboy leaves the cluster
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static Option<TimeSpan> DurationOption(string name, TimeSpan defaultValue, string description) => new(name)
{
    Description = description,
    DefaultValueFactory = _ => defaultValue,
    CustomParser = r => Duration.TryParse(r.Tokens.Single().Value, out var value)
        ? value
        : Fail<TimeSpan>(r, $"{name} must be a duration such as 0, 250ms, 1s or 2m (at most 1h), not '{r.Tokens.Single().Value}'"),
};

static T Fail<T>(ArgumentResult result, string message)
{
    result.AddError(message);
    return default!;
}
