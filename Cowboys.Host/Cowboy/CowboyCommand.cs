using System.CommandLine;
using System.Net;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Host.Coordination;
using Cowboys.Host.Inspection;
using Cowboys.Actors.Telemetry;
using OpenTelemetry.Metrics;
using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Settings;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Cowboys.Actors.Coordination;

namespace Cowboys.Host.Cowboy;

/// <summary>
/// `cowboy --name NAME`: one cowboy in one process, the command each pod runs. Serves its
/// health checks, its Cluster Bootstrap contact point and its replica of the game (GET /game)
/// over HTTP, joins the cluster, plays, and exits 0 once the game has a result and it has left
/// the cluster.
/// </summary>
public static class CowboyCommand
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int InvalidInput = 2;

    /// <summary>The `cowboy` command, its options built from their one declaration (<see cref="CowboyOptionSet"/>).</summary>
    public static Command Create()
    {
        var command = new Command("cowboy", "Run one cowboy: join the cluster, play, report the result");
        var options = new CowboyOptionBinding(command);
        command.SetAction(async (parse, cancellation) => await RunAsync(options.Bind(parse), cancellation));
        return command;
    }

    public static async Task<int> RunAsync(CowboyOptions options, CancellationToken cancellation)
    {
        if (options.Problem() is { } problem)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
            return InvalidInput;
        }
        Roster roster;
        try
        {
            roster = RosterParser.ParseFile(options.RosterFile);
        }
        catch (InvalidRosterException e)
        {
            await Console.Error.WriteLineAsync($"error: invalid roster: {e.Message}");
            return InvalidInput;
        }
        if (roster.IndexOf(options.Name) < 0)
        {
            await Console.Error.WriteLineAsync($"error: cowboy \"{options.Name}\" is not in the roster {options.RosterFile}");
            return InvalidInput;
        }

        ConsoleLineLogger.Verbose = options.Verbose;
        ConsoleLineLogger.Debug = options.Debug;
        ConsoleLineLogger.Cowboy = options.Name;
        var json = LogFormats.Resolve(options.LogFormat, Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) == LogFormat.Json;
        var game = new GameSettings(roster, options.Rules, options.Seed, options.Beat) { ForfeitAfter = options.ForfeitAfter, StartBarrier = options.StartDeadline };
        var outcome = new Outcome(game);
        (IWitnessStore Witness, string Lease, KubernetesIncarnationClaim Claim)? tieBreak;
        try
        {
            tieBreak = TieBreakOf(options);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"error: --lease-name {options.LeaseName}: {e.Message}");
            return InvalidInput;
        }
        bool? firstIncarnation = null;
        if (tieBreak is not null)
        {
            // before this process answers anybody: only a cowboy's first pod may vote
            firstIncarnation = await tieBreak.Value.Claim.ClaimAsync(roster.IndexOf(options.Name), KubernetesIncarnationClaim.NewClaimant(),
                why => Console.Error.WriteLine($"warning: {why}"), cancellation);
        }
        else if (options.StateDirectory is null)
        {
            await Console.Error.WriteLineAsync("error: a cowboy needs --state-dir (or, in Kubernetes, --lease-name) to vote: without either a restarted process could forget what it promised");
            return InvalidInput;
        }
        var node = new CowboyNodeOptions
        {
            FirstIncarnation = firstIncarnation,
            Name = options.Name,
            Hostname = options.Host,
            PublicHostname = options.PublicHost ?? options.Host,
            RemotingPort = options.Port,
            LeaseFile = options.LeaseFile,
            StateDirectory = options.StateDirectory,
            WitnessFile = options.WitnessFile,
            Witness = tieBreak?.Witness,
            TieBreakLease = tieBreak?.Lease,
        };

        // No configuration sources: every setting comes from the command line. The slim builder's
        // appsettings.json reload watches the working directory recursively (seconds of CPU and an
        // inotify instance per process, in a repository with bin/ and obj/ trees).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        if (json)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
            // warnings and errors on stderr, as in text: play reports a failed cowboy's last stderr line
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
            // ConsoleLineLogger already chose which Akka events to show; ASP.NET Core's own only from warnings on
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Cowboys", LogLevel.Debug).AddFilter("Akka", LogLevel.Debug);
        }
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(options.Host), options.HttpPort));
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton<ClusterHttpManagement>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CowboysMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter()
            .RenameRuntimeCounts());
        builder.Services.AddAkka(node.ClusterName, (akka, _) => akka
            .ConfigureLoggers(logging =>
            {
                logging.LogLevel = options.Debug ? Akka.Event.LogLevel.DebugLevel : Akka.Event.LogLevel.InfoLevel;
                logging.ClearLoggers();
                logging.AddLogger<ConsoleLineLogger>();
            })
            // before its loggers start and after they stop, Akka writes through its stdout logger: ours
            // chooses and shapes those lines like the others, so a late warning at exit is no stray text line among JSON ones
            .AddHocon(FallbackLineLogger.Hocon, HoconAddMode.Prepend)
            .WithCowboy(node, game, outcome)
            .WithClusterBootstrap(options, roster.Count)
            // on top of the cowboy's settings (INFO), so that --debug reaches the actors' DEBUG events
            .AddHocon(options.Debug ? "akka.loglevel = DEBUG" : "", HoconAddMode.Prepend)
            .WithActorSystemLivenessCheck()
            .WithAkkaClusterReadinessCheck());
        if (options.ParentPid is { } parent) builder.Services.AddHostedService(_ => new ParentWatch(parent));

        await using var app = builder.Build();
        ConsoleLineLogger.Json = json ? app.Services.GetRequiredService<ILoggerFactory>() : null;
        // liveness must not depend on cluster membership: a pod waiting for its peers is alive, not broken
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = c => c.Tags.Contains("liveness") });
        app.MapHealthChecks("/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("readiness") });
        app.MapBootstrapContactPoint();
        app.MapGet("/game", () => Results.Text(outcome.View().ToJson(), "application/json"));
        app.MapClusterHttpManagement(options.ClusterHttpReadOnly);
        app.MapPrometheusScrapingEndpoint("/metrics");

        await app.StartAsync(cancellation);
        var system = app.Services.GetRequiredService<ActorSystem>();
        var stopping = app.Lifetime.ApplicationStopping;

        await Task.WhenAny(outcome.Ended, system.WhenTerminated, Task.Delay(Timeout.Infinite, stopping));
        if (outcome.Ended.IsCompleted)
        {
            if (outcome.Result is { } result && options.ResultFile is not null)
            {
                await File.WriteAllTextAsync(options.ResultFile, ResultJson.Write(result), CancellationToken.None);
            }
            if (options.TerminationLog is not null) await WriteTerminationLogAsync(options.TerminationLog, outcome);
            // the cowboy actor has started leaving the cluster; exit once it has left
            await Task.WhenAny(system.WhenTerminated, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        }
        await app.StopAsync(CancellationToken.None);
        if (outcome.Result is not null) return Ok;
        if (outcome.AbortReason is { } reason)
        {
            // the processes disagree on the game: starting this one again cannot help
            await Console.Error.WriteLineAsync($"error: the game was aborted: {reason}");
            return InvalidInput;
        }
        return Failed;
    }

    /// <summary>With --lease-name, ties are broken by the game's Kubernetes Lease: the witness in its annotations, the SBR's lease in its spec.</summary>
    private static (IWitnessStore Witness, string Lease, KubernetesIncarnationClaim Claim)? TieBreakOf(CowboyOptions options)
    {
        if (options.LeaseName is not { } name) return null;
        var ns = new Discovery.KubernetesPodsDiscoverySettings(options.PodNamespace, options.PodLabelSelector ?? "", options.PodPortName).ResolveNamespace();
        var client = KubernetesClients.FromEnvironment();
        var witness = new KubernetesWitnessStore(client, ns, name);
        return (witness, TieBreakLease.Hocon(typeof(KubernetesLease), $"namespace = \"{ns}\"\nname = \"{name}\""), new KubernetesIncarnationClaim(client, ns, name));
    }

    /// <summary>
    /// The game's end as a <see cref="ResultSummary"/> in the termination log: the kubelet copies
    /// it into the pod's status, which is how the operator learns the outcome without pods
    /// writing to the API.
    /// </summary>
    private static async Task WriteTerminationLogAsync(string path, Outcome outcome)
    {
        var summary = outcome.Result is { } result ? ResultSummary.Of(result) : ResultSummary.OfAbort(outcome.AbortReason ?? "aborted");
        try
        {
            await File.WriteAllTextAsync(path, summary.Write(), CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: cannot write the termination log {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Carries the game from the cowboy actor to the process: its end, and the last committed
    /// beat for GET /game. Written on the actor's thread, read on request threads: every field
    /// holds an immutable value and is published with a volatile write.
    /// </summary>
    private sealed class Outcome(GameSettings game) : IGameObserver
    {
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile GameView? _committed;
        private volatile GameResult? _result;
        private volatile string? _abortReason;

        public Task Ended => _ended.Task;

        public GameResult? Result => _result;

        public string? AbortReason => _abortReason;

        public void Finished(GameResult result)
        {
            _result = result;
            _ended.TrySetResult();
        }

        public void Aborted(string reason)
        {
            _abortReason = reason;
            _ended.TrySetResult();
        }

        public void Committed(GameView view) => _committed = view;

        public GameView View() => GameView.Of(game, _committed, _result, _abortReason is not null);
    }
}
