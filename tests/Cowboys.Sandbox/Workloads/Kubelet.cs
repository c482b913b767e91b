using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;

namespace Cowboys.Sandbox.Workloads;

/// <summary>
/// The scheduler and the kubelet of the sandbox's one node: every pod without a node is bound
/// to this node, and every pod on this node runs as a <see cref="PodWorker"/>. A pod being
/// deleted keeps the kubelet's finalizer until its process has ended, which gives the real
/// API's graceful deletion (deletionTimestamp first, the object gone once the kubelet is done).
/// </summary>
public sealed class Kubelet : IAsyncDisposable
{
    public const string NodeName = "sandbox";
    public const string HostIp = "127.0.0.1";
    public const string Finalizer = "sandbox.cowboys.example.com/kubelet";

    /// <summary>The container's process id while it runs (for tests that kill it from outside).</summary>
    public const string PidAnnotation = "sandbox.cowboys.example.com/pid";

    private readonly ConcurrentDictionary<string, PodWorker> _workers = new();
    private readonly HashSet<string> _started = [];
    private readonly string _root;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
    private readonly Action<string> _log;

    public Kubelet(ApiServer server, ImageMap images, PodNetwork network, string root, TimeSpan restartBackoff, Action<string> log)
    {
        Server = server;
        Images = images;
        Network = network;
        RestartBackoff = restartBackoff;
        _root = Directory.CreateDirectory(root).FullName;
        _log = log;
    }

    public ApiServer Server { get; }

    public ImageMap Images { get; }

    public PodNetwork Network { get; }

    public TimeSpan RestartBackoff { get; }

    internal ProcessLauncher Launcher { get; } = new();

    internal void Log(string line) => _log(line);

    public Task Run(CancellationToken ct) => ControlLoop.Run(Server, "kubelet", Reconcile, _log, ct);

    /// <summary>The container's output so far (null if no such pod runs here): what `kubectl logs` shows.</summary>
    public string? Logs(string @namespace, string pod, bool previous = false) =>
        Worker(@namespace, pod) is { } w ? previous ? w.PreviousLogs : w.Logs : null;

    /// <summary>The running container's process id, or null.</summary>
    public int? Pid(string @namespace, string pod) => Worker(@namespace, pod)?.Pid;

    /// <summary>
    /// `kubectl exec`: starts ARGV in the pod's running container.
    /// </summary>
    /// <exception cref="ApiError">No such pod here, another container name, or a container that does not run (the messages the real kubelet gives).</exception>
    /// <returns>What starts the command: the request is checked before the connection is upgraded, the command started after.</returns>
    public Func<Task<System.Diagnostics.Process>> Exec(string @namespace, string pod, string? container, IReadOnlyList<string> argv)
    {
        var worker = Worker(@namespace, pod) ?? throw new ApiError(404, "NotFound", $"pods \"{pod}\" not found");
        if (container is { Length: > 0 } && container != worker.Container)
        {
            throw ApiError.BadRequest($"container {container} is not valid for pod {pod}");
        }
        if (argv.Count == 0 || argv[0].Length == 0) throw ApiError.BadRequest("you must specify at least 1 command");
        if (worker.Pid is null) throw NotRunning();
        return () => worker.Exec(argv) ?? throw NotRunning();

        ApiError NotRunning() => ApiError.BadRequest($"unable to upgrade connection: container not found (\"{worker.Container}\")");
    }

    /// <summary>SIGKILL to the pod's container process from outside (a crash); false if it does not run.</summary>
    public bool KillContainer(string @namespace, string pod) => Worker(@namespace, pod)?.Kill() ?? false;

    private PodWorker? Worker(string ns, string name) =>
        Server.Get("pods", ns, name) is { } pod && _workers.TryGetValue(Pods.Uid(pod), out var w) ? w : null;

