using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cowboys.Host.Launcher;
using Cowboys.Tests.EndToEnd;
using Cowboys.Sandbox.Api;
using Xunit.Abstractions;

namespace Cowboys.Tests.Operator;

/// <summary>
/// The Job controller and the kubelet, played by the test against the stand-in API server: for
/// each of a namespace's Jobs without a live pod it creates a pod and runs the pod's container
/// as a real `Cowboys.Host` process with the container's args. Like a kubelet it expands
/// $(VAR) from the container's env (downward API included), mounts the ConfigMap volume, probes
/// /ready to set the pod's Ready condition, copies the termination-message file into the pod's
/// status when the process exits, and the Job controller then marks the Job Complete, or retries
/// up to backoffLimit. One difference: pods here share the machine's network, so each pod gets
/// its own two ports instead of its own IP; the container ports in the pod carry them, and
/// discovery reads them from there as it would the fixed ports of a real pod.
/// </summary>
public sealed partial class MiniKubelet : IAsyncDisposable
{
    private readonly ApiServer _server;
    private readonly string _ns;
    private readonly string _kubeconfig;
    private readonly string _root = Directory.CreateTempSubdirectory("kubelet-").FullName;
    private readonly ITestOutputHelper _output;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, PlayRun> _pods = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly List<Task> _tasks = [];
    private readonly Task _loop;
    private int _counter;

