using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cowboys.Sandbox.Api;

/// <summary>One request as the fake API server received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body)
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
/// expire after <see cref="Compact"/>, status subresources, merge/JSON patches, finalizers and
/// ownerReference garbage collection. Talk to it with the real KubernetesClient
/// (<see cref="CreateClient"/>); act as the kubelet or the Job controller with <see cref="Upsert"/>,
/// <see cref="SetStatus"/> and friends.
/// </summary>
public sealed partial class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store = new();
    private readonly IReadOnlyList<ResourceType> _resources;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(Func<RecordedRequest, bool> Match, int Code, string Reason, string Message)> _failures = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _bookmarkLoop;
    private int _disposed;

    private ApiServer(WebApplication app, IReadOnlyList<ResourceType> resources, TimeSpan bookmarkInterval)
    {
        _app = app;
        _resources = resources;
        BookmarkInterval = bookmarkInterval;
        _app.Run(HandleAsync);
        _bookmarkLoop = Task.Run(SendBookmarksAsync);
    }

    /// <summary>Starts a server on 127.0.0.1 on a free port.</summary>
    /// <param name="resources">The resources to serve; <see cref="ResourceTable.Default"/> if null.</param>
    /// <param name="bookmarkInterval">How often open watches that allow bookmarks get one (default 1 s;
    /// the real server sends one about every minute). Each such watch also gets one at once.</param>
    public static async Task<ApiServer> StartAsync(IReadOnlyList<ResourceType>? resources = null, TimeSpan? bookmarkInterval = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new ApiServer(builder.Build(), resources ?? ResourceTable.Default, bookmarkInterval ?? TimeSpan.FromSeconds(1));
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
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(ctx.RequestAborted).ConfigureAwait(false);
        }
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", request.ContentType, body);
        _requests.Enqueue(recorded);
        try
        {
            if (TakeFailure(recorded) is { } failure)
            {
                throw new ApiError(failure.Code, failure.Reason, failure.Message);
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
            await ServeDiscoveryAsync(ctx, segments).ConfigureAwait(false);
            return;
        }
        if (rest.Length == 0)
        {
            await ServeDiscoveryAsync(ctx, segments).ConfigureAwait(false);
            return;
        }

        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }
        var rt = _resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == rest[0]);
        if (rt is null || (ns is not null && !rt.Namespaced) || rest.Length > 3 || (rest.Length == 3 && (rest[2] != "status" || !rt.HasStatusSubresource)))
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
        }
        var name = rest.Length >= 2 ? Uri.UnescapeDataString(rest[1]) : null;
        var status = rest.Length == 3;
        if (rt.Namespaced && ns is null && name is not null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
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
                await WriteJsonAsync(ctx, 201, _store.Create(rt, ns, ParseObject(req.Body))).ConfigureAwait(false);
                break;
            case ("DELETE", null) when rt.Namespaced == (ns is not null):
                await DeleteCollectionAsync(ctx, req, rt, ns).ConfigureAwait(false);
                break;
            case ("GET", not null):
                await WriteJsonAsync(ctx, 200, _store.Get(rt, ns, name)).ConfigureAwait(false);
                break;
            case ("PUT", not null):
                await WriteJsonAsync(ctx, 200, _store.Update(rt, ns, name, ParseObject(req.Body), status ? UpdateKind.Status : UpdateKind.Main))
                    .ConfigureAwait(false);
                break;
            case ("PATCH", not null):
                await WriteJsonAsync(ctx, 200, _store.Patch(rt, ns, name, PatchFunction(req), status ? UpdateKind.Status : UpdateKind.Main))
                    .ConfigureAwait(false);
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

    private async Task ListAsync(HttpContext ctx, RecordedRequest req, ResourceType rt, string? ns)
    {
        var (items, rv) = _store.List(rt, ns, LabelSelector.Parse(req.QueryValue("labelSelector")), FieldSelector.Parse(req.QueryValue("fieldSelector"), rt));
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
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
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
            await foreach (var line in watch.Lines.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
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

    private static Func<JsonObject, JsonNode?> PatchFunction(RecordedRequest req)
    {
        var mediaType = (req.ContentType ?? "").Split(';')[0].Trim();
        var patch = JsonNode.Parse(req.Body);
        return mediaType switch
        {
            "application/merge-patch+json" or "application/strategic-merge-patch+json" => current => JsonPatching.MergePatch(current, patch),
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

    /// <summary>/version, /api, /apis, /api/v1, /apis/{g}/{v}: enough discovery for clients that ask.</summary>
    private async Task ServeDiscoveryAsync(HttpContext ctx, string[] segments)
    {
        JsonNode? answer = segments switch
        {
            ["version"] => new JsonObject { ["major"] = "1", ["minor"] = "34", ["gitVersion"] = "v1.34.0-fake", ["platform"] = "linux/amd64" },
            ["api"] => new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") },
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. _resources.Where(r => r.Group.Length > 0).Select(r => (r.Group, r.Version)).Distinct()
                    .Select(gv => (JsonNode)new JsonObject
                    {
                        ["name"] = gv.Group,
                        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{gv.Group}/{gv.Version}", ["version"] = gv.Version }),
                        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{gv.Group}/{gv.Version}", ["version"] = gv.Version },
                    })]),
            },
            ["api", var v] => ResourceList("", v),
            ["apis", var g, var v] => ResourceList(g, v),
            _ => null,
        };
        if (answer is null)
        {
            throw new ApiError(404, "NotFound", "the server could not find the requested resource", new JsonObject());
        }
        await WriteJsonAsync(ctx, 200, answer).ConfigureAwait(false);
    }

    private JsonObject? ResourceList(string group, string version)
    {
        var served = _resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }
        var list = new JsonArray();
        foreach (var r in served)
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            });
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
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
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
