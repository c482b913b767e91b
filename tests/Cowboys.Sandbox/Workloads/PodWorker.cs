using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// One pod on the sandbox node, from its first status to its last: an address, its volumes,
/// its container as a local process (restarted as the restartPolicy says), the probes, the
/// termination message, and on deletion SIGTERM, the grace period, SIGKILL. The pod's status is
/// the worker's own copy, written whole to the API server on every change.
/// </summary>
internal sealed class PodWorker
{
    private readonly Kubelet _kubelet;
    private readonly string _ns;
    private readonly string _name;
    private readonly JsonObject _pod;
    private readonly JsonObject _container;
    private readonly JsonObject _status = [];
    private readonly object _gate = new();
    private readonly TaskCompletionSource _terminate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _logs = new();
    private string _previousLogs = "";
    private IPAddress? _address;
    private Process? _process;
    private (ContainerLaunch Launch, string Executable, string Directory)? _running;
    private bool _ready;
    private volatile bool _shutdown;

    public PodWorker(Kubelet kubelet, JsonObject pod)
    {
        _kubelet = kubelet;
        _pod = pod;
        _ns = Pods.Namespace(pod);
        _name = Pods.Name(pod);
        _container = pod["spec"]!["containers"]![0]!.AsObject();
        Completion = Task.Run(RunAsync);
    }

    public Task Completion { get; }

    public int? Pid
    {
        get
        {
            lock (_gate) return _process is { HasExited: false } p ? p.Id : null;
        }
    }

    public string Logs
    {
        get
        {
            lock (_logs) return _logs.ToString();
        }
    }

    public string PreviousLogs
    {
        get
        {
            lock (_logs) return _previousLogs;
        }
    }

    /// <summary>The pod is being deleted: stop the container gracefully, then let the pod go.</summary>
    public void Terminate() => _terminate.TrySetResult();

    /// <summary>The node goes away: kill the process and write nothing more.</summary>
    public void Shutdown()
    {
        _shutdown = true;
        Kill();
        _terminate.TrySetResult();
    }

