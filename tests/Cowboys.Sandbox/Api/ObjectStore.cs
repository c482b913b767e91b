using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Cowboys.Sandbox.Api.Validation;

namespace Cowboys.Sandbox.Api;

public readonly record struct ObjectKey(ResourceType Rt, string Namespace, string Name);

public enum UpdateKind
{
    /// <summary>PUT or PATCH on the resource: status changes are ignored where there is a status subresource.</summary>
    Main,

    /// <summary>PUT or PATCH on /status: only status changes.</summary>
    Status,

    /// <summary>A test acting as a controller: spec and status both taken, no resourceVersion needed.</summary>
    Hook,
}

public enum Propagation
{
    Background,
    Foreground,
    Orphan,
}

/// <summary>
/// The API server's storage: one global resourceVersion (etcd's revision), an event history for
/// watches to resume from, watch subscriptions fed in commit order, finalizers and the garbage
/// collector. Every object handed out is a copy; stored objects are never mutated.
/// </summary>
public sealed class ObjectStore : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> _objects = [];
    private readonly Dictionary<string, ObjectKey> _byUid = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly List<WatchSubscription> _watches = [];
    private readonly HashSet<string> _orphanOnFinalDelete = [];
    private readonly Channel<ObjectKey> _gcQueue = Channel.CreateUnbounded<ObjectKey>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _gcLoop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _rv = 1;
    private long _compactedRv;

    private static readonly ResourceType NamespacesType = ResourceTable.BuiltIn.Single(r => r is { Group: "", Plural: "namespaces" });

    /// <summary>Called (under the store's lock) after every write, in commit order: the API server keeps its CRDs' resources in step.</summary>
    public Action<HistoryEntry>? Committed { get; set; }

    /// <summary>Creating in a namespace needs the Namespace object, and one being deleted takes nothing new (as on a real cluster).</summary>
    public bool RequireNamespaces { get; set; }

    public ObjectStore()
    {
        _gcLoop = Task.Run(CollectGarbageAsync);
    }

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    // ---------------------------------------------------------------- reads

    public JsonObject Get(ResourceType rt, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(rt, ns, name), out var obj) ? Copy(obj) : throw ApiError.NotFound(rt, name);
        }
    }

    public JsonObject? TryGet(ResourceType rt, string? ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(Key(rt, ns, name), out var obj) ? Copy(obj) : null;
        }
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType rt, string? ns, LabelSelector labels, FieldSelector fields)
    {
        lock (_gate)
        {
            var items = Matching(rt, ns, labels, fields).Select(Copy).ToList();
            return (items, _rv);
        }
    }

    private IEnumerable<JsonObject> Matching(ResourceType rt, string? ns, LabelSelector labels, FieldSelector fields) =>
        _objects
            .Where(kv => kv.Key.Rt == rt && (ns is null || kv.Key.Namespace == ns) && labels.Matches(kv.Value) && fields.Matches(kv.Value))
            .OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
            .Select(kv => kv.Value);

    /// <summary>Completes once <paramref name="condition"/> holds; it is re-checked after every write.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (condition())
                {
                    return;
                }
                next = _changed.Task;
            }
            try
            {
                await next.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }
        }
    }

    // ---------------------------------------------------------------- writes

    /// <param name="dryRun">dryRun=All: every check of a create (the namespace exists, the name is free, the object is valid), nothing stored.</param>
    public JsonObject Create(ResourceType rt, string? ns, JsonObject body, bool keepStatus = false, bool dryRun = false)
    {
        var obj = Copy(body);
        CheckTypeMeta(rt, obj);
        var meta = Metadata(obj);
        lock (_gate)
        {
            var nsName = CheckNamespace(rt, ns, meta);
            var name = (string?)meta["name"];
            if (string.IsNullOrEmpty(name))
            {
                var prefix = (string?)meta["generateName"];
                if (string.IsNullOrEmpty(prefix))
                {
                    throw ApiError.Invalid(rt, "", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required");
                }
                do
                {
                    name = prefix + RandomSuffix();
                }
                while (_objects.ContainsKey(new ObjectKey(rt, nsName, name)));
                meta["name"] = name;
            }
            var errors = keepStatus ? ObjectValidation.Metadata(rt, obj) : ObjectValidation.ValidateCreate(rt, obj);
            if (errors.Count > 0)
            {
                throw ApiError.Invalid(rt, name, errors);
            }
            if (RequireNamespaces && rt.Namespaced)
            {
                // resource types are equal by group, version and plural: any namespaces instance finds the key
                if (!_objects.TryGetValue(new ObjectKey(NamespacesType, "", nsName), out var nsObject))
                {
                    throw new ApiError(404, "NotFound", $"namespaces \"{nsName}\" not found", new JsonObject { ["name"] = nsName, ["kind"] = "namespaces" });
                }
                if (nsObject["metadata"]?["deletionTimestamp"] is not null)
                {
                    throw new ApiError(403, "Forbidden", $"{rt.QualifiedPlural} \"{name}\" is forbidden: unable to create new content in namespace {nsName} because it is being terminated");
                }
            }
            var key = new ObjectKey(rt, nsName, name);
            if (_objects.ContainsKey(key))
            {
                throw ApiError.AlreadyExists(rt, name);
            }
            var uid = Guid.NewGuid().ToString();
            meta["uid"] = uid;
            meta["creationTimestamp"] = Now();
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            if (rt.TracksGeneration)
            {
                meta["generation"] = 1;
            }
            else
            {
                meta.Remove("generation");
            }
            if (rt.HasStatusSubresource && !keepStatus)
            {
                obj.Remove("status");
                if (rt.InitialStatus is not null)
                {
                    obj["status"] = JsonNode.Parse(rt.InitialStatus);
                }
            }
            if (rt.Plural == "jobs" && rt.Group == "batch")
            {
                DefaultJob(obj, uid, name);
            }
            if (dryRun) return Copy(obj);
            if (rt.Plural == "customresourcedefinitions" && rt.Group == "apiextensions.k8s.io")
            {
                EstablishCrd(obj);
            }
            Commit(key, null, obj, "ADDED");
            _byUid[uid] = key;
            EnqueueIfOwned(key, obj);
            return Copy(obj);
        }
    }

    public JsonObject Update(ResourceType rt, string? ns, string name, JsonObject body, UpdateKind kind)
    {
        lock (_gate)
        {
            var key = Key(rt, ns, name);
            if (!_objects.TryGetValue(key, out var old))
            {
                if (kind == UpdateKind.Hook)
                {
                    return Create(rt, ns, body, keepStatus: true);
                }
                throw ApiError.NotFound(rt, name);
            }
            return UpdateLocked(key, old, Copy(body), kind);
        }
    }

    /// <summary>Read-modify-write in one step, as the server applies a PATCH.</summary>
    public JsonObject Patch(ResourceType rt, string? ns, string name, Func<JsonObject, JsonNode?> patch, UpdateKind kind)
    {
        lock (_gate)
        {
            var key = Key(rt, ns, name);
            if (!_objects.TryGetValue(key, out var old))
            {
                throw ApiError.NotFound(rt, name);
            }
            if (patch(Copy(old)) is not JsonObject patched)
            {
                throw ApiError.BadRequest("the patched object is not a JSON object");
            }
            return UpdateLocked(key, old, patched, kind, isPatch: true);
        }
    }

    private JsonObject UpdateLocked(ObjectKey key, JsonObject old, JsonObject incoming, UpdateKind kind, bool isPatch = false)
    {
        var rt = key.Rt;
        CheckTypeMeta(rt, incoming);
        var meta = Metadata(incoming);
        var bodyName = (string?)meta["name"];
        if (!string.IsNullOrEmpty(bodyName) && bodyName != key.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({key.Name})");
        }
        CheckNamespace(rt, rt.Namespaced ? key.Namespace : null, meta);
        var oldMeta = old["metadata"]!.AsObject();
        var oldRv = (string?)oldMeta["resourceVersion"];
        var bodyRv = (string?)meta["resourceVersion"];
        if (!string.IsNullOrEmpty(bodyRv) && bodyRv != oldRv)
        {
            throw ApiError.Conflict(rt, key.Name);
        }
        if (string.IsNullOrEmpty(bodyRv) && rt.IsCustom && kind != UpdateKind.Hook && !isPatch)
        {
            throw ApiError.Invalid(rt, key.Name, "metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update");
        }

        JsonObject updated;
        if (kind == UpdateKind.Status)
        {
            updated = Copy(old);
            if (incoming["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }
            else
            {
                updated.Remove("status");
            }
        }
        else
        {
            updated = incoming;
            foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
            {
                if (oldMeta[field] is { } value)
                {
                    meta[field] = value.DeepClone();
                }
                else
                {
                    meta.Remove(field);
                }
            }
            meta["name"] = key.Name;
            if (kind == UpdateKind.Main && rt.HasStatusSubresource)
            {
                if (old["status"] is { } oldStatus)
                {
                    updated["status"] = oldStatus.DeepClone();
                }
                else
                {
                    updated.Remove("status");
                }
            }
            if (rt.TracksGeneration && !JsonNode.DeepEquals(WithoutMetadataAndStatus(old), WithoutMetadataAndStatus(updated)))
            {
                // (parse the JSON text: a number the store wrote is an Int32 node, one a client sent is a JsonElement)
                meta["generation"] = (oldMeta["generation"] is { } g ? long.Parse(g.ToJsonString(), CultureInfo.InvariantCulture) : 0) + 1;
            }
        }
        var updatedMeta = updated["metadata"]!.AsObject();
        updatedMeta["resourceVersion"] = oldRv;
        updatedMeta.Remove("managedFields");

        var errors = kind switch
        {
            UpdateKind.Main => ObjectValidation.ValidateUpdate(rt, old, updated),
            UpdateKind.Hook => ObjectValidation.Metadata(rt, updated, checkName: false),
            UpdateKind.Status => ObjectValidation.ValidateStatusUpdate(rt, old, updated),
            _ => [],
        };
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(rt, key.Name, errors);
        }
        if (JsonNode.DeepEquals(WithoutManagedFields(old), updated))
        {
            return Copy(old); // a no-op write is not written: no new resourceVersion, no watch event
        }
        if (updatedMeta["deletionTimestamp"] is not null && updatedMeta["finalizers"] is not JsonArray { Count: > 0 })
        {
            return RemoveLocked(key, updated, _orphanOnFinalDelete.Remove((string)oldMeta["uid"]!) ? Propagation.Orphan : Propagation.Background);
        }
        Commit(key, old, updated, "MODIFIED");
        EnqueueIfOwned(key, updated);
        return Copy(updated);
    }

    public JsonObject Delete(ResourceType rt, string? ns, string name, Propagation? propagation = null, string? preconditionUid = null,
        string? preconditionRv = null)
    {
        lock (_gate)
        {
            var key = Key(rt, ns, name);
            if (!_objects.TryGetValue(key, out var old))
            {
                throw ApiError.NotFound(rt, name);
            }
            var meta = old["metadata"]!.AsObject();
            var uid = (string)meta["uid"]!;
            if (preconditionUid is not null && preconditionUid != uid)
            {
                throw ApiError.Conflict(rt, name, $"Precondition failed: UID in precondition: {preconditionUid}, UID in object meta: {uid}");
            }
            if (preconditionRv is not null && preconditionRv != (string?)meta["resourceVersion"])
            {
                throw ApiError.Conflict(rt, name,
                    $"Precondition failed: ResourceVersion in precondition: {preconditionRv}, ResourceVersion in object meta: {meta["resourceVersion"]}");
            }
            var policy = propagation ?? (rt.OrphansByDefault ? Propagation.Orphan : Propagation.Background);
            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                // Finalizers hold the object: it only gets a deletionTimestamp until they are removed.
                if (policy == Propagation.Orphan)
                {
                    _orphanOnFinalDelete.Add(uid);
                }
                if (meta["deletionTimestamp"] is not null)
                {
                    return Copy(old);
                }
                var marked = Copy(old);
                marked["metadata"]!["deletionTimestamp"] = Now();
                marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
                Commit(key, old, marked, "MODIFIED");
                return Copy(marked);
            }
            var removed = RemoveLocked(key, old, policy);
            return rt.ReturnsDeletedObject ? removed : ApiStatus.Success(rt, name, uid);
        }
    }

    private JsonObject RemoveLocked(ObjectKey key, JsonObject last, Propagation policy)
    {
        var uid = (string)last["metadata"]!["uid"]!;
        var dependents = _objects.Where(kv => OwnerUids(kv.Value).Contains(uid)).Select(kv => kv.Key).ToList();
        if (policy == Propagation.Orphan)
        {
            // The real server orphans dependents (drops the owner reference) before the owner goes.
            foreach (var dependent in dependents)
            {
                var current = _objects[dependent];
                var orphaned = Copy(current);
                var refs = orphaned["metadata"]!["ownerReferences"]!.AsArray();
                foreach (var r in refs.Where(r => (string?)r?["uid"] == uid).ToList())
                {
                    refs.Remove(r);
                }
                if (refs.Count == 0)
                {
                    orphaned["metadata"]!.AsObject().Remove("ownerReferences");
                }
                Commit(dependent, current, orphaned, "MODIFIED");
            }
        }
        var gone = Copy(last);
        Commit(key, last, gone, "DELETED");
        _byUid.Remove(uid);
        if (policy != Propagation.Orphan)
        {
            foreach (var dependent in dependents)
            {
                _gcQueue.Writer.TryWrite(dependent);
            }
        }
        return Copy(gone);
    }

    /// <summary>Stores (or removes, for DELETED) one object at a new resourceVersion and tells the watchers.</summary>
    private void Commit(ObjectKey key, JsonObject? previous, JsonObject obj, string type)
    {
        _rv++;
        obj["metadata"]!["resourceVersion"] = _rv.ToString(CultureInfo.InvariantCulture);
        if (type == "DELETED")
        {
            _objects.Remove(key);
        }
        else
        {
            _objects[key] = obj;
        }
        var entry = new HistoryEntry(_rv, key.Rt, type, obj, previous);
        _history.Add(entry);
        foreach (var watch in _watches)
        {
            watch.Offer(entry);
        }
        Committed?.Invoke(entry);
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    // ---------------------------------------------------------------- garbage collector

    private void EnqueueIfOwned(ObjectKey key, JsonObject obj)
    {
        if (OwnerUids(obj).Count > 0)
        {
            _gcQueue.Writer.TryWrite(key);
        }
    }

    private async Task CollectGarbageAsync()
    {
        await foreach (var key in _gcQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            lock (_gate)
            {
                AttemptToDelete(key);
            }
        }
    }

    /// <summary>
    /// Like the real garbage collector: a dependent none of whose owners exist (same namespace or
    /// cluster-scoped, matched by uid) is deleted in the background; if some owners remain, the
    /// dangling references are dropped instead.
    /// </summary>
    private void AttemptToDelete(ObjectKey key)
    {
        if (!_objects.TryGetValue(key, out var obj) || OwnerUids(obj) is not { Count: > 0 } owners)
        {
            return;
        }
        var solid = owners.Where(uid => _byUid.TryGetValue(uid, out var owner) && (!owner.Rt.Namespaced || owner.Namespace == key.Namespace)).ToHashSet();
        if (solid.Count == 0)
        {
            if (obj["metadata"]!["finalizers"] is JsonArray { Count: > 0 })
            {
                if (obj["metadata"]!["deletionTimestamp"] is null)
                {
                    var marked = Copy(obj);
                    marked["metadata"]!["deletionTimestamp"] = Now();
                    marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
                    Commit(key, obj, marked, "MODIFIED");
                }
                return;
            }
            RemoveLocked(key, obj, Propagation.Background);
        }
        else if (solid.Count < owners.Count)
        {
            var trimmed = Copy(obj);
            var refs = trimmed["metadata"]!["ownerReferences"]!.AsArray();
            foreach (var r in refs.Where(r => !solid.Contains((string?)r?["uid"] ?? "")).ToList())
            {
                refs.Remove(r);
            }
            Commit(key, obj, trimmed, "MODIFIED");
        }
    }

    private static HashSet<string> OwnerUids(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray refs
            ? refs.Select(r => (string?)r?["uid"]).Where(u => !string.IsNullOrEmpty(u)).Select(u => u!).ToHashSet()
            : [];

    // ---------------------------------------------------------------- watches

    /// <summary>
    /// Opens a watch. Without a resourceVersion (or "0") it starts with a synthetic ADDED per
    /// existing object; with one it replays every later event, or sends a 410 Expired ERROR event
    /// and ends if that version has been compacted away.
    /// </summary>
    public WatchSubscription Watch(ResourceType rt, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion,
        bool bookmarks)
    {
        var watch = new WatchSubscription(rt, ns, labels, fields, bookmarks);
        lock (_gate)
        {
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in Matching(rt, ns, labels, fields))
                {
                    watch.Write("ADDED", obj);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"invalid resource version: {resourceVersion}");
                }
                if (from < _compactedRv)
                {
                    var status = ApiStatus.Failure(410, "Expired", $"too old resource version: {from} ({_compactedRv})");
                    watch.WriteLine(new JsonObject { ["type"] = "ERROR", ["object"] = status }.ToJsonString());
                    watch.Complete();
                    return watch;
                }
                foreach (var entry in _history.Where(e => e.ResourceVersion > from))
                {
                    watch.Offer(entry);
                }
            }
            if (bookmarks)
            {
                watch.Bookmark(_rv);
            }
            _watches.Add(watch);
        }
        return watch;
    }

    public void Unsubscribe(WatchSubscription watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watch in _watches.Where(w => w.Bookmarks))
            {
                watch.Bookmark(_rv);
            }
        }
    }

    /// <summary>Ends every open watch; abruptly (connection reset) or cleanly (end of stream).</summary>
    public void EndWatches(bool abrupt)
    {
        List<WatchSubscription> all;
        lock (_gate)
        {
            all = [.. _watches];
            _watches.Clear();
        }
        foreach (var watch in all)
        {
            if (abrupt)
            {
                watch.Abort();
            }
            watch.Complete();
        }
    }

    /// <summary>Forgets the event history: a watch from any resourceVersion before now gets 410 Expired.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compactedRv = _rv;
            _history.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        EndWatches(abrupt: false);
        _gcQueue.Writer.TryComplete();
        await _gcLoop.ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- helpers

    private static ObjectKey Key(ResourceType rt, string? ns, string name) => new(rt, rt.Namespaced ? ns ?? "" : "", name);

    public static JsonObject Copy(JsonObject obj) => obj.DeepClone().AsObject();

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }
        meta = [];
        obj["metadata"] = meta;
        return meta;
    }

    private static JsonObject WithoutMetadataAndStatus(JsonObject obj)
    {
        var copy = Copy(obj);
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = Copy(obj);
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    /// <summary>Like the server's decoder: missing apiVersion/kind come from the URL, wrong ones are a 400.</summary>
    private static void CheckTypeMeta(ResourceType rt, JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != rt.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({rt.ApiVersion})");
        }
        if (!string.IsNullOrEmpty(kind) && kind != rt.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({rt.Kind})");
        }
        // keep apiVersion and kind first, as the real server serializes them
        var rest = obj.ToList();
        obj.Clear();
        obj["apiVersion"] = rt.ApiVersion;
        obj["kind"] = rt.Kind;
        foreach (var (k, v) in rest.Where(kv => kv.Key is not ("apiVersion" or "kind")))
        {
            obj[k] = v;
        }
    }

    private static string CheckNamespace(ResourceType rt, string? ns, JsonObject meta)
    {
        if (!rt.Namespaced)
        {
            meta.Remove("namespace");
            return "";
        }
        var bodyNs = (string?)meta["namespace"];
        if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        meta["namespace"] = ns;
        return ns ?? "";
    }

    /// <summary>What the Job registry adds on create: a selector on the controller uid, the pod template labels, defaults.</summary>
    private static void DefaultJob(JsonObject job, string uid, string name)
    {
        if (job["spec"] is not JsonObject spec)
        {
            return;
        }
        spec["parallelism"] ??= 1;
        spec["completions"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        if (spec["manualSelector"] is JsonValue manual && manual.TryGetValue<bool>(out var isManual) && isManual)
        {
            return;
        }
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
        if (spec["template"] is JsonObject template)
        {
            var templateMeta = template["metadata"] as JsonObject ?? [];
            template["metadata"] = templateMeta;
            var labels = templateMeta["labels"] as JsonObject ?? [];
            templateMeta["labels"] = labels;
            labels["batch.kubernetes.io/controller-uid"] = uid;
            labels["batch.kubernetes.io/job-name"] = name;
            labels["controller-uid"] = uid;
            labels["job-name"] = name;
        }
    }

    /// <summary>What the apiextensions server reports once a CRD is served: names accepted, established.</summary>
    private static void EstablishCrd(JsonObject crd)
    {
        var now = Now();
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["storedVersions"] = new JsonArray([.. (crd["spec"]?["versions"] as JsonArray ?? [])
                .Where(v => (bool?)v?["storage"] == true).Select(v => (JsonNode?)JsonValue.Create((string?)v?["name"]))]),
        };
    }

    /// <summary>Gives an object a deletionTimestamp (and whatever <paramref name="change"/> adds) without removing it; idempotent.</summary>
    public JsonObject MarkForDeletion(ResourceType rt, string? ns, string name, Action<JsonObject>? change = null)
    {
        lock (_gate)
        {
            var key = Key(rt, ns, name);
            if (!_objects.TryGetValue(key, out var old))
            {
                throw ApiError.NotFound(rt, name);
            }
            if (old["metadata"]!["deletionTimestamp"] is not null)
            {
                return Copy(old);
            }
            var marked = Copy(old);
            marked["metadata"]!["deletionTimestamp"] = Now();
            marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
            change?.Invoke(marked);
            Commit(key, old, marked, "MODIFIED");
            return Copy(marked);
        }
    }

    /// <summary>Removes every object of a resource (a deleted CRD's instances) or in a namespace (a deleted namespace's content), finalizers or not.</summary>
    public void DeleteAll(Func<ObjectKey, bool> match)
    {
        lock (_gate)
        {
            foreach (var key in _objects.Keys.Where(match).ToList())
            {
                if (_objects.TryGetValue(key, out var obj))
                {
                    RemoveLocked(key, obj, Propagation.Background);
                }
            }
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]));
    }
}

