using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Xunit;

using Cowboys.Sandbox.Api;

namespace Cowboys.Tests.Sandbox;

/// <summary>The fake API server, driven through the real KubernetesClient the operator uses.</summary>
public sealed class ApiServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private const string Ns = "default";
    private const string Group = "example.com";
    private const string Version = "v1alpha1";
    private const string Plural = "shootouts";

    private ApiServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(bookmarkInterval: TimeSpan.FromMilliseconds(200));
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static V1Pod Pod(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    // a Job's pods must say how they restart (OnFailure or Never), or the server refuses the Job
    private static V1PodSpec JobPodSpec() => new() { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox" }] };

    private static JsonObject Shootout(string name, int cowboys = 3) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "Shootout",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["cowboys"] = cowboys },
    };

    private static JsonObject Node(object? body) => JsonNode.Parse(((JsonElement)body!).GetRawText())!.AsObject();

    private static async Task<HttpOperationException> Fails(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal("application/json", e.Response.Headers.Single(h => h.Key == "Content-Type").Value.Single());
        return e;
    }

    private static JsonObject StatusOf(HttpOperationException e) => JsonNode.Parse(e.Response.Content)!.AsObject();

    // ------------------------------------------------------------------ CRUD

    [Fact]
    public async Task Create_returns_201_with_server_fields_and_a_second_create_of_the_name_is_409_AlreadyExists()
    {
        var created = await _client.CoreV1.CreateNamespacedPodAsync(Pod("p1"), Ns);

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(Ns, created.Metadata.NamespaceProperty);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.Path == "/api/v1/namespaces/default/pods");

        var read = await _client.CoreV1.ReadNamespacedPodAsync("p1", Ns);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);

        var e = await Fails(() => _client.CoreV1.CreateNamespacedPodAsync(Pod("p1"), Ns));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal("AlreadyExists", (string?)StatusOf(e)["reason"]);
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_NotFound_Status_naming_it()
    {
        var e = await Fails(() => _client.BatchV1.ReadNamespacedJobAsync("nope", Ns));

        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        var status = StatusOf(e);
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal(404, (int?)status["code"]);
        Assert.Equal("nope", (string?)status["details"]?["name"]);
        Assert.Equal("jobs", (string?)status["details"]?["kind"]);
        Assert.Equal("jobs.batch \"nope\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Create_without_name_is_422_Invalid_and_generateName_makes_a_unique_name()
    {
        var e = await Fails(() => _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta() }, Ns));
        Assert.Equal(422, (int)e.Response.StatusCode);
        Assert.Equal("Invalid", (string?)StatusOf(e)["reason"]);

        var a = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cm-" } }, Ns);
        var b = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "cm-" } }, Ns);
        Assert.StartsWith("cm-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task List_filters_by_label_and_field_selectors_and_carries_the_current_resourceVersion()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("a", new Dictionary<string, string> { ["app"] = "cowboy", ["role"] = "shooter" }), Ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("b", new Dictionary<string, string> { ["app"] = "cowboy" }), Ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("c", new Dictionary<string, string> { ["app"] = "other" }), "elsewhere");

        static IEnumerable<string> Names(V1PodList l) => l.Items.Select(p => p.Metadata.Name);
        Assert.Equal(["a", "b"], Names(await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, labelSelector: "app=cowboy")));
        Assert.Equal(["b"], Names(await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, labelSelector: "app=cowboy,role!=shooter")));
        Assert.Equal(["a"], Names(await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, labelSelector: "role")));
        Assert.Equal(["b"], Names(await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, fieldSelector: "metadata.name=b")));
        Assert.Equal(["a", "b", "c"], Names(await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app in (cowboy,other)")));

        var all = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns);
        Assert.Equal(_server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), all.Metadata.ResourceVersion);
    }

    // ------------------------------------------------------------------ watch

    private sealed class Recorder
    {
        public Channel<(WatchEventType Type, string? Name, string? Rv)> Events { get; } = Channel.CreateUnbounded<(WatchEventType, string?, string?)>();

        public TaskCompletionSource<Exception> Error { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnEvent(WatchEventType type, IMetadata<V1ObjectMeta> obj) => Events.Writer.TryWrite((type, obj.Metadata?.Name, obj.Metadata?.ResourceVersion));

        public void OnError(Exception e) => Error.TrySetResult(e);

        public void OnClosed() => Closed.TrySetResult();

        /// <summary>The next event that is not a bookmark.</summary>
        public async Task<(WatchEventType Type, string? Name, string? Rv)> Next()
        {
            using var cts = new CancellationTokenSource(Timeout);
            while (true)
            {
                var e = await Events.Reader.ReadAsync(cts.Token);
                if (e.Type != WatchEventType.Bookmark)
                {
                    return e;
                }
            }
        }
    }

    [Fact]
    public async Task Watch_from_a_lists_resourceVersion_sees_later_ADDED_MODIFIED_DELETED_in_order()
    {
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("before"), Ns);
        var list = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("w"), Ns); // between list and watch: must be replayed

        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, resourceVersion: list.Metadata.ResourceVersion,
            allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError, onClosed: rec.OnClosed);

        var pod = await _client.CoreV1.ReadNamespacedPodAsync("w", Ns);
        pod.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var replaced = await _client.CoreV1.ReplaceNamespacedPodAsync(pod, "w", Ns);
        var deleted = await _client.CoreV1.DeleteNamespacedPodAsync("w", Ns);

        Assert.Equal((WatchEventType.Added, "w"), Pick(await rec.Next()));
        var modified = await rec.Next();
        Assert.Equal((WatchEventType.Modified, "w"), Pick(modified));
        Assert.Equal(replaced.Metadata.ResourceVersion, modified.Rv);
        var gone = await rec.Next();
        Assert.Equal((WatchEventType.Deleted, "w"), Pick(gone));
        Assert.Equal(deleted.Metadata.ResourceVersion, gone.Rv);
        Assert.True(long.Parse(gone.Rv!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(modified.Rv!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static (WatchEventType, string?) Pick((WatchEventType Type, string? Name, string? Rv) e) => (e.Type, e.Name);

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_synthetic_ADDED_for_existing_objects_then_live_events()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "old" } }, Ns);

        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedConfigMap(namespaceParameter: Ns, onEvent: rec.OnEvent, onError: rec.OnError);
        Assert.Equal((WatchEventType.Added, "old"), Pick(await rec.Next()));

        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "new" } }, Ns);
        Assert.Equal((WatchEventType.Added, "new"), Pick(await rec.Next()));
    }

    [Fact]
    public async Task Watch_with_a_label_selector_reports_an_object_leaving_the_selection_as_DELETED()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, labelSelector: "app=cowboy");
        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, labelSelector: "app=cowboy",
            resourceVersion: list.Metadata.ResourceVersion, allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError);

        await _client.CoreV1.CreateNamespacedPodAsync(Pod("other"), Ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("p", new Dictionary<string, string> { ["app"] = "cowboy" }), Ns);
        await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"gone"}}}""", V1Patch.PatchType.MergePatch), "p", Ns);

        Assert.Equal((WatchEventType.Added, "p"), Pick(await rec.Next()));
        Assert.Equal((WatchEventType.Deleted, "p"), Pick(await rec.Next()));
    }

    [Fact]
    public async Task Watch_from_a_compacted_resourceVersion_gets_410_Expired_through_onError_and_the_stream_ends()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("after"), Ns);
        _server.Compact();

        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, resourceVersion: list.Metadata.ResourceVersion,
            allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError, onClosed: rec.OnClosed);

        var error = Assert.IsType<KubernetesException>(await rec.Error.Task.WaitAsync(Timeout));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.StartsWith($"too old resource version: {list.Metadata.ResourceVersion} (", error.Status.Message, StringComparison.Ordinal);
        await rec.Closed.Task.WaitAsync(Timeout);
        Assert.False(rec.Events.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Watch_with_bookmarks_gets_one_at_once_and_more_periodically_with_the_current_resourceVersion()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns);
        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, resourceVersion: list.Metadata.ResourceVersion,
            allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError);

        using var cts = new CancellationTokenSource(Timeout);
        var first = await rec.Events.Reader.ReadAsync(cts.Token);
        Assert.Equal(WatchEventType.Bookmark, first.Type);
        Assert.Equal(list.Metadata.ResourceVersion, first.Rv);

        await _client.CoreV1.CreateNamespacedPodAsync(Pod("x"), Ns);
        var rvAfter = _server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(WatchEventType.Added, (await rec.Events.Reader.ReadAsync(cts.Token)).Type);
        var periodic = await rec.Events.Reader.ReadAsync(cts.Token);
        Assert.Equal((WatchEventType.Bookmark, rvAfter), (periodic.Type, periodic.Rv));
    }

    [Fact]
    public async Task DropWatches_ends_open_streams_and_a_new_watch_resumes_from_the_last_seen_resourceVersion()
    {
        var list = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns);
        var rec = new Recorder();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, resourceVersion: list.Metadata.ResourceVersion,
            allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError, onClosed: rec.OnClosed);
        await _client.CoreV1.CreateNamespacedPodAsync(Pod("one"), Ns);
        var seen = await rec.Next();

        _server.DropWatches();
        await rec.Closed.Task.WaitAsync(Timeout);

        await _client.CoreV1.CreateNamespacedPodAsync(Pod("two"), Ns);
        var again = new Recorder();
        using var resumed = _client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, resourceVersion: seen.Rv,
            allowWatchBookmarks: true, onEvent: again.OnEvent, onError: again.OnError);
        Assert.Equal((WatchEventType.Added, "two"), Pick(await again.Next()));
    }

    // ------------------------------------------------------------------ custom resources and status

    [Fact]
    public async Task Custom_objects_create_get_and_status_writes_follow_subresource_semantics()
    {
        var body = Shootout("s1");
        body["status"] = new JsonObject { ["phase"] = "Sneaky" }; // dropped: status is a subresource
        var created = Node(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, Ns, Plural));
        Assert.Equal(1, (int?)created["metadata"]?["generation"]);
        Assert.Null(created["status"]);

        // status write: status changes, spec and generation do not
        var statusBody = created.DeepClone().AsObject();
        statusBody["status"] = new JsonObject { ["phase"] = "Playing" };
        statusBody["spec"]!["cowboys"] = 99;
        var afterStatus = Node(await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(statusBody, Group, Version, Ns, Plural, "s1"));
        Assert.Equal("Playing", (string?)afterStatus["status"]?["phase"]);
        Assert.Equal(3, (int?)afterStatus["spec"]?["cowboys"]);
        Assert.Equal(1, (int?)afterStatus["metadata"]?["generation"]);

        var patched = Node(await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"winner":"Tuco"}}""", V1Patch.PatchType.MergePatch), Group, Version, Ns, Plural, "s1"));
        Assert.Equal("Playing", (string?)patched["status"]?["phase"]);
        Assert.Equal("Tuco", (string?)patched["status"]?["winner"]);
        Assert.Equal(1, (int?)patched["metadata"]?["generation"]);

        // main-resource write: spec change bumps generation, status in the body is ignored
        var mainBody = patched.DeepClone().AsObject();
        mainBody["spec"]!["cowboys"] = 5;
        mainBody["status"] = new JsonObject { ["phase"] = "Ignored" };
        var afterSpec = Node(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(mainBody, Group, Version, Ns, Plural, "s1"));
        Assert.Equal(2, (int?)afterSpec["metadata"]?["generation"]);
        Assert.Equal(5, (int?)afterSpec["spec"]?["cowboys"]);
        Assert.Equal("Playing", (string?)afterSpec["status"]?["phase"]);

        var read = Node(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, Ns, Plural, "s1"));
        Assert.True(JsonNode.DeepEquals(afterSpec, read));
    }

    [Fact]
    public async Task A_write_that_changes_nothing_keeps_the_resourceVersion_and_emits_no_event()
    {
        var created = Node(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Shootout("same"), Group, Version, Ns, Plural));
        var again = Node(await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(created, Group, Version, Ns, Plural, "same"));
        Assert.Equal((string?)created["metadata"]?["resourceVersion"], (string?)again["metadata"]?["resourceVersion"]);
    }

    [Fact]
    public async Task Replace_with_a_stale_resourceVersion_is_409_Conflict_also_on_status()
    {
        var created = Node(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Shootout("c1"), Group, Version, Ns, Plural));
        var fresh = created.DeepClone().AsObject();
        fresh["spec"]!["cowboys"] = 4;
        await _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(fresh, Group, Version, Ns, Plural, "c1");

        var stale = created.DeepClone().AsObject();
        stale["spec"]!["cowboys"] = 7;
        var e = await Fails(() => _client.CustomObjects.ReplaceNamespacedCustomObjectAsync(stale, Group, Version, Ns, Plural, "c1"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal("Conflict", (string?)StatusOf(e)["reason"]);

        stale["status"] = new JsonObject { ["phase"] = "Done" };
        e = await Fails(() => _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(stale, Group, Version, Ns, Plural, "c1"));
        Assert.Equal("Conflict", (string?)StatusOf(e)["reason"]);
    }

    [Fact]
    public async Task Custom_object_watch_streams_events_as_json_objects()
    {
        var list = Node(await _client.CustomObjects.ListNamespacedCustomObjectAsync(group: Group, version: Version, namespaceParameter: Ns, plural: Plural));
        Assert.Equal("ShootoutList", (string?)list["kind"]);
        var events = Channel.CreateUnbounded<(WatchEventType, JsonObject)>();
        using var watcher = _client.CustomObjects.WatchListNamespacedCustomObject(group: Group, version: Version, namespaceParameter: Ns,
            plural: Plural, resourceVersion: (string?)list["metadata"]?["resourceVersion"], allowWatchBookmarks: true,
            onEvent: (t, o) => events.Writer.TryWrite((t, Node(o))));

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Shootout("w1"), Group, Version, Ns, Plural);
        _server.SetStatus("shootouts", Ns, "w1", new JsonObject { ["phase"] = "Done" });

        using var cts = new CancellationTokenSource(Timeout);
        async Task<(WatchEventType Type, JsonObject Obj)> Next()
        {
            while (true)
            {
                var e = await events.Reader.ReadAsync(cts.Token);
                if (e.Item1 != WatchEventType.Bookmark)
                {
                    return e;
                }
            }
        }
        var added = await Next();
        Assert.Equal(WatchEventType.Added, added.Type);
        Assert.Equal("Shootout", (string?)added.Obj["kind"]);
        var modified = await Next();
        Assert.Equal(WatchEventType.Modified, modified.Type);
        Assert.Equal("Done", (string?)modified.Obj["status"]?["phase"]);
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_operation_is_422()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cm" },
            Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        }, Ns);

        var patched = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """[{"op":"test","path":"/data/a","value":"1"},{"op":"replace","path":"/data/a","value":"10"},{"op":"remove","path":"/data/b"},{"op":"add","path":"/data/c","value":"3"}]""",
            V1Patch.PatchType.JsonPatch), "cm", Ns);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "10", ["c"] = "3" }, patched.Data);

        var e = await Fails(() => _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """[{"op":"test","path":"/data/a","value":"1"}]""", V1Patch.PatchType.JsonPatch), "cm", Ns));
        Assert.Equal(422, (int)e.Response.StatusCode);

        var merged = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":null,"d":"4"}}""", V1Patch.PatchType.StrategicMergePatch), "cm", Ns);
        Assert.Equal(new Dictionary<string, string> { ["c"] = "3", ["d"] = "4" }, merged.Data);
    }

    // ------------------------------------------------------------------ deletion

    [Fact]
    public async Task Deleting_an_owner_garbage_collects_its_dependents_recursively()
    {
        var shootout = Node(await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Shootout("owner"), Group, Version, Ns, Plural));
        V1OwnerReference Ref(string apiVersion, string kind, string name, string uid) =>
            new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = uid, Controller = true, BlockOwnerDeletion = true };
        var job = await _client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owned-job",
                OwnerReferences = [Ref($"{Group}/{Version}", "Shootout", "owner", (string)shootout["metadata"]!["uid"]!)],
            },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = JobPodSpec() } },
        }, Ns);
        var pod = Pod("owned-pod");
        pod.Metadata.OwnerReferences = [Ref("batch/v1", "Job", "owned-job", job.Metadata.Uid)];
        await _client.CoreV1.CreateNamespacedPodAsync(pod, Ns);
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "bystander" } }, Ns);

        var status = Node(await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, Ns, Plural, "owner"));
        Assert.Equal("Success", (string?)status["status"]);

        await _server.WaitForAbsentAsync("jobs", Ns, "owned-job", Timeout);
        await _server.WaitForAbsentAsync("pods", Ns, "owned-pod", Timeout);
        Assert.NotNull(_server.Get("configmaps", Ns, "bystander"));
    }

    [Fact]
    public async Task Deleting_a_Job_without_propagationPolicy_orphans_its_pods_as_batch_v1_does()
    {
        var job = _server.Seed(new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = "j", ["namespace"] = Ns },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject() } },
        });
        var jobUid = (string)job["metadata"]!["uid"]!;
        var pod = Pod("j-pod");
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "j", Uid = jobUid }];
        await _client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

        await _client.BatchV1.DeleteNamespacedJobAsync("j", Ns);

        var orphan = await _server.WaitForAsync("pods", Ns, p => p["metadata"]?["ownerReferences"] is null, Timeout);
        Assert.Equal("j-pod", (string?)orphan["metadata"]?["name"]);
    }

    [Fact]
    public async Task A_finalizer_holds_deletion_until_it_is_removed()
    {
        var cm = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["example.com/cleanup"] },
        }, Ns);

        await _client.CoreV1.DeleteNamespacedConfigMapAsync("held", Ns);
        var marked = await _client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", Ns);
        var e = await Fails(() => _client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.NotEqual(cm.Metadata.ResourceVersion, marked.Metadata.ResourceVersion);
    }

    // ------------------------------------------------------------------ test hooks

    [Fact]
    public async Task FailNext_fails_exactly_one_matching_request_and_the_log_shows_no_Job_was_created()
    {
        _server.Seed(Shootout("f"));
        _server.FailNext(r => r.Method == "PUT" && r.Path.EndsWith("/status", StringComparison.Ordinal), 409, "Conflict");
        var current = Node(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, Ns, Plural, "f"));
        current["status"] = new JsonObject { ["phase"] = "Playing" };

        var e = await Fails(() => _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(current, Group, Version, Ns, Plural, "f"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        var ok = Node(await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(current, Group, Version, Ns, Plural, "f"));
        Assert.Equal("Playing", (string?)ok["status"]?["phase"]);

        Assert.DoesNotContain(_server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal));
        Assert.Contains("\"Playing\"", _server.Requests.Last(r => r.Method == "PUT").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubeconfig_written_by_the_server_gives_a_working_client()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fake-kubeconfig-{Guid.NewGuid():N}");
        try
        {
            _server.WriteKubeconfig(path, "games");
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            Assert.Equal("games", config.Namespace);
            using var client = new k8s.Kubernetes(config);
            await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "sa" } }, config.Namespace);
            Assert.NotNull(_server.Get("serviceaccounts", "games", "sa"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Test_hooks_act_as_the_kubelet_and_Job_controller_and_watchers_see_it()
    {
        _server.Seed(Shootout("game"));
        var rec = new Recorder();
        using var watcher = _client.BatchV1.WatchListNamespacedJob(namespaceParameter: Ns, allowWatchBookmarks: true, onEvent: rec.OnEvent, onError: rec.OnError);
        await _client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "game-play" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = JobPodSpec() } },
        }, Ns);

        var job = await _server.WaitForAsync("jobs", Ns, j => (string?)j["metadata"]?["name"] == "game-play", Timeout);
        Assert.Equal("game-play", (string?)job["spec"]?["template"]?["metadata"]?["labels"]?["job-name"]);
        _server.Seed(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"game-play-abcde","namespace":"default","labels":{"job-name":"game-play"}},
             "spec":{"containers":[{"name":"play","image":"cowboys"}]}}
            """)!.AsObject());
        _server.SetStatus("pods", Ns, "game-play-abcde", JsonNode.Parse("""
            {"phase":"Succeeded","podIP":"10.0.0.7","containerStatuses":[{"name":"play","ready":false,"restartCount":0,"image":"cowboys","imageID":"",
             "state":{"terminated":{"exitCode":0,"reason":"Completed","message":"winner: Tuco"}}}]}
            """)!);
        _server.SetStatus("jobs", Ns, "game-play", JsonNode.Parse("""
            {"succeeded":1,"conditions":[{"type":"Complete","status":"True"}]}
            """)!);

        var pods = await _client.CoreV1.ListNamespacedPodAsync(namespaceParameter: Ns, labelSelector: "job-name=game-play");
        Assert.Equal("winner: Tuco", pods.Items.Single().Status.ContainerStatuses.Single().State.Terminated.Message);
        var read = await _client.BatchV1.ReadNamespacedJobAsync("game-play", Ns);
        Assert.Contains(read.Status.Conditions, c => c.Type == "Complete" && c.Status == "True");
        Assert.Equal(1, read.Metadata.Generation);
        Assert.Equal((WatchEventType.Added, "game-play"), Pick(await rec.Next()));
        Assert.Equal((WatchEventType.Modified, "game-play"), Pick(await rec.Next()));
    }

    [Fact]
    public async Task DisposeAsync_ends_open_watch_streams_cleanly()
    {
        var server = await ApiServer.StartAsync();
        using var client = server.CreateClient();
        var rec = new Recorder();
        using var watcher = client.CoreV1.WatchListNamespacedPod(namespaceParameter: Ns, allowWatchBookmarks: true,
            onEvent: rec.OnEvent, onError: rec.OnError, onClosed: rec.OnClosed);
        using var cts = new CancellationTokenSource(Timeout);
        Assert.Equal(WatchEventType.Bookmark, (await rec.Events.Reader.ReadAsync(cts.Token)).Type);

        await server.DisposeAsync();

        await rec.Closed.Task.WaitAsync(Timeout);
        Assert.False(rec.Error.Task.IsCompleted);
    }

    // ------------------------------------------------------------------ leader election

    [Fact]
    public async Task Lease_election_one_elector_leads_a_second_stays_out_while_it_renews_and_leads_once_the_lease_is_gone()
    {
        // Whole seconds: the client writes leaseDurationSeconds as (int)LeaseDuration.TotalSeconds. The renew
        // deadline is generous so that a scheduling stall on a busy 2-core machine does not cost the first its lead.
        LeaderElector Elector(string id) => new(new LeaderElectionConfig(new LeaseLock(_server.CreateClient(), Ns, "operator", id))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromMilliseconds(1500),
            RetryPeriod = TimeSpan.FromMilliseconds(50),
        });

        using var first = Elector("first");
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        using var stopFirst = new CancellationTokenSource();
        var firstRun = first.RunUntilLeadershipLostAsync(stopFirst.Token);
        await firstLeads.Task.WaitAsync(Timeout);
        Assert.Equal("first", (string?)_server.Get("leases", Ns, "operator")?["spec"]?["holderIdentity"]);

        using var second = Elector("second");
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var stopSecond = new CancellationTokenSource();
        var secondRun = second.RunUntilLeadershipLostAsync(stopSecond.Token);

        // The first's renewals are lease writes; wait until it has renewed for longer than the lease lasts,
        // which is when the second would have taken over had the renewals not reached the server.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var renewals = 0;
        string? lastRenew = null;
        await _server.WaitUntilAsync(() =>
        {
            var spec = _server.Get("leases", Ns, "operator")?["spec"];
            if ((string?)spec?["holderIdentity"] == "first" && (string?)spec?["renewTime"] != lastRenew)
            {
                renewals++;
                lastRenew = (string?)spec?["renewTime"];
            }
            return renewals >= 10 && watch.Elapsed > TimeSpan.FromMilliseconds(2200);
        }, Timeout, "the first elector renewing for longer than the lease");
        Assert.False(secondLeads.Task.IsCompleted);
        Assert.True(first.IsLeader());
        Assert.Contains(_server.Requests, r => r.Method == "PUT" && r.Path == "/apis/coordination.k8s.io/v1/namespaces/default/leases/operator");

        // The first stops and its lease is removed (waiting out its expiry would only test the client's clock).
        await stopFirst.CancelAsync();
        await firstRun.ContinueWith(_ => { }, TaskScheduler.Default);
        await _client.CoordinationV1.DeleteNamespacedLeaseAsync("operator", Ns);
        await secondLeads.Task.WaitAsync(Timeout);
        Assert.Equal("second", (string?)_server.Get("leases", Ns, "operator")?["spec"]?["holderIdentity"]);
        await stopSecond.CancelAsync();
        await secondRun.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
