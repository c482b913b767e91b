using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cowboys.Tests.Discovery;

/// <summary>
/// A stand-in for the one Kubernetes API call pod discovery makes:
/// GET /api/v1/namespaces/{ns}/pods?labelSelector=..., answered with a V1PodList of the pods in
/// that namespace that match the selector (equality terms: k=v, k==v, k!=v, k; comma means and),
/// as the real API server does. Every request is recorded.
/// </summary>
public sealed class PodsApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<V1Pod> _pods = [];

    public sealed record Request(string Namespace, string? LabelSelector, string? Authorization);

    private PodsApiStandIn(WebApplication app) => _app = app;

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>When set, every request is answered with this status and a Status body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>How long to wait before answering.</summary>
    public TimeSpan Delay { get; set; }

    public string Url { get; private set; } = "";

    public static async Task<PodsApiStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new PodsApiStandIn(app);
        app.MapGet("/api/v1/namespaces/{ns}/pods", standIn.ListAsync);
        await app.StartAsync();
        standIn.Url = app.Urls.Single();
        return standIn;
    }

    public PodsApiStandIn Add(V1Pod pod)
    {
        lock (_pods) _pods.Add(pod);
        return this;
    }

    /// <summary>A kubeconfig whose current context points at this stand-in over plain http.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stand-in
              cluster:
                server: {Url}
            contexts:
            - name: stand-in
              context:
                cluster: stand-in
                user: stand-in
            current-context: stand-in
            users:
            - name: stand-in
              user:
                token: stand-in-token
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A pod as the API reports it: phase, IP and container ports (name, port).</summary>
    public static V1Pod Pod(string name, string ns, IDictionary<string, string> labels, string phase, string? podIp,
        IEnumerable<(string Name, int Port)> ports, DateTime? deletionTimestamp = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, DeletionTimestamp = deletionTimestamp },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "cowboy", Image = "cowboys:test", Ports = ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port }).ToList() }],
        },
        Status = new V1PodStatus { Phase = phase, PodIP = podIp },
    };

    private async Task<IResult> ListAsync(string ns, HttpRequest request)
    {
        string? selector = request.Query["labelSelector"];
        Requests.Enqueue(new Request(ns, selector, request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
        if (FailWith is { } status)
        {
            // the client's V1Status converter only reads; a real API server sends this shape
            var body = $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"stand-in failure {{(int)status}}","code":{{(int)status}}}""";
            return Results.Text(body, "application/json", statusCode: (int)status);
        }
        List<V1Pod> matching;
        lock (_pods) matching = _pods.Where(p => p.Metadata.NamespaceProperty == ns && Matches(selector, p.Metadata.Labels)).ToList();
        var list = new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta { ResourceVersion = "1" }, Items = matching };
        return Results.Text(KubernetesJson.Serialize(list), "application/json");
    }

    private static bool Matches(string? selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        foreach (var term in (selector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = term.IndexOf("!=", StringComparison.Ordinal);
            if (at >= 0)
            {
                if (labels.TryGetValue(term[..at].Trim(), out var actual) && actual == term[(at + 2)..].Trim()) return false;
                continue;
            }
            at = term.IndexOf('=');
            if (at >= 0)
            {
                // k=v and k==v
                if (!labels.TryGetValue(term[..at].Trim(), out var actual) || actual != term[(at + 1)..].TrimStart('=').Trim()) return false;
                continue;
            }
            if (!labels.ContainsKey(term)) return false;
        }
        return true;
    }
}

/// <summary>Sets an environment variable for the duration of a test and restores the previous value.</summary>
public sealed class EnvironmentVariableScope : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    public EnvironmentVariableScope(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}