public sealed record HistoryEntry(long ResourceVersion, ResourceType Rt, string Type, JsonObject Object, JsonObject? Previous)
{
    private string? _json;

    public string ObjectJson => _json ??= Object.ToJsonString();
}

/// <summary>One open watch: the lines it still has to send, in commit order.</summary>
public sealed class WatchSubscription(ResourceType rt, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public bool Bookmarks { get; } = bookmarks;

    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>Set by the HTTP layer: resets the connection.</summary>
    public Action? OnAbort { get; set; }

    internal void Abort() => OnAbort?.Invoke();

    internal void Complete() => _lines.Writer.TryComplete();

    internal void WriteLine(string line) => _lines.Writer.TryWrite(line);

    internal void Write(string type, JsonObject obj) => WriteLine($"{{\"type\":\"{type}\",\"object\":{obj.ToJsonString()}}}");

    internal void Bookmark(long rv) => WriteLine(new JsonObject
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = rt.Kind,
            ["apiVersion"] = rt.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
        },
    }.ToJsonString());

    /// <summary>
    /// Filters one event for this watch as the server does: an update that moves an object into the
    /// selection is ADDED, one that moves it out is DELETED.
    /// </summary>
    internal void Offer(HistoryEntry entry)
    {
        if (entry.Rt != rt || (ns is not null && (string?)entry.Object["metadata"]?["namespace"] != ns))
        {
            return;
        }
        var now = labels.Matches(entry.Object) && fields.Matches(entry.Object);
        var before = entry.Previous is not null && labels.Matches(entry.Previous) && fields.Matches(entry.Previous);
        var type = entry.Type switch
        {
            "MODIFIED" when now && before => "MODIFIED",
            "MODIFIED" when now => "ADDED",
            "MODIFIED" when before => "DELETED",
            "ADDED" when now => "ADDED",
            "DELETED" when now => "DELETED",
            _ => null,
        };
        if (type is not null)
        {
            WriteLine($"{{\"type\":\"{type}\",\"object\":{entry.ObjectJson}}}");
        }
    }
}
