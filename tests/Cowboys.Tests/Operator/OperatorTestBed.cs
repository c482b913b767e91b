using System.Text.Json.Nodes;
using Cowboys.Actors.Game.Results;
using Cowboys.Operator;
using Cowboys.Operator.Controllers;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Kubernetes;
using Cowboys.Sandbox.Api;
using k8s;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Cowboys.Tests.Actors.Node;

namespace Cowboys.Tests.Operator;

/// <summary>
/// The stand-in API server plus helpers that play the parts of kubectl (apply a Shootout), the
/// Job controller and the kubelet (pods that get ready, terminate with a message, Jobs that
/// complete or fail). The operator under test only ever talks HTTP to the stand-in.
/// </summary>
public sealed class OperatorTestBed : IAsyncDisposable
{
    public const string Ns = "cowboys";

    private OperatorTestBed(ApiServer server, ITestOutputHelper output)
    {
        Server = server;
        Api = server.CreateClient();
        Logs = LoggerFactory.Create(b => b.AddProvider(new XunitLoggerProvider(output, "operator")).SetMinimumLevel(LogLevel.Information));
    }

    public ApiServer Server { get; }

    public IKubernetes Api { get; }

    public ILoggerFactory Logs { get; }

    /// <summary>No periodic resync in tests: progress must come from watch events.</summary>
    public OperatorOptions Options { get; init; } = OperatorFixtures.Options with { Resync = TimeSpan.FromMinutes(10) };

    public static async Task<OperatorTestBed> StartAsync(ITestOutputHelper output) => new(await ApiServer.StartAsync(), output);

    /// <summary>What the cowboys' GET /game answers; the pods here are not processes (the end-to-end tests use the real probe).</summary>
    public ScriptedGameProbe Probe { get; } = new();

    public ShootoutController Controller() =>
        new(new KubernetesShootoutClient(Api), Probe, Options, TimeProvider.System, Logs.CreateLogger<ShootoutController>());

    /// <summary>kubectl apply of a Shootout.</summary>
    public JsonObject Apply(string name, string cowboys = OperatorFixtures.SampleCowboys, long? seed = 42, string? rules = null, string? beat = null)
    {
        // what kubectl sends: absent fields are left out, not null
        var spec = new JsonObject { ["cowboys"] = cowboys };
        if (seed is not null) spec["seed"] = seed.Value;
        if (rules is not null) spec["rules"] = rules;
        if (beat is not null) spec["beat"] = beat;
        return Server.Seed(new JsonObject
        {
            ["apiVersion"] = "example.com/v1alpha1",
            ["kind"] = "Shootout",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = spec,
        });
    }

    public JsonObject? Shootout(string name) => Server.Get("shootouts", Ns, name);

    public string? Phase(string name) => (string?)Shootout(name)?["status"]?["phase"];

    public Task WaitForPhaseAsync(string name, string phase, TimeSpan? timeout = null) =>
        Server.WaitUntilAsync(() => Phase(name) == phase, timeout ?? TimeSpan.FromSeconds(20), $"Shootout {name} to be {phase} (it is {Phase(name) ?? "without a phase"})");

    public IReadOnlyList<JsonObject> Jobs(string shootout) => Server.List("jobs", Ns, Labels.ShootoutSelector(shootout));

    public Task WaitForJobsAsync(string shootout, int count) =>
        Server.WaitUntilAsync(() => Jobs(shootout).Count == count, TimeSpan.FromSeconds(20), $"{count} Jobs of {shootout} (there are {Jobs(shootout).Count})");

    public IReadOnlyList<JsonObject> Events(string shootout) =>
        Server.List("events", Ns).Where(e => (string?)e["involvedObject"]?["name"] == shootout).ToList();

    public IReadOnlyList<string> EventReasons(string shootout) => Events(shootout).Select(e => (string)e["reason"]!).ToList();

    /// <summary>The Job controller and kubelet: one running pod per Job, ready or not.</summary>
    public void StartPods(string shootout, bool ready = true)
    {
        var i = 10;
        foreach (var job in Jobs(shootout))
        {
            var jobName = (string)job["metadata"]!["name"]!;
            var template = job["spec"]!["template"]!;
            Server.Seed(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{jobName}-7x2kq",
                    ["namespace"] = Ns,
                    ["labels"] = template["metadata"]!["labels"]!.DeepClone(),
                    ["annotations"] = template["metadata"]!["annotations"]!.DeepClone(),
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = jobName,
                        ["uid"] = job["metadata"]!["uid"]!.DeepClone(), ["controller"] = true,
                    }),
                },
                ["spec"] = template["spec"]!.DeepClone(),
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["podIP"] = $"10.244.0.{i++}",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                },
            });
        }
    }

    /// <summary>The cowboys leave (all, or <paramref name="only"/> these): each pod terminates with its termination message and its Job completes.</summary>
    public void FinishPods(string shootout, Func<string, string> terminationMessage, IReadOnlyCollection<string>? only = null)
    {
        foreach (var pod in Server.List("pods", Ns, Labels.ShootoutSelector(shootout)))
        {
            var cowboy = (string)pod["metadata"]!["annotations"]![Labels.CowboyName]!;
            if (only is not null && !only.Contains(cowboy)) continue;
            Server.SetStatus("pods", Ns, (string)pod["metadata"]!["name"]!, new JsonObject
            {
                ["phase"] = "Succeeded",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "cowboy", ["ready"] = false, ["restartCount"] = 0, ["image"] = "cowboys:test", ["imageID"] = "", ["started"] = false,
                    ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed", ["message"] = terminationMessage(cowboy) } },
                }),
            });
        }
        foreach (var job in Jobs(shootout).Where(j => only is null || only.Contains((string)j["metadata"]!["annotations"]![Labels.CowboyName]!)))
        {
            SetJobCondition((string)job["metadata"]!["name"]!, "Complete", "Completed", "Job completed");
        }
    }

    public void SetJobCondition(string job, string type, string reason, string message) =>
        Server.SetStatus("jobs", Ns, job, new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = type, ["status"] = "True", ["reason"] = reason, ["message"] = message }),
        });

    public static string SummaryOf(GameResult result) => ResultSummary.Of(result).Write();

    public async ValueTask DisposeAsync()
    {
        Logs.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>A cowboy's GET /game as the test scripts it: null until a view is set.</summary>
public sealed class ScriptedGameProbe : IGameProbe
{
    private volatile GameView? _view;

    public GameView? View
    {
        get => _view;
        set => _view = value;
    }

    public Task<GameView?> ReadAsync(k8s.Models.V1Pod pod, CancellationToken ct) => Task.FromResult(_view);
}

/// <summary>The operator's watch-and-reconcile loop, running until disposed (a crash: no goodbye).</summary>
public sealed class RunningOperator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RunningOperator(OperatorTestBed bed, OperatorOptions? options = null)
    {
        var op = new Cowboys.Operator.Runtime.ShootoutOperator(bed.Api, options ?? bed.Options, bed.Logs, bed.Probe);
        _loop = Task.Run(() => op.RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