    private TimeSpan? Reconcile(DateTimeOffset now)
    {
        var pods = Server.List("pods");
        foreach (var pod in pods)
        {
            var uid = Pods.Uid(pod);
            var node = (string?)pod["spec"]?["nodeName"];
            if (string.IsNullOrEmpty(node))
            {
                if (!Pods.IsTerminal(pod) && !Pods.IsDeleting(pod)) Bind(pod, now);
                continue;
            }
            if (node != NodeName) continue;
            if (_workers.TryGetValue(uid, out var worker))
            {
                if (Pods.IsDeleting(pod)) worker.Terminate();
                continue;
            }
            if (Pods.IsDeleting(pod) || Pods.IsTerminal(pod))
            {
                // nothing runs for it here (any more): never hold its deletion
                if (Pods.HasFinalizer(pod, Finalizer)) RemoveFinalizer(pod);
                continue;
            }
            lock (_started)
            {
                if (!_started.Add(uid)) continue;
            }
            // kept after its process ended, for its logs, until the pod is gone
            _workers[uid] = new PodWorker(this, pod);
        }
        var live = pods.Select(Pods.Uid).ToHashSet();
        foreach (var (uid, gone) in _workers.Where(w => !live.Contains(w.Key)))
        {
            gone.Kill();
            _workers.TryRemove(uid, out _);
        }
        return null;
    }

    private void Bind(JsonObject pod, DateTimeOffset now) =>
        Server.Update("pods", Pods.Namespace(pod), Pods.Name(pod), p =>
        {
            p["spec"]!["nodeName"] = NodeName;
            var status = p["status"] as JsonObject ?? [];
            p["status"] = status;
            status["conditions"] = new JsonArray(Pods.NewCondition("PodScheduled", "True", "", "", now));
        });

    private void RemoveFinalizer(JsonObject pod)
    {
        try
        {
            Server.Update("pods", Pods.Namespace(pod), Pods.Name(pod), p =>
            {
                if (p["metadata"]!["finalizers"] is not JsonArray f) return;
                foreach (var x in f.Where(x => (string?)x == Finalizer).ToList()) f.Remove(x);
                if (f.Count == 0) p["metadata"]!.AsObject().Remove("finalizers");
            });
        }
        catch (ApiError e) when (e.Code == 404)
        {
        }
    }

    internal string PodDirectory(JsonObject pod) =>
        Directory.CreateDirectory(Path.Combine(_root, $"{Pods.Namespace(pod)}_{Pods.Name(pod)}_{Pods.Uid(pod)[..8]}")).FullName;

    /// <summary>What the node gives every container: a kubeconfig for the pod's namespace (in place of a service-account token), PATH and the .NET runtime's location.</summary>
    internal IReadOnlyDictionary<string, string> NodeEnvironment(string ns, string podDirectory)
    {
        var kubeconfig = Path.Combine(_root, $"kubeconfig-{ns}");
        lock (_started)
        {
            if (!File.Exists(kubeconfig)) Server.WriteKubeconfig(kubeconfig, ns);
        }
        var env = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOME"] = podDirectory,
            ["KUBECONFIG"] = kubeconfig,
        };
        // as every kubelet does for every container (the "kubernetes" Service): programs tell from it that they run in a pod
        var api = new Uri(Server.Url);
        env["KUBERNETES_SERVICE_HOST"] = api.Host;
        env["KUBERNETES_SERVICE_PORT"] = api.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) env["DOTNET_ROOT"] = root;
        return env;
    }

    /// <summary>One probe (httpGet or tcpSocket) against the pod's address; exec probes are not run here and count as failing.</summary>
    internal async Task<bool> ProbeAsync(JsonObject probe, JsonObject container, string ip, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Pods.Int(probe["timeoutSeconds"], 1)));
        try
        {
            if (probe["httpGet"] is { } get)
            {
                var host = (string?)get["host"] ?? ip;
                var scheme = ((string?)get["scheme"] ?? "HTTP").ToLowerInvariant();
                var path = (string?)get["path"] ?? "/";
                using var response = await _http.GetAsync($"{scheme}://{host}:{Port(get["port"], container)}{path}", timeout.Token).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 400;
            }
            if (probe["tcpSocket"] is { } tcp)
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Parse((string?)tcp["host"] ?? ip), Port(tcp["port"], container), timeout.Token).ConfigureAwait(false);
                return true;
            }
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            return false;
        }
    }

    private static int Port(JsonNode? port, JsonObject container) =>
        port is JsonValue v && v.TryGetValue<string>(out var name)
            ? int.TryParse(name, out var n) ? n
            : Pods.Int((container["ports"] as JsonArray ?? []).FirstOrDefault(p => (string?)p?["name"] == name)?["containerPort"], 0) is var found and > 0 ? found
            : throw new InvalidOperationException($"no container port named {name}")
            : Pods.Int(port, 0);

    /// <summary>Kills every pod's process (a node going away), and waits for the workers to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers.Values) worker.Shutdown();
        try
        {
            await Task.WhenAll(_workers.Values.Select(w => w.Completion)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        Launcher.Dispose();
        _http.Dispose();
    }
}
