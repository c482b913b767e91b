using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>
/// The sandbox API server is as strict as a real one where the project could get it wrong, and
/// serves CRDs, namespaces, Tables and pod logs as a real one does; over HTTP, as clients see it.
/// </summary>
public sealed class ApiServerStrictnessTests : IAsyncLifetime
{
    private ApiServer _server = null!;
    private IKubernetes _client = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(ResourceTable.BuiltIn, requireNamespaces: true);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static readonly JsonObject ShootoutCrd = JsonNode.Parse("""
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "shootouts.example.com"},
         "spec": {"group": "example.com", "scope": "Namespaced",
           "names": {"plural": "shootouts", "singular": "shootout", "kind": "Shootout", "listKind": "ShootoutList", "shortNames": ["so"]},
           "versions": [{"name": "v1alpha1", "served": true, "storage": true, "subresources": {"status": {}},
             "schema": {"openAPIV3Schema": {"type": "object", "properties": {
               "spec": {"type": "object", "properties": {"cowboys": {"type": "string"}}},
               "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}}}]}}
        """)!.AsObject();

    private async Task<(HttpStatusCode Code, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body = null,
        string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, _server.Url + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["text"] = text }, response);
    }

    private static string JobJson(string extraSpec = "") =>
        """{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "cowboy-john"}, "spec": {"""
        + extraSpec
        + """ "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "cowboy", "image": "cowboys:dev"}]}}}}""";

    [Fact]
    public async Task A_crds_resource_is_served_once_the_crd_exists_and_goes_with_its_objects_when_it_is_deleted()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/apis/example.com/v1alpha1")).Code);

        await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ShootoutCrd.ToJsonString());
        var (code, discovery, _) = await SendAsync(HttpMethod.Get, "/apis/example.com/v1alpha1");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(["shootouts", "shootouts/status"], discovery["resources"]!.AsArray().Select(r => (string)r!["name"]!));
        Assert.Equal("""["so"]""", discovery["resources"]![0]!["shortNames"]!.ToJsonString());
        var crd = _server.Get("customresourcedefinitions", null, "shootouts.example.com")!;
        Assert.Contains(crd["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True");
        var created = await SendAsync(HttpMethod.Post, "/apis/example.com/v1alpha1/namespaces/default/shootouts",
            """{"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "full"}, "spec": {"cowboys": "[]"}}""");
        Assert.Equal(HttpStatusCode.Created, created.Code);

        await SendAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/shootouts.example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/apis/example.com/v1alpha1/namespaces/default/shootouts/full")).Code);
        Assert.DoesNotContain((await SendAsync(HttpMethod.Get, "/apis")).Body["groups"]!.AsArray(), g => (string?)g!["name"] == "example.com");

        // the instances went with the CRD: a new CRD of the same name starts empty
        await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ShootoutCrd.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/apis/example.com/v1alpha1/namespaces/default/shootouts/full")).Code);
    }

    [Fact]
    public async Task A_dry_run_create_makes_every_check_of_a_create_and_stores_nothing()
    {
        V1Lease Lease(string ns) => new() { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = "probe", NamespaceProperty = ns } };

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("nowhere"), "nowhere", dryRun: "All"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("namespaces", (string?)JsonNode.Parse(missing.Response.Content)?["details"]?["kind"]);

        await _client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("default"), "default", dryRun: "All");
        var notStored = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.ReadNamespacedLeaseAsync("probe", "default"));
        Assert.Equal(HttpStatusCode.NotFound, notStored.Response.StatusCode);

        await _client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("default"), "default");
        var taken = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("default"), "default", dryRun: "All"));
        Assert.Equal(HttpStatusCode.Conflict, taken.Response.StatusCode);
    }

    [Fact]
    public async Task A_crd_must_be_named_plural_dot_group()
    {
        var misnamed = ShootoutCrd.DeepClone().AsObject();
        misnamed["metadata"]!["name"] = "shootouts.example.org";

        var (code, status, _) = await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", misnamed.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("CustomResourceDefinition.apiextensions.k8s.io \"shootouts.example.org\" is invalid: metadata.name: Invalid value: \"shootouts.example.org\": must be spec.names.plural+\".\"+spec.group",
            (string?)status["message"]);
    }

    [Fact]
    public async Task Unknown_fields_are_refused_with_strict_validation_and_dropped_with_a_warning_otherwise()
    {
        var body = JobJson(""" "parallelizm": 2, """);

        var strict = await SendAsync(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs?fieldValidation=Strict", body);
        Assert.Equal(HttpStatusCode.BadRequest, strict.Code);
        Assert.Equal("Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.parallelizm\"", (string?)strict.Body["message"]);
        Assert.Equal("BadRequest", (string?)strict.Body["reason"]);

        // without the parameter the server warns, as a real one does
        var warned = await SendAsync(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs", body);
        Assert.Equal(HttpStatusCode.Created, warned.Code);
        Assert.Equal(["299 - \"unknown field \\\"spec.parallelizm\\\"\""], warned.Response.Headers.GetValues("Warning"));
        Assert.Null(_server.Get("jobs", "default", "cowboy-john")!["spec"]!["parallelizm"]);
    }

    [Fact]
    public async Task Unknown_fields_of_a_custom_resource_are_checked_against_its_crd_schema()
    {
        await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ShootoutCrd.ToJsonString());

        var (code, status, _) = await SendAsync(HttpMethod.Post, "/apis/example.com/v1alpha1/namespaces/default/shootouts?fieldValidation=Strict",
            """{"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "full"}, "spec": {"cowboys": "[]", "cowboyz": "[]"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("strict decoding error: unknown field \"spec.cowboyz\"", (string?)status["message"]);
    }

    [Fact]
    public async Task A_strategic_merge_patch_of_a_custom_resource_is_an_unsupported_media_type()
    {
        await SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", ShootoutCrd.ToJsonString());
        await SendAsync(HttpMethod.Post, "/apis/example.com/v1alpha1/namespaces/default/shootouts",
            """{"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "full"}, "spec": {"cowboys": "[]"}}""");

        var (code, _, _) = await SendAsync(HttpMethod.Patch, "/apis/example.com/v1alpha1/namespaces/default/shootouts/full",
            """{"spec": {"cowboys": "[1]"}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
    }

    [Fact]
    public async Task Replacing_a_jobs_template_is_invalid_with_the_real_status_shape()
    {
        var job = await _client.BatchV1.CreateNamespacedJobAsync(KubernetesJson.Deserialize<V1Job>(JobJson()), "default");
        job.Spec.Template.Spec.Containers[0].Image = "cowboys:v2";

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.BatchV1.ReplaceNamespacedJobAsync(job, "cowboy-john", "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!.AsObject();
        Assert.Equal(("Status", "Failure", "Invalid", 422), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        Assert.StartsWith("Job.batch \"cowboy-john\" is invalid: spec.template: Invalid value: {", (string?)status["message"]);
        Assert.Equal(("cowboy-john", "batch", "Job"), ((string?)status["details"]!["name"], (string?)status["details"]!["group"], (string?)status["details"]!["kind"]));
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal(("FieldValueInvalid", "spec.template"), ((string?)cause["reason"], (string?)cause["field"]));
        Assert.EndsWith(": field is immutable", (string?)cause["message"]);
    }

    [Fact]
    public async Task An_invalid_label_value_is_refused_on_any_kind()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "roster", Labels = new Dictionary<string, string> { ["example.com/shootout"] = new string('x', 64) } },
        }, "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        var message = (string?)JsonNode.Parse(e.Response.Content)!["message"];
        Assert.Equal($"ConfigMap \"roster\" is invalid: metadata.labels: Invalid value: \"{new string('x', 64)}\": must be no more than 63 characters", message);
    }

    [Fact]
    public async Task Objects_need_an_existing_namespace_and_a_terminating_one_takes_nothing_new_and_goes_with_its_content()
    {
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "roster" } }, "wild-west"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("namespaces \"wild-west\" not found", (string?)JsonNode.Parse(missing.Response.Content)!["message"]);

        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "wild-west" } });
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "roster" } }, "wild-west");
        await _client.CoreV1.DeleteNamespaceAsync("wild-west");

        Assert.Equal("Terminating", _server.Get("namespaces", null, "wild-west")?["status"]?["phase"]?.ToString());
        var terminating = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "wild-west"));
        Assert.Equal(HttpStatusCode.Forbidden, terminating.Response.StatusCode);
        await _server.WaitForAbsentAsync("namespaces", null, "wild-west");
        Assert.Null(_server.Get("configmaps", "wild-west", "roster"));
    }

    [Fact]
    public async Task Pod_logs_come_from_the_hook_as_text_with_tail_lines_and_a_missing_pod_or_log_is_an_error()
    {
        _server.Seed(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "john", "namespace": "default"},
             "spec": {"containers": [{"name": "cowboy", "image": "cowboys:dev"}]}}
            """)!.AsObject());

        var noLog = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/john/log");
        Assert.Equal(HttpStatusCode.BadRequest, noLog.Code);
        Assert.Equal("container \"cowboy\" in pod \"john\" is waiting to start: ContainerCreating", (string?)noLog.Body["message"]);

        _server.PodLogs = (_, pod) => pod == "john" ? "one\ntwo\nthree\n" : null;
        var all = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/john/log?container=cowboy");
        Assert.Equal(("one\ntwo\nthree\n", "text/plain"), ((string?)all.Body["text"], all.Response.Content.Headers.ContentType?.MediaType));
        Assert.Equal("two\nthree\n", (string?)(await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/john/log?tailLines=2")).Body["text"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/john/log?container=other")).Code);

        var missing = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/bill/log");
        Assert.Equal(HttpStatusCode.NotFound, missing.Code);
        Assert.Equal("pods \"bill\" not found", (string?)missing.Body["message"]);
    }

    [Fact]
    public async Task A_list_asked_for_as_a_table_is_a_meta_v1_table()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "roster" },
            Data = new Dictionary<string, string> { ["roster.json"] = "[]" },
        }, "default");

        var (code, table, _) = await SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(("Table", "meta.k8s.io/v1"), ((string?)table["kind"], (string?)table["apiVersion"]));
        Assert.Equal(["Name", "Data", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("roster", (string?)table["rows"]![0]!["cells"]![0]);
        Assert.Equal(1, (int?)table["rows"]![0]!["cells"]![1]);
    }

    [Fact]
    public async Task The_openapi_v3_index_names_a_document_per_group_version_whose_patch_takes_field_validation()
    {
        var (_, index, _) = await SendAsync(HttpMethod.Get, "/openapi/v3");
        var url = (string)index["paths"]!["apis/batch/v1"]!["serverRelativeURL"]!;

        var (code, document, _) = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.OK, code);
        var patch = document["paths"]!["/apis/batch/v1/namespaces/{namespace}/jobs/{name}"]!["patch"]!;
        Assert.Equal("Job", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }
}