    public MiniKubelet(ApiServer server, string ns, ITestOutputHelper output)
    {
        _server = server;
        _ns = ns;
        _output = output;
        _kubeconfig = Path.Combine(_root, "kubeconfig");
        // in a pod the client reads the service account; here it reads this file
        server.WriteKubeconfig(_kubeconfig, ns);
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _server.WaitUntilAsync(() => JobsWithoutPod().Any(), TimeSpan.FromMinutes(5), "a Job without a pod", _stop.Token);
                foreach (var job in JobsWithoutPod()) StartPod(job);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private IEnumerable<JsonObject> JobsWithoutPod()
    {
        var live = _server.List("pods", _ns)
            .Where(p => (string?)p["status"]?["phase"] is "Pending" or "Running")
            .Select(p => (string?)p["metadata"]?["labels"]?["job-name"])
            .ToHashSet();
        return _server.List("jobs", _ns).Where(j =>
            !live.Contains((string?)j["metadata"]!["name"])
            && j["status"]?["conditions"]?.AsArray().Any(c => (string?)c!["status"] == "True" && (string?)c["type"] is "Complete" or "Failed") != true);
    }

    private void StartPod(JsonObject job)
    {
        var jobName = (string)job["metadata"]!["name"]!;
        var podName = $"{jobName}-{Interlocked.Increment(ref _counter):x5}";
        var template = job["spec"]!["template"]!.AsObject();
        var spec = template["spec"]!.DeepClone().AsObject();
        var container = spec["containers"]![0]!.AsObject();
        var ports = TestPorts.Take(2);
        var portOf = new Dictionary<string, int>();
        var k = 0;
        foreach (var port in container["ports"]!.AsArray())
        {
            portOf[(string)port!["name"]!] = ports[k];
            port["containerPort"] = ports[k++];
        }

        var podDir = Directory.CreateDirectory(Path.Combine(_root, podName)).FullName;
        var mounts = new Dictionary<string, string>();
        foreach (var volume in spec["volumes"]!.AsArray())
        {
            if (volume!["configMap"] is not { } cm) continue;
            var data = _server.Get("configmaps", _ns, (string)cm["name"]!)!["data"]!.AsObject();
            var dir = Directory.CreateDirectory(Path.Combine(podDir, (string)volume["name"]!)).FullName;
            foreach (var (key, value) in data) File.WriteAllText(Path.Combine(dir, key), (string)value!);
            var mount = container["volumeMounts"]!.AsArray().First(m => (string?)m!["name"] == (string?)volume["name"])!;
            mounts[(string)mount["mountPath"]!] = dir;
        }
        var terminationLog = Path.Combine(podDir, "termination-log");
        File.WriteAllText(terminationLog, "");

        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = _kubeconfig };
        foreach (var e in container["env"]?.AsArray() ?? [])
        {
            var name = (string)e!["name"]!;
            env[name] = (string?)e["valueFrom"]?["fieldRef"]?["fieldPath"] switch
            {
                "status.podIP" => "127.0.0.1",
                "metadata.name" => podName,
                "metadata.namespace" => _ns,
                _ => (string?)e["value"],
            };
        }
        var args = container["args"]!.AsArray().Select(a => Expand((string)a!, env)).ToList();
        Replace(args, "--port", portOf["remoting"].ToString());
        Replace(args, "--http-port", portOf["http"].ToString());
        for (var i = 0; i < args.Count; i++)
        {
            foreach (var (path, dir) in mounts) args[i] = args[i].Replace(path, dir);
            if (args[i] == (string?)container["terminationMessagePath"]) args[i] = terminationLog;
        }

        var labels = template["metadata"]!["labels"]!.DeepClone().AsObject();
        labels["job-name"] = jobName;
        _server.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = podName,
                ["namespace"] = _ns,
                ["labels"] = labels,
                ["annotations"] = template["metadata"]!["annotations"]!.DeepClone(),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = jobName, ["uid"] = job["metadata"]!["uid"]!.DeepClone(),
                    ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = "127.0.0.1",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
            },
        });
        var run = PlayRun.WithEnvironment(env, args.ToArray());
        _pods[podName] = run;
        _output.WriteLine($"kubelet: started pod {podName} (pid {run.Pid}) for Job {jobName}");
        lock (_tasks) _tasks.Add(Task.Run(() => SuperviseAsync(job, podName, run, portOf["http"], terminationLog)));
    }

    private async Task SuperviseAsync(JsonObject job, string podName, PlayRun run, int httpPort, string terminationLog)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var ready = false;
        while (!run.HasExited && !_stop.IsCancellationRequested)
        {
            bool nowReady;
            try
            {
                // the kubelet's readiness probe, as the pod spec asks for it
                nowReady = (await http.GetAsync($"http://127.0.0.1:{httpPort}/ready", _stop.Token)).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                nowReady = false;
            }
            if (nowReady != ready && !run.HasExited)
            {
                ready = nowReady;
                _server.Update("pods", _ns, podName, p => p["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }));
            }
            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (_stop.IsCancellationRequested) return;

        var exitCode = await run.ExitCodeAsync(TimeSpan.FromSeconds(10));
        var message = File.ReadAllText(terminationLog);
        if (message.Length == 0 && exitCode != 0) message = string.Join('\n', run.Stdout.Split('\n').TakeLast(10));
        _output.WriteLine($"kubelet: pod {podName} exited {exitCode}: {(message.Length > 200 ? message[..200] : message)}");
        _server.SetStatus("pods", _ns, podName, new JsonObject
        {
            ["phase"] = exitCode == 0 ? "Succeeded" : "Failed",
            ["podIP"] = "127.0.0.1",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "False" }),
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "cowboy", ["ready"] = false, ["restartCount"] = 0, ["image"] = "cowboys:test", ["imageID"] = "", ["started"] = false,
                ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exitCode, ["reason"] = exitCode == 0 ? "Completed" : "Error", ["message"] = message } },
            }),
        });

        // the Job controller
        var jobName = (string)job["metadata"]!["name"]!;
        var backoffLimit = (int?)job["spec"]?["backoffLimit"] ?? 6;
        var failures = exitCode == 0 ? _failures.GetValueOrDefault(jobName) : _failures.AddOrUpdate(jobName, 1, (_, f) => f + 1);
        if (exitCode == 0)
        {
            SetJobCondition(jobName, "Complete", "Completed", "Job completed", succeeded: 1, failed: failures);
        }
        else if (failures > backoffLimit)
        {
            SetJobCondition(jobName, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", succeeded: 0, failed: failures);
        }
    }

    private void SetJobCondition(string job, string type, string reason, string message, int succeeded, int failed) =>
        _server.SetStatus("jobs", _ns, job, new JsonObject
        {
            ["succeeded"] = succeeded,
            ["failed"] = failed,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = type, ["status"] = "True", ["reason"] = reason, ["message"] = message }),
        });

    private static void Replace(List<string> args, string flag, string value)
    {
        var i = args.IndexOf(flag);
        if (i >= 0) args[i + 1] = value;
    }

    /// <summary>$(VAR) as the kubelet expands it in args; unknown references stay as they are.</summary>
    private static string Expand(string arg, IReadOnlyDictionary<string, string?> env) =>
        Reference().Replace(arg, m => env.TryGetValue(m.Groups[1].Value, out var v) && v is not null ? v : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var run in _pods.Values) run.Dispose();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        Task[] tasks;
        lock (_tasks) tasks = [.. _tasks];
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(15));
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
