using Cowboys.Sandbox.Api;
using Cowboys.Sandbox.Workloads;

namespace Cowboys.Sandbox;

/// <summary>
/// The stand-in cluster: the API server plus the controllers (Job, Deployment, ReplicaSet) and
/// one node's kubelet, which runs every pod's container as a local process of the executable its
/// image stands for. Start it in-process (tests) or with `dotnet run --project tests/Cowboys.Sandbox`.
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly bool _ownsServer;
    private readonly string _root;
    private readonly bool _ownsRoot;

    private SandboxCluster(ApiServer server, bool ownsServer, SandboxOptions options)
    {
        Server = server;
        _ownsServer = ownsServer;
        _ownsRoot = options.Root is null;
        _root = options.Root ?? Directory.CreateTempSubdirectory("sandbox-").FullName;
        var log = options.Log ?? (_ => { });
        Images = options.Images ?? ImageMap.Default();
        Kubelet = new Kubelet(server, Images, new PodNetwork(options.FirstPodAddress), Path.Combine(_root, "pods"), options.RestartBackoff, log);
        server.PodLogs = (ns, pod) => Kubelet.Logs(ns, pod);
        server.PodExec = Kubelet.Exec;
        _loops.Add(Kubelet.Run(_stop.Token));
        if (options.Controllers)
        {
            _loops.Add(new JobController(server, options.JobBackoff, log).Run(_stop.Token));
            // a server started without the apps/v1 resources gets no Deployment controller
            if (Serves(server, WorkloadResources.ReplicaSets) && Serves(server, WorkloadResources.Deployments))
            {
                _loops.Add(new ReplicaSetController(server, log).Run(_stop.Token));
                _loops.Add(new DeploymentController(server, log).Run(_stop.Token));
            }
        }
    }

    public ApiServer Server { get; }

    private static bool Serves(ApiServer server, ResourceType rt)
    {
        try
        {
            return server.Resource(rt.QualifiedPlural).ApiVersion == rt.ApiVersion;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public Kubelet Kubelet { get; }

    public ImageMap Images { get; }

    /// <summary>Starts a new API server (serving <see cref="WorkloadResources.All"/>) and the workloads on it.</summary>
    public static async Task<SandboxCluster> StartAsync(SandboxOptions? options = null) =>
        new(await ApiServer.StartAsync(WorkloadResources.All).ConfigureAwait(false), ownsServer: true, options ?? new SandboxOptions());

    /// <summary>Runs the workloads on a server someone else started and disposes (it must serve pods and jobs).</summary>
    public static SandboxCluster On(ApiServer server, SandboxOptions? options = null) => new(server, ownsServer: false, options ?? new SandboxOptions());

    /// <summary>Stops the controllers, kills every pod's process, then stops the server if it started it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await Kubelet.DisposeAsync().ConfigureAwait(false);
        Server.PodLogs = null;
        if (_ownsServer) await Server.DisposeAsync().ConfigureAwait(false);
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        _stop.Dispose();
    }
}