    /// <summary>SIGKILL to the container's process, as an OOM kill or a crash would end it.</summary>
    public bool Kill()
    {
        lock (_gate)
        {
            if (_process is not { } p || p.HasExited) return false;
            // the group too: what the main process started dies with the container (and the main
            // process may be gone at once: that is a kill that worked, not a container that was not there)
            ProcessLauncher.KillGroup(p.Id);
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
                // it exited between the two
            }
            return true;
        }
    }

    /// <summary>
    /// Starts a command in the running container, as the runtime's exec does: the container's
    /// environment and directory, its image's executable for the image's entrypoint
    /// (<see cref="ExecCommand"/>). Null if the container does not run.
    /// </summary>
    public Task<Process>? Exec(IReadOnlyList<string> argv)
    {
        lock (_gate)
        {
            if (_process is not { HasExited: false } || _running is not { } running) return null;
            var (executable, arguments) = ExecCommand.For(argv, running.Executable);
            return _kubelet.Launcher.SpawnAsync(executable, arguments, running.Launch.Environment, running.Directory);
        }
    }

    public string Container => ContainerName;

    private string ContainerName => (string?)_container["name"] ?? "container";

    private async Task RunAsync()
    {
        try
        {
            await RunPodAsync().ConfigureAwait(false);
        }
        catch (ApiError e) when (e.Code == 404)
        {
            // the pod went away under us (force-deleted): its process must not outlive it
            Kill();
        }
        catch (Exception e)
        {
            _kubelet.Log($"kubelet: pod {_ns}/{_name}: {e}");
            Kill();
        }
        finally
        {
            if (_address is not null) _kubelet.Network.Release(_address);
        }
    }

    private async Task RunPodAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var ports = (_container["ports"] as JsonArray ?? []).Select(p => Pods.Int(p?["containerPort"], 0)).Where(p => p > 0).ToList();
        _address = _kubelet.Network.Allocate(ports);
        var ip = _address.ToString();
        _status["phase"] = "Pending";
        _status["hostIP"] = Kubelet.HostIp;
        _status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = Kubelet.HostIp });
        _status["podIP"] = ip;
        _status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
        _status["startTime"] = Pods.Timestamp(now);
        _status["qosClass"] = "BestEffort";
        _status["conditions"] = new JsonArray(
            Pods.NewCondition("PodReadyToStartContainers", "True", "", "", now),
            Pods.NewCondition("Initialized", "True", "", "", now),
            Pods.NewCondition("Ready", "False", "ContainersNotReady", $"containers with unready status: [{ContainerName}]", now),
            Pods.NewCondition("ContainersReady", "False", "ContainersNotReady", $"containers with unready status: [{ContainerName}]", now),
            Pods.NewCondition("PodScheduled", "True", "", "", now));
        SetContainer(Waiting("ContainerCreating", null), restartCount: 0, lastState: null);
        Write(addFinalizer: true);

        var image = (string?)_container["image"] ?? "";
        var executable = _kubelet.Images.Resolve(image);
        if (executable is null)
        {
            SetContainer(Waiting("ErrImagePull", $"image \"{image}\" is not in the sandbox's image map (give it with --image {image}=PATH)"), 0, null);
            Write();
            if (await TerminatedWithinAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false) is false)
            {
                SetContainer(Waiting("ImagePullBackOff", $"Back-off pulling image \"{image}\""), 0, null);
                Write();
                await _terminate.Task.ConfigureAwait(false);
            }
            Finish(phase: "Failed");
            return;
        }

        var podDir = _kubelet.PodDirectory(_pod);
        var withIp = _pod.DeepClone().AsObject();
        withIp["status"] = _status.DeepClone();
        ContainerLaunch launch;
        try
        {
            launch = ContainerPlan.For(withIp, _container, podDir, name => (_kubelet.Server.Get("configmaps", _ns, name)?["data"] as JsonObject) ?? EmptyIfExists(name),
                _kubelet.NodeEnvironment(_ns, podDir));
        }
        catch (InvalidOperationException e)
        {
            SetContainer(Waiting("CreateContainerConfigError", e.Message), 0, null);
            Write();
            await _terminate.Task.ConfigureAwait(false);
            Finish(phase: "Failed");
            return;
        }
        foreach (var dir in launch.Directories) Directory.CreateDirectory(Path.Combine(podDir, dir));
        foreach (var file in launch.Files)
        {
            var path = Path.Combine(podDir, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
        var terminationLog = Path.Combine(podDir, launch.TerminationLog);
        var restartPolicy = (string?)_pod["spec"]?["restartPolicy"] ?? "Always";
        var restarts = 0;
        JsonObject? lastState = null;
        while (true)
        {
            File.WriteAllText(terminationLog, "");
            lock (_logs)
            {
                if (_logs.Length > 0) _previousLogs = _logs.ToString();
                _logs.Clear();
            }
            var started = DateTimeOffset.UtcNow;
            Process process;
            try
            {
                process = await _kubelet.Launcher.StartAsync(launch.Command ?? executable, launch.Arguments, launch.Environment, podDir, AppendLog).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                SetContainer(Waiting("RunContainerError", $"failed to start {launch.Command ?? executable}: {e.Message}"), restarts, lastState);
                Write();
                await _terminate.Task.ConfigureAwait(false);
                Finish(phase: "Failed");
                return;
            }
            lock (_gate)
            {
                _process = process;
                _running = (launch, launch.Command ?? executable, podDir);
            }
            if (_shutdown)
            {
                Kill();
                return;
            }
            _status["phase"] = "Running";
            SetContainer(new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Pods.Timestamp(started) } }, restarts, lastState, started: true);
            SetReady(_container["readinessProbe"] is null, write: false);
            Write(pid: process.Id);

            using var probing = new CancellationTokenSource();
            var liveness = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var probes = Task.Run(() => ProbeAsync(ip, liveness, probing.Token));
            var exited = ProcessLauncher.Exited(process);
            var first = await Task.WhenAny(exited, _terminate.Task, liveness.Task).ConfigureAwait(false);
            if (first != exited)
            {
                await StopAsync(process, exited).ConfigureAwait(false);
            }
            await probing.CancelAsync().ConfigureAwait(false);
            await probes.ConfigureAwait(false);
            // the main process has ended: so does the rest of its container; then the output is complete once both pipes closed
            ProcessLauncher.KillGroup(process.Id);
            // (only the overload without a timeout waits for the output's end)
            try
            {
                await Task.Run(() => process.WaitForExit()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // a process outside the group still holds the pipe: its output is lost, the pod is not
            }
            var exitCode = process.ExitCode;
            lock (_gate) _process = null;
            process.Dispose();

            var terminated = new JsonObject
            {
                ["exitCode"] = exitCode,
                ["reason"] = exitCode == 0 ? "Completed" : "Error",
                ["startedAt"] = Pods.Timestamp(started),
                ["finishedAt"] = Pods.Timestamp(DateTimeOffset.UtcNow),
                ["containerID"] = $"sandbox://{_name}-{restarts}",
            };
            if (TerminationMessage(terminationLog, exitCode) is { Length: > 0 } message) terminated["message"] = message;
            var deleting = _terminate.Task.IsCompleted;
            var restart = !deleting && (restartPolicy == "Always" || (restartPolicy == "OnFailure" && exitCode != 0));
            _kubelet.Log($"kubelet: pod {_ns}/{_name} container exited {exitCode}{(restart ? ", restarting" : "")}");
            if (!restart)
            {
                SetReady(false, write: false);
                SetContainer(new JsonObject { ["terminated"] = terminated }, restarts, lastState);
                Finish(phase: exitCode == 0 ? "Succeeded" : "Failed");
                return;
            }
            // CrashLoopBackOff: 10 s, doubling, at most 5 min (the kubelet's numbers, scaled by the sandbox's option)
            var delay = Cowboys.Actors.Game.Settings.Backoff.Nominal(restarts + 1, _kubelet.RestartBackoff, TimeSpan.FromMinutes(5));
            restarts++;
            lastState = new JsonObject { ["terminated"] = terminated };
            SetReady(false, write: false);
            SetContainer(exitCode == 0 ? Waiting("Completed", null)
                : Waiting("CrashLoopBackOff", $"back-off {delay.TotalSeconds:0.#}s restarting failed container={ContainerName} pod={_name}_{_ns}({Pods.Uid(_pod)})"), restarts, lastState);
            Write(pid: 0);
            if (await TerminatedWithinAsync(delay).ConfigureAwait(false))
            {
                Finish(phase: exitCode == 0 ? "Succeeded" : "Failed");
                return;
            }
        }
    }

    private JsonObject? EmptyIfExists(string name) => _kubelet.Server.Get("configmaps", _ns, name) is null ? null : [];

    /// <summary>SIGTERM, then SIGKILL once the pod's grace period is over.</summary>
    private async Task StopAsync(Process process, Task exited)
    {
        ProcessLauncher.Signal(process.Id, ProcessLauncher.SIGTERM);
        var grace = TimeSpan.FromSeconds(Pods.Int(_pod["spec"]?["terminationGracePeriodSeconds"], 30));
        if (await Task.WhenAny(exited, Task.Delay(grace)).ConfigureAwait(false) != exited)
        {
            Kill();
            await exited.ConfigureAwait(false);
        }
    }

    /// <summary>The termination-message file (at most 4096 bytes), or with FallbackToLogsOnError the log's tail when the file is empty and the container failed.</summary>
    private string TerminationMessage(string file, int exitCode)
    {
        var text = File.Exists(file) ? File.ReadAllText(file) : "";
        if (text.Length > 4096) text = text[..4096];
        if (text.Length == 0 && exitCode != 0 && (string?)_container["terminationMessagePolicy"] == "FallbackToLogsOnError")
        {
            var lines = Logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(80);
            text = string.Join('\n', lines);
            if (text.Length > 2048) text = text[^2048..];
        }
        return text;
    }

    private async Task ProbeAsync(string ip, TaskCompletionSource livenessFailed, CancellationToken ct)
    {
        var readiness = _container["readinessProbe"] as JsonObject;
        var liveness = _container["livenessProbe"] as JsonObject;
        if (readiness is null && liveness is null) return;
        var start = DateTimeOffset.UtcNow;
        DateTimeOffset NextAfter(JsonObject? probe, DateTimeOffset from) => from.AddSeconds(Pods.Int(probe?["periodSeconds"], 10));
        var nextReady = start.AddSeconds(Pods.Int(readiness?["initialDelaySeconds"], 0));
        var nextLive = start.AddSeconds(Pods.Int(liveness?["initialDelaySeconds"], 0));
        int readyOk = 0, readyFail = 0, liveFail = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                if (readiness is not null && now >= nextReady)
                {
                    var ok = await _kubelet.ProbeAsync(readiness, _container, ip, ct).ConfigureAwait(false);
                    (readyOk, readyFail) = ok ? (readyOk + 1, 0) : (0, readyFail + 1);
                    if (ok && readyOk >= Pods.Int(readiness["successThreshold"], 1)) SetReady(true, write: true);
                    if (!ok && readyFail >= Pods.Int(readiness["failureThreshold"], 3)) SetReady(false, write: true);
                    // until the first success, probe often: the kubelet's first readiness result comes as soon as the container answers
                    nextReady = _ready ? NextAfter(readiness, now) : now.AddMilliseconds(Math.Min(250, Pods.Int(readiness["periodSeconds"], 10) * 1000));
                }
                if (liveness is not null && now >= nextLive)
                {
                    var ok = await _kubelet.ProbeAsync(liveness, _container, ip, ct).ConfigureAwait(false);
                    liveFail = ok ? 0 : liveFail + 1;
                    if (liveFail >= Pods.Int(liveness["failureThreshold"], 3))
                    {
                        _kubelet.Log($"kubelet: pod {_ns}/{_name} failed its liveness probe {liveFail} times: restarting the container");
                        livenessFailed.TrySetResult();
                        return;
                    }
                    nextLive = NextAfter(liveness, now);
                }
                var wake = new[] { readiness is null ? DateTimeOffset.MaxValue : nextReady, liveness is null ? DateTimeOffset.MaxValue : nextLive }.Min();
                var wait = wake - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ApiError e) when (e.Code == 404)
        {
        }
    }

    private void SetReady(bool ready, bool write)
    {
        lock (_gate)
        {
            if (ready == _ready) return;
            _ready = ready;
            var now = DateTimeOffset.UtcNow;
            var conditions = _status["conditions"]!.AsArray();
            foreach (var type in new[] { "Ready", "ContainersReady" })
            {
                var old = conditions.First(c => (string?)c!["type"] == type)!;
                conditions[conditions.IndexOf(old)] = ready
                    ? Pods.NewCondition(type, "True", "", "", now)
                    : Pods.NewCondition(type, "False", "ContainersNotReady", $"containers with unready status: [{ContainerName}]", now);
            }
            if (_status["containerStatuses"]?[0] is JsonObject cs) cs["ready"] = ready;
        }
        if (write) Write();
    }

    private void SetContainer(JsonObject state, int restartCount, JsonObject? lastState, bool started = false)
    {
        lock (_gate)
        {
            var image = (string?)_container["image"] ?? "";
            var cs = new JsonObject
            {
                ["name"] = ContainerName,
                ["image"] = image,
                ["imageID"] = _kubelet.Images.Resolve(image) is { } exe ? $"file://{exe}" : "",
                ["ready"] = _ready,
                ["started"] = started,
                ["restartCount"] = restartCount,
                ["state"] = state,
                ["lastState"] = lastState?.DeepClone() ?? new JsonObject(),
            };
            _status["containerStatuses"] = new JsonArray(cs);
        }
    }

    private static JsonObject Waiting(string reason, string? message)
    {
        var waiting = new JsonObject { ["reason"] = reason };
        if (message is not null) waiting["message"] = message;
        return new JsonObject { ["waiting"] = waiting };
    }

    /// <summary>The last status: the pod is no longer run here, so the kubelet lets it go (a deleted pod then disappears).</summary>
    private void Finish(string phase)
    {
        lock (_gate)
        {
            _status["phase"] = phase;
            if (_status["containerStatuses"]?[0] is JsonObject cs)
            {
                cs["ready"] = false;
                cs["started"] = false;
                if (cs["state"]?["waiting"] is not null)
                {
                    // a container that never ran ends as terminated with no exit code of its own
                    cs["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 137, ["reason"] = "ContainerStatusUnknown", ["finishedAt"] = Pods.Timestamp(DateTimeOffset.UtcNow) } };
                }
            }
        }
        SetReady(false, write: false);
        Write(removeFinalizer: true, pid: 0);
    }

    private async Task<bool> TerminatedWithinAsync(TimeSpan delay) =>
        await Task.WhenAny(_terminate.Task, Task.Delay(delay)).ConfigureAwait(false) == _terminate.Task;

    private void AppendLog(string line)
    {
        lock (_logs)
        {
            // at most ~16 MiB kept, oldest dropped
            if (_logs.Length > 16 << 20) _logs.Remove(0, _logs.Length / 2);
            _logs.Append(line).Append('\n');
        }
    }

    private void Write(bool addFinalizer = false, bool removeFinalizer = false, int? pid = null)
    {
        if (_shutdown) return;
        JsonObject status;
        lock (_gate) status = _status.DeepClone().AsObject();
        _kubelet.Server.Update("pods", _ns, _name, p =>
        {
            p["status"] = status;
            var meta = p["metadata"]!.AsObject();
            if (addFinalizer && !Pods.HasFinalizer(p, Kubelet.Finalizer))
            {
                if (meta["finalizers"] is not JsonArray f) meta["finalizers"] = f = [];
                f.Add(Kubelet.Finalizer);
            }
            if (removeFinalizer && meta["finalizers"] is JsonArray fs)
            {
                foreach (var x in fs.Where(x => (string?)x == Kubelet.Finalizer).ToList()) fs.Remove(x);
                if (fs.Count == 0) meta.Remove("finalizers");
            }
            if (pid is { } id)
            {
                if (meta["annotations"] is not JsonObject a) meta["annotations"] = a = [];
                if (id > 0) a[Kubelet.PidAnnotation] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
                else a.Remove(Kubelet.PidAnnotation);
                if (a.Count == 0) meta.Remove("annotations");
            }
        });
    }
}
