using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Cowboys.Sandbox.Api.Validation;
using Microsoft.Extensions.Logging;

namespace Cowboys.Sandbox.Api;

/// <summary>One request as the fake API server received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, string? Authorization = null,
    string? Accept = null)
{
    /// <summary>A query parameter's value, or null.</summary>
    public string? QueryValue(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).TryGetValue(name, out var v) ? v.ToString() : null;

    public bool IsWatch => QueryValue("watch") is "true" or "1";

    public override string ToString() => $"{Method} {Path}{Query}";
}

/// <summary>
/// An in-process stand-in for the Kubernetes API server, for tests: plain HTTP on 127.0.0.1, the
/// real wire protocol for the resources an operator uses (see <see cref="ResourceTable"/>), an
/// in-memory store with one global resourceVersion, watches that resume from a resourceVersion and
/// expire after <see cref="Compact"/>, status subresources, merge/JSON/strategic-merge patches,
/// finalizers and ownerReference garbage collection; CRDs that serve their resources at once;
/// discovery, OpenAPI v3 and Tables as kubectl reads them; the real server's validation
/// (<see cref="Validation.ObjectValidation"/>, strict field decoding). Talk to it with the real
/// KubernetesClient (<see cref="CreateClient"/>) or kubectl (<see cref="WriteKubeconfig"/>); act as
/// the kubelet or the Job controller with <see cref="Upsert"/>, <see cref="SetStatus"/>,
/// <see cref="PodLogs"/> and friends. See tests/Cowboys.Sandbox/README.md.
/// </summary>
public sealed partial class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store = new();
    private readonly object _resourcesGate = new();
    private volatile IReadOnlyList<ResourceType> _resources;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(Func<RecordedRequest, bool> Match, int Code, string Reason, string Message)> _failures = [];
    private readonly List<(Func<RecordedRequest, bool> Match, TimeSpan Delay)> _delays = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _bookmarkLoop;
    private int _disposed;

    private ApiServer(WebApplication app, IReadOnlyList<ResourceType> resources, TimeSpan bookmarkInterval)
    {
        _app = app;
        _resources = [.. resources];
        _store.Committed = OnCommitted;
        BookmarkInterval = bookmarkInterval;
        _app.UseWebSockets();
        _app.Run(HandleAsync);
        _bookmarkLoop = Task.Run(SendBookmarksAsync);
    }

    /// <summary>Starts a server on 127.0.0.1 on a free port.</summary>
    /// <param name="resources">The resources to serve; <see cref="ResourceTable.Default"/> if null.</param>
    /// <param name="bookmarkInterval">How often open watches that allow bookmarks get one (default 1 s;
    /// the real server sends one about every minute). Each such watch also gets one at once.</param>
    /// <param name="requireNamespaces">As on a real cluster: objects can only be created in an existing
    /// namespace (default, kube-system, kube-public and kube-node-lease exist from the start), and
    /// deleting a namespace deletes what is in it. Off by default for in-process tests.</param>
    /// <param name="port">0 for a free port.</param>
    public static async Task<ApiServer> StartAsync(IReadOnlyList<ResourceType>? resources = null, TimeSpan? bookmarkInterval = null,
        bool requireNamespaces = false, int port = 0)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        var server = new ApiServer(builder.Build(), resources ?? ResourceTable.Default, bookmarkInterval ?? TimeSpan.FromSeconds(1));
        if (requireNamespaces)
        {
            foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                server.Seed(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Namespace",
                    ["metadata"] = new JsonObject { ["name"] = ns },
                    ["status"] = new JsonObject { ["phase"] = "Active" },
                });
            }
            server._store.RequireNamespaces = true;
        }
        await server._app.StartAsync().ConfigureAwait(false);
        server.Url = server._app.Urls.Single();
        return server;
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; private set; } = "";

    public TimeSpan BookmarkInterval { get; }

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>A real KubernetesClient pointed at this server.</summary>
    public IKubernetes CreateClient() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Url });

    /// <summary>Writes a kubeconfig pointing at this server (context "fake", namespace "default").</summary>
    public void WriteKubeconfig(string path, string @namespace = "default") => File.WriteAllText(path, $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {Url}
        users:
        - name: fake
          user:
            token: fake-token
        contexts:
        - name: fake
          context:
            cluster: fake
            user: fake
            namespace: {@namespace}
        current-context: fake
        """);

    /// <summary>
    /// The next request for which <paramref name="match"/> is true gets this error (a Status with
    /// the code and reason) instead of being served. One failure per call.
    /// </summary>
    public void FailNext(Func<RecordedRequest, bool> match, int code, string reason, string? message = null)
    {
        lock (_failures)
        {
            _failures.Add((match, code, reason, message ?? $"injected failure: {reason}"));
        }
    }

    /// <summary>The next request for which <paramref name="match"/> is true is answered only after <paramref name="delay"/> (a slow server).</summary>
    public void DelayNext(Func<RecordedRequest, bool> match, TimeSpan delay)
    {
        lock (_delays)
        {
            _delays.Add((match, delay));
        }
    }

    /// <summary>
    /// Serves GET .../pods/{name}/log for the kubelet that runs the pods: (namespace, pod name) to
    /// the pod's log text, or null while it has none. Without it, every pod has no log yet.
    /// </summary>
    public Func<string, string, string?>? PodLogs { get; set; }

    /// <summary>
    /// Serves pods/exec for the kubelet that runs the pods: (namespace, pod, container or null,
    /// command) to what starts the command in the pod's container, or an <see cref="ApiError"/>
    /// if it cannot run there. Without it, exec is refused.
    /// </summary>
    public Func<string, string, string?, IReadOnlyList<string>, Func<Task<System.Diagnostics.Process>>>? PodExec { get; set; }

    /// <summary>The resources served now: the built-ins and one per served version of each CustomResourceDefinition.</summary>
    public IReadOnlyList<ResourceType> Resources => _resources;

    /// <summary>Forgets the event history: watching from any resourceVersion before now gets 410 Expired.</summary>
    public void Compact() => _store.Compact();

    /// <summary>Ends all open watch streams: abruptly (connection reset, the default) or as a clean end of stream.</summary>
    public void DropWatches(bool abrupt = true) => _store.EndWatches(abrupt);

    // ------------------------------------------------------------ test hooks (no HTTP, same store)

    /// <summary>
    /// Creates an object as given (status kept), resource from its apiVersion/kind, namespace from
    /// its metadata (default "default"). Fails with <see cref="ApiError"/> like a POST.
    /// </summary>
    public JsonObject Seed(JsonObject obj)
    {
        var (rt, ns) = Locate(obj);
        return _store.Create(rt, ns, obj, keepStatus: true);
    }

    /// <summary>Creates or replaces an object as given, spec and status, with no resourceVersion check.</summary>
    public JsonObject Upsert(JsonObject obj)
    {
        var (rt, ns) = Locate(obj);
        var name = (string?)obj["metadata"]?["name"] ?? throw new ArgumentException("Upsert needs metadata.name", nameof(obj));
        return _store.Update(rt, ns, name, obj, UpdateKind.Hook);
    }

    /// <summary>A copy of the object, or null. <paramref name="resource"/> is a plural ("jobs") or qualified plural ("events.events.k8s.io").</summary>
    public JsonObject? Get(string resource, string? @namespace, string name) => _store.TryGet(Resource(resource), @namespace, name);

    /// <summary>Copies of the objects of a resource, in one namespace or (null) all, ordered by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(string resource, string? @namespace = null, string? labelSelector = null)
    {
        var rt = Resource(resource);
        return _store.List(rt, rt.Namespaced ? @namespace : null, LabelSelector.Parse(labelSelector), FieldSelector.Everything).Items;
    }

    /// <summary>Replaces the status, as a controller writing /status would (no resourceVersion check).</summary>
    public JsonObject SetStatus(string resource, string? @namespace, string name, JsonNode status) =>
        Update(resource, @namespace, name, obj => obj["status"] = status.DeepClone());

    /// <summary>Read-modify-write of one object (spec, metadata and status) as a controller would; bumps generation on spec changes.</summary>
    public JsonObject Update(string resource, string? @namespace, string name, Action<JsonObject> change)
    {
        var rt = Resource(resource);
        return _store.Patch(rt, @namespace, name, obj =>
        {
            change(obj);
            return obj;
        }, UpdateKind.Hook);
    }

    /// <summary>Deletes like a DELETE request (finalizers hold it; dependents are collected unless orphaned).</summary>
    public JsonObject Delete(string resource, string? @namespace, string name, Propagation? propagation = null) =>
        _store.Delete(Resource(resource), @namespace, name, propagation);

    /// <summary>Waits (no polling: re-checked after every write) until the condition holds.</summary>
    public Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string what = "a condition", CancellationToken ct = default) =>
        _store.WaitUntilAsync(condition, timeout ?? TimeSpan.FromSeconds(10), what, ct);

    /// <summary>Waits for an object of the resource (in the namespace, or any if null) that matches, and returns a copy of it.</summary>
    public async Task<JsonObject> WaitForAsync(string resource, string? @namespace, Func<JsonObject, bool>? match = null, TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        JsonObject? found = null;
        await WaitUntilAsync(() => (found = List(resource, @namespace).FirstOrDefault(o => match?.Invoke(o) ?? true)) is not null,
            timeout, $"a matching {resource} in {@namespace ?? "any namespace"}", ct).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits until the named object no longer exists.</summary>
    public Task WaitForAbsentAsync(string resource, string? @namespace, string name, TimeSpan? timeout = null, CancellationToken ct = default) =>
        WaitUntilAsync(() => Get(resource, @namespace, name) is null, timeout, $"{resource} {@namespace}/{name} to be gone", ct);

    public ResourceType Resource(string resource) =>
        _resources.FirstOrDefault(r => r.QualifiedPlural == resource)
        ?? _resources.FirstOrDefault(r => r.Plural == resource)
        ?? throw new ArgumentException($"unknown resource {resource}", nameof(resource));

    private (ResourceType, string?) Locate(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        var rt = _resources.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind)
            ?? throw new ArgumentException($"no resource for apiVersion {apiVersion} kind {kind}", nameof(obj));
        return (rt, rt.Namespaced ? (string?)obj["metadata"]?["namespace"] ?? "default" : null);
    }

    // ------------------------------------------------------------ HTTP

    private async Task HandleAsync(HttpContext ctx)
    {
        var request = ctx.Request;
        using var bytes = new MemoryStream();
        await request.Body.CopyToAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
        var isProtobuf = bytes.Length > 0 && request.ContentType is { } mediaType
            && mediaType.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal);
        string body;
        ApiError? undecodable = null;
        try
        {
            body = isProtobuf ? ProtobufBodies.ToJson(bytes.ToArray()).ToJsonString() : Encoding.UTF8.GetString(bytes.ToArray());
        }
        catch (Exception e) when (e is ApiError or InvalidProtocolBufferException)
        {
            body = "";
            undecodable = e as ApiError ?? new ApiError(400, "BadRequest", $"the body of the request was in an unknown format: {e.Message}");
        }
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", request.ContentType, body,
            request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            request.Headers.Accept.ToString() is { Length: > 0 } accept ? accept : null);
        _requests.Enqueue(recorded);
        try
        {
            if (TakeDelay(recorded) is { } delay)
            {
                await Task.Delay(delay, ctx.RequestAborted).ConfigureAwait(false);
            }
            if (TakeFailure(recorded) is { } failure)
            {
                throw new ApiError(failure.Code, failure.Reason, failure.Message);
            }
            if (undecodable is not null)
            {
                throw undecodable;
            }
            if (bytes.Length > 0 && request.ContentType is { } type && type.StartsWith("application/cbor", StringComparison.Ordinal))
            {
                throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: "
                    + "application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json "
                    + "(the sandbox API server does not decode application/cbor: use kubectl apply -f or kubectl create -f)");
            }
            await RouteAsync(ctx, recorded).ConfigureAwait(false);
        }
        catch (ApiError e)
        {
            await WriteJsonAsync(ctx, e.Code, e.ToStatus()).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteJsonAsync(ctx, 400, ApiStatus.Failure(400, "BadRequest", $"the body of the request was in an unknown format: {e.Message}"))
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a bug in the fake, answered the way the real server answers a panic
            await WriteJsonAsync(ctx, 500, ApiStatus.Failure(500, "InternalError", $"Internal error occurred: {e}")).ConfigureAwait(false);
        }
    }

    private TimeSpan? TakeDelay(RecordedRequest request)
    {
        lock (_delays)
        {
            var index = _delays.FindIndex(d => d.Match(request));
            if (index < 0)
            {
                return null;
            }
            var delay = _delays[index].Delay;
            _delays.RemoveAt(index);
            return delay;
        }
    }

    private (int Code, string Reason, string Message)? TakeFailure(RecordedRequest request)
    {
        lock (_failures)
        {
            var index = _failures.FindIndex(f => f.Match(request));
            if (index < 0)
            {
                return null;
            }
            var (_, code, reason, message) = _failures[index];
            _failures.RemoveAt(index);
            return (code, reason, message);
        }
    }

    private async Task RouteAsync(HttpContext ctx, RecordedRequest req)
    {
        var segments = req.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        string[] rest;
        if (segments is ["api", var v, ..])
        {
            (group, version, rest) = ("", v, segments[2..]);
        }
        else if (segments is ["apis", var g, var v2, ..])
        {
            (group, version, rest) = (g, v2, segments[3..]);
        }
        else
        {
            await ServeDiscoveryAsync(ctx, req, segments).ConfigureAwait(false);
            return;
        }
        if (rest.Length == 0)
        {
            await ServeDiscoveryAsync(ctx, req, segments).ConfigureAwait(false);
            return;
        }

        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }
        var rt = _resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == rest[0]);
        var subresource = rest.Length == 3 ? rest[2] : null;
        var isLog = subresource == "log" && rt is { Group: "", Plural: "pods" };
        if (subresource == "exec" && rt is { Group: "", Plural: "pods" } && ns is not null)
        {
            await ServeExecAsync(ctx, req, rt, ns, Uri.UnescapeDataString(rest[1])).ConfigureAwait(false);
            return;
        }
        if (subresource is "attach" or "portforward" && rt is { Group: "", Plural: "pods" } && ns is not null)
        {
            // a pod here is a local process on its own loopback address: say how to reach it instead
            var pod = _store.Get(rt, ns, Uri.UnescapeDataString(rest[1]));
            var ip = (string?)pod["status"]?["podIP"] ?? "<its IP: kubectl get pod -o wide>";
            throw ApiError.BadRequest($"the sandbox does not run pods/{subresource}: its pods are local processes; reach one directly at {ip}, "
                + $"or run a command in it with kubectl exec POD -- COMMAND");
        }
        if (rt is null || (ns is not null && !rt.Namespaced) || rest.Length > 3
            || (subresource is not null && !isLog && (subresource != "status" || !rt.HasStatusSubresource)))
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
        }
        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : null;
        var status = subresource == "status";
        if (rt.Namespaced && ns is null && name is not null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
        }
        if (isLog)
        {
            await ServeLogAsync(ctx, req, rt, ns!, name!).ConfigureAwait(false);
            return;
        }

        switch (req.Method, name)
        {
            case ("GET", null) when req.IsWatch:
                await WatchAsync(ctx, req, rt, ns).ConfigureAwait(false);
                break;
            case ("GET", null):
                await ListAsync(ctx, req, rt, ns).ConfigureAwait(false);
                break;
            case ("POST", null) when rt.Namespaced == (ns is not null):
                var created = ParseObject(req.Body);
                CheckFields(ctx, req, rt, created, "create");
                await WriteJsonAsync(ctx, 201, _store.Create(rt, ns, created, dryRun: req.QueryValue("dryRun") == "All")).ConfigureAwait(false);
                break;
            case ("DELETE", null) when rt.Namespaced == (ns is not null):
                await DeleteCollectionAsync(ctx, req, rt, ns).ConfigureAwait(false);
                break;
            case ("GET", not null):
                var one = _store.Get(rt, ns, name);
                await WriteJsonAsync(ctx, 200, Tables.Wanted(req.Accept)
                    ? Tables.ToTable(rt, [one], (string?)one["metadata"]?["resourceVersion"] ?? "", req.QueryValue("includeObject"), DateTime.UtcNow)
                    : one).ConfigureAwait(false);
                break;
            case ("PUT", not null):
                var replacement = ParseObject(req.Body);
                CheckFields(ctx, req, rt, replacement, "update");
                await WriteJsonAsync(ctx, 200, _store.Update(rt, ns, name, replacement, status ? UpdateKind.Status : UpdateKind.Main))
                    .ConfigureAwait(false);
                break;
            case ("PATCH", not null):
                var patch = PatchFunction(req, rt);
                await WriteJsonAsync(ctx, 200, _store.Patch(rt, ns, name, current =>
                {
                    var patched = patch(current);
                    if (patched is JsonObject o)
                    {
                        CheckFields(ctx, req, rt, o, "patch");
                    }
                    return patched;
                }, status ? UpdateKind.Status : UpdateKind.Main)).ConfigureAwait(false);
                break;
            case ("DELETE", not null) when !status && rt is { Group: "", Plural: "namespaces" } && _store.RequireNamespaces:
                await WriteJsonAsync(ctx, 200, TerminateNamespace(name)).ConfigureAwait(false);
                break;
            case ("DELETE", not null) when !status:
                var (propagation, uid, rv) = DeleteOptions(req);
                var deleted = _store.Delete(rt, ns, name, propagation, uid, rv);
                await WriteJsonAsync(ctx, 200, deleted).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource", new JsonObject());
        }
    }

    /// <summary>
    /// Decoding as the real server decodes: a value of the wrong type is a 400 whatever the
    /// fieldValidation; then server-side field validation (the fieldValidation parameter; Warn
    /// when absent, as on the real server): members the kind's schema does not know are refused (Strict), reported in a
    /// Warning header (Warn) or dropped silently (Ignore). Dropped in every case but Strict, as the
    /// decoder drops them.
    /// </summary>
    private static void CheckFields(HttpContext ctx, RecordedRequest req, ResourceType rt, JsonObject obj, string verb)
    {
        var directive = req.QueryValue("fieldValidation") ?? "Warn";
        if (directive is not ("Strict" or "Warn" or "Ignore"))
        {
            throw ApiError.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \"{directive}\"");
        }
        var strict = directive == "Strict";
        var model = BuiltInSchema.ModelOf(rt.Group, rt.Version, rt.Kind);
        if (model is not null && BuiltInSchema.TypeErrors(obj, model) is [var typeError, ..])
        {
            throw ApiError.BadRequest(verb == "patch" ? typeError : $"{rt.Kind} in version \"{rt.Version}\" cannot be handled as a {rt.Kind}: {typeError}");
        }
        var unknown = model is not null ? BuiltInSchema.UnknownFields(obj, model, prune: !strict)
            : rt.Crd is not null ? CustomSchema.UnknownFields(obj, rt.Crd["schema"]?["openAPIV3Schema"] as JsonObject, prune: !strict)
            : [];
        if (unknown.Count == 0 || directive == "Ignore")
        {
            return;
        }
        var problems = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
        if (strict)
        {
            var message = $"strict decoding error: {problems}";
            throw ApiError.BadRequest(verb == "patch" ? message : $"{rt.Kind} in version \"{rt.Version}\" cannot be handled as a {rt.Kind}: {message}");
        }
        foreach (var u in unknown)
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"unknown field \\\"{u}\\\"\"");
        }
    }

    /// <summary>
    /// GET .../pods/{name}/exec?command=...: checked like the real server (the pod, the command,
    /// no terminal, the container), then the command runs in the pod's container through
    /// <see cref="PodExec"/> over the websocket protocol (<see cref="ExecStream"/>).
    /// </summary>
    private async Task ServeExecAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string ns, string name)
    {
        _store.Get(rt, ns, name);
        var query = ctx.Request.Query;
        var argv = query["command"].Select(c => c ?? "").ToList();
        if (argv.Count == 0) throw ApiError.BadRequest("you must specify at least 1 command");
        if (req.QueryValue("tty") is "true" or "1")
        {
            throw ApiError.BadRequest("the sandbox runs no terminal: run the command without -t (kubectl exec POD -- COMMAND)");
        }
        var exec = PodExec ?? throw ApiError.BadRequest($"no kubelet runs pod {name}'s containers");
        var start = exec(ns, name, req.QueryValue("container"), argv);
        var protocol = ExecStream.Negotiate(ctx);
        await ExecStream.ServeAsync(ctx, protocol, start, stdin: req.QueryValue("stdin") is "true" or "1", argv, _stopping.Token).ConfigureAwait(false);
    }

    /// <summary>GET .../pods/{name}/log: the pod's log from <see cref="PodLogs"/> as text, tailLines honoured.</summary>
    private async Task ServeLogAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string ns, string name)
    {
        if (req.Method != "GET")
        {
            throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());
        }
        var pod = _store.Get(rt, ns, name);
        var containers = (pod["spec"]?["containers"] as JsonArray)?.Select(c => (string?)c?["name"]).ToList() ?? [];
        var container = req.QueryValue("container");
        if (container is not null && !containers.Contains(container))
        {
            throw ApiError.BadRequest($"container {container} is not valid for pod {name}");
        }
        if (container is null && containers.Count > 1)
        {
            throw ApiError.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
        }
        var log = PodLogs?.Invoke(ns, name);
        var full = log;
        if (log is null)
        {
            // what the real server answers before the kubelet has started the container
            throw ApiError.BadRequest($"container \"{container ?? containers.FirstOrDefault()}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }
        if (req.QueryValue("tailLines") is { } tail)
        {
            if (!int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var lines))
            {
                throw ApiError.BadRequest($"tailLines: Invalid value: \"{tail}\": must be a non-negative integer");
            }
            var all = log.EndsWith('\n') ? log[..^1].Split('\n') : log.Split('\n');
            log = lines >= all.Length ? log : string.Concat(all[^lines..].Select(l => l + "\n"));
            if (lines == 0)
            {
                log = "";
            }
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(log, ctx.RequestAborted).ConfigureAwait(false);
        if (req.QueryValue("follow") == "true") await FollowLogAsync(ctx, rt, ns, name, full!.Length).ConfigureAwait(false);
    }

    /// <summary>
    /// follow=true, as the kubelet streams it: what the container writes from now on, until it has
    /// terminated (or its pod is gone, or the client hangs up), then the stream ends.
    /// </summary>
    private async Task FollowLogAsync(HttpContext ctx, ResourceType rt, string ns, string name, int sent)
    {
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        while (!ctx.RequestAborted.IsCancellationRequested)
        {
            var pod = _store.TryGet(rt, ns, name);
            // read the state before the log, so that the last lines of a container that just ended are sent
            var ended = pod is null || (pod["status"]?["containerStatuses"] as JsonArray)?.Any(c => c?["state"]?["terminated"] is not null) == true;
            var now = PodLogs?.Invoke(ns, name);
            if (now is null || now.Length < sent) return; // a new container: kubectl follows the one it asked for
            if (now.Length > sent)
            {
                await ctx.Response.WriteAsync(now[sent..], ctx.RequestAborted).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                sent = now.Length;
            }
            if (ended) return;
            try
            {
                await Task.Delay(100, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string? ns)
    {
        var (items, rv) = _store.List(rt, ns, LabelSelector.Parse(req.QueryValue("labelSelector")), FieldSelector.Parse(req.QueryValue("fieldSelector"), rt));
        var rvText = rv.ToString(CultureInfo.InvariantCulture);
        if (Tables.Wanted(req.Accept))
        {
            await WriteJsonAsync(ctx, 200, Tables.ToTable(rt, items, rvText, req.QueryValue("includeObject"), DateTime.UtcNow)).ConfigureAwait(false);
            return;
        }
        var array = new JsonArray();
        foreach (var item in items)
        {
            if (!rt.IsCustom)
            {
                // typed lists from the real server carry apiVersion/kind only on the list itself
                item.Remove("apiVersion");
                item.Remove("kind");
            }
            array.Add(item);
        }
        await WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["apiVersion"] = rt.ApiVersion,
            ["kind"] = rt.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rvText },
            ["items"] = array,
        }).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string? ns)
    {
        var (items, _) = _store.List(rt, ns, LabelSelector.Parse(req.QueryValue("labelSelector")), FieldSelector.Parse(req.QueryValue("fieldSelector"), rt));
        var (propagation, _, _) = DeleteOptions(req);
        foreach (var item in items)
        {
            try
            {
                _store.Delete(rt, ns, (string)item["metadata"]!["name"]!, propagation);
            }
            catch (ApiError e) when (e.Code == 404)
            {
                // deleted meanwhile
            }
        }
        await WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        }).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string? ns)
    {
        var labels = LabelSelector.Parse(req.QueryValue("labelSelector"));
        var fields = FieldSelector.Parse(req.QueryValue("fieldSelector"), rt);
        var bookmarks = req.QueryValue("allowWatchBookmarks") is "true" or "1";
        var watch = _store.Watch(rt, ns, labels, fields, req.QueryValue("resourceVersion"), bookmarks);
        watch.OnAbort = ctx.Abort;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        if (int.TryParse(req.QueryValue("timeoutSeconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        try
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.StartAsync(timeout.Token).ConfigureAwait(false);
            var newline = "\n"u8.ToArray();
            var asTable = Tables.Wanted(req.Accept);
            var first = true;
            await foreach (var raw in watch.Lines.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                var line = raw;
                if (asTable && JsonNode.Parse(raw) is JsonObject { } ev && (string?)ev["type"] is "ADDED" or "MODIFIED" or "DELETED" && ev["object"] is JsonObject obj)
                {
                    // kubectl get -w: each event carries a one-row Table; the columns come with the first
                    var table = Tables.ToTable(rt, [obj], (string?)obj["metadata"]?["resourceVersion"] ?? "", req.QueryValue("includeObject"), DateTime.UtcNow);
                    if (!first)
                    {
                        table["columnDefinitions"] = new JsonArray();
                    }
                    first = false;
                    ev["object"] = table;
                    line = ev.ToJsonString();
                }
                await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line), timeout.Token).ConfigureAwait(false);
                await ctx.Response.Body.WriteAsync(newline, timeout.Token).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds passed, the client went away, or the server is stopping: end the stream
        }
        catch (IOException)
        {
            // connection dropped
        }
        finally
        {
            _store.Unsubscribe(watch);
        }
    }

    private async Task SendBookmarksAsync()
    {
        using var timer = new PeriodicTimer(BookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                _store.SendBookmarks();
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private static Func<JsonObject, JsonNode?> PatchFunction(RecordedRequest req, ResourceType rt)
    {
        var mediaType = (req.ContentType ?? "").Split(';')[0].Trim();
        var patch = JsonNode.Parse(req.Body);
        var model = BuiltInSchema.ModelOf(rt.Group, rt.Version, rt.Kind);
        return mediaType switch
        {
            "application/merge-patch+json" => current => JsonPatching.MergePatch(current, patch),
            // strategic merge needs the Go types' patch strategies: the real server has none for custom resources
            "application/strategic-merge-patch+json" when model is null && rt.IsCustom => throw new ApiError(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
                + "application/merge-patch+json, application/apply-patch+yaml"),
            "application/strategic-merge-patch+json" when patch is JsonObject smp => current =>
                model is null ? JsonPatching.MergePatch(current, smp) : StrategicMerge.Apply(current, smp, model),
            "application/strategic-merge-patch+json" => throw ApiError.BadRequest("a strategic merge patch must be a JSON object"),
            "application/json-patch+json" when patch is JsonArray ops => current =>
            {
                try
                {
                    return JsonPatching.ApplyJsonPatch(current, ops);
                }
                catch (JsonPatchException e)
                {
                    throw new ApiError(422, "Invalid", e.Message);
                }
            },
            "application/json-patch+json" => throw ApiError.BadRequest("json patch must be an array of operations"),
            "application/apply-patch+yaml" => throw new ApiError(415, "UnsupportedMediaType",
                "server-side apply is not implemented by the sandbox API server: use client-side kubectl apply"),
            _ => throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"),
        };
    }

    private static (Propagation?, string?, string?) DeleteOptions(RecordedRequest req)
    {
        var options = string.IsNullOrWhiteSpace(req.Body) ? null : JsonNode.Parse(req.Body) as JsonObject;
        var policy = req.QueryValue("propagationPolicy") ?? (string?)options?["propagationPolicy"];
        Propagation? propagation = policy switch
        {
            null or "" => options?["orphanDependents"] is JsonValue o && o.TryGetValue<bool>(out var orphan)
                ? orphan ? Propagation.Orphan : Propagation.Background
                : null,
            "Background" => Propagation.Background,
            "Foreground" => Propagation.Foreground,
            "Orphan" => Propagation.Orphan,
            _ => throw ApiError.BadRequest($"DeleteOptions.propagationPolicy: Unsupported value: \"{policy}\""),
        };
        return (propagation, (string?)options?["preconditions"]?["uid"], (string?)options?["preconditions"]?["resourceVersion"]);
    }

    private static JsonObject ParseObject(string body) =>
        JsonNode.Parse(body) as JsonObject ?? throw ApiError.BadRequest("the body of the request was not a JSON object");

    /// <summary>/version, /api, /apis, /api/v1, /apis/{g}/{v}, /openapi/v3[/...]: discovery as kubectl reads it.</summary>
    private async Task ServeDiscoveryAsync(HttpContext ctx, RecordedRequest req, string[] segments)
    {
        var resources = _resources;
        JsonNode? answer = segments switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "32",
                ["gitVersion"] = "v1.32.0-sandbox",
                ["gitCommit"] = "",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z",
                ["goVersion"] = "",
                ["compiler"] = "",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = Url.Replace("http://", "", StringComparison.Ordinal) }),
            },
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. resources.Where(r => r.Group.Length > 0).GroupBy(r => r.Group)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["name"] = g.Key,
                        ["versions"] = new JsonArray([.. g.Select(r => r.Version).Distinct()
                            .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{g.Key}/{v}", ["version"] = v })]),
                        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Key}/{g.First().Version}", ["version"] = g.First().Version },
                    })]),
            },
            ["api", var v] => ResourceList(resources, "", v),
            ["apis", var g, var v] => ResourceList(resources, g, v),
            ["openapi", "v3"] => OpenApi.Index(resources),
            ["openapi", "v3", "api", var v] => GroupDocument(resources, "", v),
            ["openapi", "v3", "apis", var g, var v] => GroupDocument(resources, g, v),
            _ => null,
        };
        if (answer is null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
        }
        await WriteJsonAsync(ctx, 200, answer).ConfigureAwait(false);
    }

    private static JsonObject? GroupDocument(IReadOnlyList<ResourceType> resources, string group, string version)
    {
        var served = resources.Where(r => r.Group == group && r.Version == version).ToList();
        return served.Count == 0 ? null : OpenApi.Document(served[0].PathPrefix.TrimStart('/'), served);
    }

    private static JsonObject? ResourceList(IReadOnlyList<ResourceType> resources, string group, string version)
    {
        var served = resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var list = new JsonArray();
        foreach (var r in served)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (r.ShortNames is { Length: > 0 } shortNames)
            {
                entry["shortNames"] = new JsonArray([.. shortNames.Select(n => (JsonNode)n)]);
            }
            if (r.Categories is { Length: > 0 } categories)
            {
                entry["categories"] = new JsonArray([.. categories.Select(n => (JsonNode)n)]);
            }
            list.Add(entry);
            if (r.HasStatusSubresource)
            {
                list.Add(new JsonObject
                {
                    ["name"] = r.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = r.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
            if (r is { Group: "", Plural: "pods" })
            {
                list.Add(new JsonObject
                {
                    ["name"] = "pods/log",
                    ["singularName"] = "",
                    ["namespaced"] = true,
                    ["kind"] = "Pod",
                    ["verbs"] = new JsonArray("get"),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    /// <summary>
    /// Keeps the served resources in step with the CustomResourceDefinitions (a CRD's resource is
    /// served once it is created and goes, with its objects, when it is deleted).
    /// Runs under the store's lock, so a request that follows a write
    /// already sees its effect.
    /// </summary>
    private void OnCommitted(HistoryEntry entry)
    {
        if (entry.Rt is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            var crd = entry.Object;
            var group = (string?)crd["spec"]?["group"] ?? "";
            var plural = (string?)crd["spec"]?["names"]?["plural"] ?? "";
            lock (_resourcesGate)
            {
                var others = _resources.Where(r => !(r.Group == group && r.Plural == plural)).ToList();
                if (entry.Type == "DELETED")
                {
                    _resources = others;
                    // the instances go with it (the real server holds the CRD with a finalizer until they are gone)
                    _store.DeleteAll(k => k.Rt.Group == group && k.Rt.Plural == plural);
                }
                else
                {
                    _resources = [.. others, .. ServedBy(crd)];
                }
            }
        }
    }

    /// <summary>
    /// Like the namespace controller: the namespace is Terminating at once (no new content), its
    /// content is deleted a moment later, then the namespace itself. The moment lets a client that
    /// deletes a namespace and its content together (kubectl delete -k) find the content, as it
    /// does on a real cluster.
    /// </summary>
    private JsonObject TerminateNamespace(string name)
    {
        var rt = Resource("namespaces");
        var marked = _store.MarkForDeletion(rt, null, name, ns => ns["status"] = new JsonObject { ["phase"] = "Terminating" });
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stopping.Token).ConfigureAwait(false);
                _store.DeleteAll(k => k.Rt.Namespaced && k.Namespace == name);
                _store.Delete(rt, null, name);
            }
            catch (OperationCanceledException)
            {
                // the server is stopping
            }
            catch (ApiError)
            {
                // already gone
            }
        });
        return marked;
    }

    /// <summary>The resources a CRD serves: one per served version.</summary>
    public static IEnumerable<ResourceType> ServedBy(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        foreach (var version in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => (bool?)v["served"] != false))
        {
            yield return new ResourceType((string?)spec?["group"] ?? "", (string?)version["name"] ?? "", (string?)names?["plural"] ?? "",
                (string?)names?["kind"] ?? "",
                Namespaced: (string?)spec?["scope"] != "Cluster",
                HasStatusSubresource: version["subresources"]?["status"] is not null,
                TracksGeneration: true,
                IsCustom: true,
                ShortNames: (names?["shortNames"] as JsonArray)?.Select(n => (string)n!).ToArray(),
                Categories: (names?["categories"] as JsonArray)?.Select(n => (string)n!).ToArray(),
                Crd: version.DeepClone().AsObject());
        }
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Ends open watch streams cleanly, then stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _store.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _bookmarkLoop.ConfigureAwait(false);
        using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
