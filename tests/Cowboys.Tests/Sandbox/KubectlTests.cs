using System.Text.Json.Nodes;
using Cowboys.Sandbox.Api;
using Cowboys.Sandbox.Workloads;
using Xunit;
using Cowboys.Tests.Manifests;

namespace Cowboys.Tests.Sandbox;

/// <summary>
/// The real kubectl (1.32) against the sandbox API server as `dotnet run --project
/// tests/Cowboys.Sandbox` serves it: built-ins only, namespaces required, each test with its own
/// server, kubeconfig and discovery cache. Skipped only when kubectl is not installed.
/// </summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private static readonly string Crd = Path.Combine(Kustomize.ManifestsDir, "crd", "shootouts.example.com.yaml");
    private static readonly string Sample = Path.Combine(Kustomize.ManifestsDir, "samples", "shootout-full.yaml");

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-kubectl-");
    private ApiServer _server = null!;
    private KubectlRunner _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync(ResourceTable.BuiltIn, requireNamespaces: true);
        var kubeconfig = Path.Combine(_dir.FullName, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig, Path.Combine(_dir.FullName, "cache"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private string WriteManifest(string name, string yaml)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private async Task ApplyCrdAndSampleAsync()
    {
        await _kubectl.SucceedsAsync("apply", "-f", Crd);
        await _kubectl.SucceedsAsync("apply", "-f", Sample);
    }

    [SkippableFact]
    public async Task The_crds_schema_and_its_immutable_spec_rule_refuse_what_a_real_server_refuses()
    {
        KubectlRunner.SkipUnlessInstalled();
        await ApplyCrdAndSampleAsync();

        const string Bad = """
            apiVersion: example.com/v1alpha1
            kind: Shootout
            metadata: {name: bad}
            spec: {cowboys: '[{"name": "A", "health": 1, "damage": 1}]', beat: fast, rules: random}
            """;
        var refused = await _kubectl.RunAsync(Bad, TimeSpan.FromSeconds(60), "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.beat in body should match", refused.Stderr);
        Assert.Contains("spec.rules: Unsupported value: \"random\"", refused.Stderr);
        Assert.Contains("\"bad\" is invalid", refused.Stderr);

        var patched = await _kubectl.RunAsync("patch", "shootout", "full", "--type=merge", "-p", """{"spec": {"seed": 7}}""");
        Assert.NotEqual(0, patched.ExitCode);
        Assert.Contains("spec is immutable", patched.Stderr);
        Assert.Equal("1", await _kubectl.SucceedsAsync("get", "shootout", "full", "-o", "jsonpath={.metadata.generation}"));

        // a write to /status is checked against the status schema too
        var badStatus = await _kubectl.RunAsync("patch", "shootout", "full", "--subresource=status", "--type=merge", "-p", """{"status": {"phase": "Done"}}""");
        Assert.NotEqual(0, badStatus.ExitCode);
        Assert.Contains("status.phase: Unsupported value: \"Done\"", badStatus.Stderr);
        await _kubectl.SucceedsAsync("patch", "shootout", "full", "--subresource=status", "--type=merge", "-p", """{"status": {"phase": "Pending"}}""");

        // its metadata is not the spec: labels still change
        await _kubectl.SucceedsAsync("label", "shootout", "full", "team=blue");
    }

    [SkippableFact]
    public async Task Kubectl_exec_runs_the_command_over_websockets_with_its_output_input_and_exit_code()
    {
        KubectlRunner.SkipUnlessInstalled();
        SeedRunningPod("john");
        using var launcher = new ProcessLauncher();
        var execs = new List<(string Container, IReadOnlyList<string> Argv)>();
        _server.PodExec = (ns, pod, container, argv) =>
        {
            if (pod != "john") throw new ApiError(404, "NotFound", $"pods \"{pod}\" not found");
            lock (execs) execs.Add((container ?? "", argv));
            return () => launcher.SpawnAsync(argv[0], argv.Skip(1), new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, _dir.FullName);
        };

        var shown = await _kubectl.RunAsync("exec", "john", "--", "sh", "-c", "echo to stdout; echo to stderr >&2");
        Assert.Equal(0, shown.ExitCode);
        Assert.Equal("to stdout\n", shown.Stdout);
        Assert.Equal("to stderr\n", shown.Stderr);
        Assert.Equal("cowboy", execs[0].Container);
        Assert.Equal(["sh", "-c", "echo to stdout; echo to stderr >&2"], execs[0].Argv);

        var failed = await _kubectl.RunAsync("exec", "john", "--", "sh", "-c", "exit 3");
        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("command terminated with exit code 3", failed.Stderr);

        var echoed = await _kubectl.RunAsync("line one\nline two\n", TimeSpan.FromSeconds(60), "exec", "-i", "john", "--", "cat");
        Assert.Equal(0, echoed.ExitCode);
        Assert.Equal("line one\nline two\n", echoed.Stdout);

        var noPod = await _kubectl.RunAsync("exec", "bill", "--", "true");
        Assert.Equal(1, noPod.ExitCode);
        Assert.Contains("pods \"bill\" not found", noPod.Stderr);
    }

    [SkippableFact]
    public async Task Kubectl_exec_without_a_kubelet_or_with_a_terminal_is_refused_with_a_reason()
    {
        KubectlRunner.SkipUnlessInstalled();
        SeedRunningPod("john");

        var noKubelet = await _kubectl.RunAsync("exec", "john", "--", "true");
        Assert.Equal(1, noKubelet.ExitCode);
        Assert.Contains("no kubelet runs pod john's containers", noKubelet.Stderr);

        // -t without a terminal on kubectl's side is dropped by kubectl itself; asked for on the wire, it is refused
        var tty = await new HttpClient().GetAsync($"{_server.Url}/api/v1/namespaces/default/pods/john/exec?command=sh&stdout=true&tty=true");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tty.StatusCode);
        Assert.Contains("the sandbox runs no terminal", await tty.Content.ReadAsStringAsync());
    }

    private void SeedRunningPod(string name) => _server.Seed(JsonNode.Parse($$$"""
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "{{{name}}}", "namespace": "default"},
         "spec": {"containers": [{"name": "cowboy", "image": "cowboys:dev"}]}, "status": {"phase": "Running", "podIP": "127.0.0.7"}}
        """)!.AsObject());

    [SkippableFact]
    public async Task Kubectl_version_reports_the_sandbox_server()
    {
        KubectlRunner.SkipUnlessInstalled();

        var output = await _kubectl.SucceedsAsync("version");

        Assert.Contains("Client Version: v1.", output);
        Assert.Contains("Server Version: v1.32.0-sandbox", output);
    }

    [SkippableFact]
    public async Task Api_resources_lists_the_built_ins_and_a_crds_resource_from_its_creation_until_its_deletion()
    {
        KubectlRunner.SkipUnlessInstalled();

        var before = await _kubectl.SucceedsAsync("api-resources");
        Assert.Matches(@"(?m)^pods\s+po\s+v1\s+true\s+Pod\s*$", before);
        Assert.Matches(@"(?m)^jobs\s+batch/v1\s+true\s+Job\s*$", before);
        Assert.Matches(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", before);
        Assert.Matches(@"(?m)^clusterroles\s+rbac.authorization.k8s.io/v1\s+false\s+ClusterRole\s*$", before);
        Assert.DoesNotContain("shootouts", before);

        await _kubectl.SucceedsAsync("apply", "-f", Crd);
        Assert.Matches(@"(?m)^shootouts\s+example.com/v1alpha1\s+true\s+Shootout\s*$", await _kubectl.SucceedsAsync("api-resources"));

        await _kubectl.SucceedsAsync("delete", "-f", Crd);
        Assert.DoesNotContain("shootouts", await _kubectl.SucceedsAsync("api-resources"));
    }

    [SkippableFact]
    public async Task Apply_of_the_crd_then_the_sample_validates_on_the_server_and_get_shows_the_printer_columns()
    {
        KubectlRunner.SkipUnlessInstalled();

        await ApplyCrdAndSampleAsync();

        // kubectl found fieldValidation in the OpenAPI v3 documents, so it left validation to the server
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/shootouts", StringComparison.Ordinal) && r.QueryValue("fieldValidation") == "Strict");
        _server.SetStatus("shootouts", "default", "full", new JsonObject { ["phase"] = "Finished", ["winner"] = "John", ["beat"] = 12, ["alive"] = 1 });
        var table = await _kubectl.SucceedsAsync("get", "shootouts");
        Assert.Matches(@"^NAME\s+PHASE\s+WINNER\s+BEAT\s+ALIVE\s+AGE\n", table);
        Assert.Matches(@"(?m)^full\s+Finished\s+John\s+12\s+1\s+\d+s$", table);
    }

    [SkippableFact]
    public async Task Re_applying_a_changed_custom_resource_merge_patches_it()
    {
        KubectlRunner.SkipUnlessInstalled();
        await ApplyCrdAndSampleAsync();

        // the spec is immutable (the CRD's rule): a label is what a user changes on a Shootout
        var changed = WriteManifest("full.yaml", File.ReadAllText(Sample).Replace("  name: full\n", "  name: full\n  labels:\n    team: blue\n", StringComparison.Ordinal));
        var output = await _kubectl.SucceedsAsync("apply", "-f", changed);

        Assert.Contains("shootout.example.com/full configured", output);
        var patch = Assert.Single(_server.Requests, r => r.Method == "PATCH");
        Assert.StartsWith("application/merge-patch+json", patch.ContentType);
        Assert.Equal("blue", (string?)_server.Get("shootouts", "default", "full")!["metadata"]!["labels"]!["team"]);
        Assert.Equal("1", _server.Get("shootouts", "default", "full")!["metadata"]!["generation"]!.ToJsonString());
        Assert.Contains("shootout.example.com/full unchanged", await _kubectl.SucceedsAsync("apply", "-f", changed));
    }

    [SkippableFact]
    public async Task A_service_whose_name_starts_with_a_digit_is_refused_with_the_dns_1035_message()
    {
        KubectlRunner.SkipUnlessInstalled();
        var manifest = WriteManifest("service.yaml", """
            apiVersion: v1
            kind: Service
            metadata:
              name: 1v1-cowboys
            spec:
              clusterIP: None
              ports: [{port: 4053}]
            """);

        var result = await _kubectl.RunAsync("apply", "-f", manifest);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(
            "The Service \"1v1-cowboys\" is invalid: metadata.name: Invalid value: \"1v1-cowboys\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            result.Stderr);
        Assert.Empty(_server.List("services", "default"));
    }

    [SkippableFact]
    public async Task An_unknown_field_in_a_job_is_refused_by_strict_field_validation()
    {
        KubectlRunner.SkipUnlessInstalled();
        var manifest = WriteManifest("job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: cowboy-john
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containerz: [{name: cowboy, image: cowboys:dev}]
                  containers: [{name: cowboy, image: cowboys:dev}]
            """);

        var result = await _kubectl.RunAsync("apply", "-f", manifest);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Job in version \"v1\" cannot be handled as a Job: strict decoding error: unknown field \"spec.template.spec.containerz\"", result.Stderr);
        Assert.Empty(_server.List("jobs", "default"));
    }

    [SkippableFact]
    public async Task A_string_where_the_api_has_an_integer_is_refused_as_the_decoder_refuses_it()
    {
        KubectlRunner.SkipUnlessInstalled();
        var manifest = WriteManifest("job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: cowboy-john
            spec:
              backoffLimit: "0"
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: cowboy, image: cowboys:dev}]
            """);

        var result = await _kubectl.RunAsync("apply", "-f", manifest);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Job in version \"v1\" cannot be handled as a Job: json: cannot unmarshal string into Go struct field JobSpec.spec.backoffLimit of type int32", result.Stderr);
    }

    [SkippableFact]
    public async Task Changing_a_jobs_template_is_refused_as_immutable()
    {
        KubectlRunner.SkipUnlessInstalled();
        const string job = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: cowboy-john
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: cowboy, image: IMAGE}]
            """;
        await _kubectl.SucceedsAsync("apply", "-f", WriteManifest("job.yaml", job.Replace("IMAGE", "cowboys:1", StringComparison.Ordinal)));

        var result = await _kubectl.RunAsync("apply", "-f", WriteManifest("job.yaml", job.Replace("IMAGE", "cowboys:2", StringComparison.Ordinal)));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Job \"cowboy-john\" is invalid: spec.template: Invalid value: ", result.Stderr);
        Assert.Contains("field is immutable", result.Stderr);
    }

    [SkippableFact]
    public async Task Apply_k_of_the_operator_install_creates_every_object_and_a_changed_deployment_is_strategically_merged()
    {
        KubectlRunner.SkipUnlessInstalled();

        var output = await _kubectl.SucceedsAsync("apply", "-k", Kustomize.ManifestsDir);

        foreach (var created in new[]
        {
            "namespace/cowboys-system created", "customresourcedefinition.apiextensions.k8s.io/shootouts.example.com created",
            "serviceaccount/cowboys-operator created", "role.rbac.authorization.k8s.io/cowboys-operator-leader-election created",
            "clusterrole.rbac.authorization.k8s.io/cowboys-operator created", "rolebinding.rbac.authorization.k8s.io/cowboys-operator-leader-election created",
            "clusterrolebinding.rbac.authorization.k8s.io/cowboys-operator created", "deployment.apps/cowboys-operator created",
        })
        {
            Assert.Contains(created, output);
        }
        Assert.Matches(@"(?m)^cowboys-operator\s+0/2\s+0\s+0\s+\d+s$", await _kubectl.SucceedsAsync("get", "deployments", "-n", "cowboys-system"));

        // a second container port and a changed env value: lists merged by name and containerPort
        var rendered = await _kubectl.SucceedsAsync("kustomize", Kustomize.ManifestsDir);
        var changed = WriteManifest("install.yaml", rendered
            .Replace("value: cowboys:dev", "value: cowboys:v2", StringComparison.Ordinal)
            .Replace("containerPort: 8080", "containerPort: 8081", StringComparison.Ordinal));
        Assert.Contains("deployment.apps/cowboys-operator configured", await _kubectl.SucceedsAsync("apply", "-f", changed));

        var patch = Assert.Single(_server.Requests, r => r.Method == "PATCH");
        Assert.StartsWith("application/strategic-merge-patch+json", patch.ContentType);
        var container = _server.Get("deployments", "cowboys-system", "cowboys-operator")!["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal(["Operator__CowboyImage=cowboys:v2", "Operator__Identity=", "Operator__LeaseNamespace=", "Operator__BindAddress=0.0.0.0"],
            container["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.Equal([8081], container["ports"]!.AsArray().Select(p => (int)p!["containerPort"]!));
    }

    [SkippableFact]
    public async Task Kubectl_delete_waits_until_the_object_is_gone()
    {
        KubectlRunner.SkipUnlessInstalled();
        await ApplyCrdAndSampleAsync();

        var output = await _kubectl.SucceedsAsync("delete", "-f", Sample);

        Assert.Contains("shootout.example.com \"full\" deleted", output);
        Assert.Null(_server.Get("shootouts", "default", "full"));
        Assert.Contains("No resources found in default namespace.", (await _kubectl.RunAsync("get", "shootouts")).Stderr);
    }

    [SkippableFact]
    public async Task Kubectl_wait_for_a_jsonpath_returns_once_the_status_says_finished()
    {
        KubectlRunner.SkipUnlessInstalled();
        await ApplyCrdAndSampleAsync();
        var before = _server.Requests.Count;

        using var wait = _kubectl.Start("wait", "--for=jsonpath={.status.phase}=Finished", "shootout/full", "--timeout=60s");
        // kubectl lists with a field selector, then watches from the list's resourceVersion
        await WaitUntilAsync(() => _server.Requests.Skip(before).ToList(), requests => requests.Any(r => r.IsWatch && r.Path.EndsWith("/shootouts", StringComparison.Ordinal)),
            "kubectl wait to watch the shootouts",
            requests => $"{(wait.HasExited ? $"kubectl wait ended before the status was set: {wait.StandardError.ReadToEnd()}" : "kubectl wait runs")}; requests: {string.Join(", ", requests)}",
            () => wait.HasExited);
        Assert.Contains(_server.Requests.Skip(before), r => r.QueryValue("fieldSelector") == "metadata.name=full");
        Assert.False(wait.HasExited);

        _server.SetStatus("shootouts", "default", "full", new JsonObject { ["phase"] = "Finished", ["winner"] = "John" });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await wait.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, wait.ExitCode);
        Assert.Contains("shootout.example.com/full condition met", await wait.StandardOutput.ReadToEndAsync());
    }

    [SkippableFact]
    public async Task Kubectl_logs_follow_streams_what_the_container_writes_until_it_terminates()
    {
        KubectlRunner.SkipUnlessInstalled();
        _server.Seed(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "john", "namespace": "default", "labels": {"app": "cowboy"}},
             "spec": {"containers": [{"name": "cowboy", "image": "cowboys:dev"}]}, "status": {"phase": "Running"}}
            """)!.AsObject());
        var log = "beat 1\n";
        _server.PodLogs = (ns, pod) => ns == "default" && pod == "john" ? Volatile.Read(ref log) : null;

        using var follow = _kubectl.Start("logs", "-f", "-l", "app=cowboy", "--prefix");
        var output = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            string? line;
            while ((line = await follow.StandardOutput.ReadLineAsync()) is not null)
            {
                lock (output) output.AppendLine(line);
            }
        });
        string Seen() { lock (output) return output.ToString(); }
        await WaitUntilAsync(Seen, seen => seen.Contains("beat 1", StringComparison.Ordinal), "kubectl logs -f to show the first line", Printed);

        Volatile.Write(ref log, "beat 1\nbeat 2\n");
        await WaitUntilAsync(Seen, seen => seen.Contains("beat 2", StringComparison.Ordinal), "kubectl logs -f to show a line written after kubectl started", Printed);
        Assert.False(follow.HasExited, "kubectl logs -f returned while the container still ran");

        Volatile.Write(ref log, "beat 1\nbeat 2\nJohn wins\n");
        _server.SetStatus("pods", "default", "john", new JsonObject
        {
            ["phase"] = "Succeeded",
            ["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "cowboy", ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0 } } }),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await follow.WaitForExitAsync(timeout.Token);
        await reading.WaitAsync(timeout.Token);

        Assert.Equal(0, follow.ExitCode);
        Assert.Equal("[pod/john/cowboy] beat 1\n[pod/john/cowboy] beat 2\n[pod/john/cowboy] John wins\n", Seen().ReplaceLineEndings("\n"));
    }

    /// <summary>Reads until the reading is what the test waits for, within 30 s.</summary>
    private static Task<T> WaitUntilAsync<T>(Func<T> read, Func<T, bool> done, string what, Func<T, string> seen, Func<bool>? gaveUp = null) =>
        Eventually.Until(read, done, TimeSpan.FromSeconds(30), what, seen, gaveUp, TimeSpan.FromMilliseconds(50));

    private static string Printed(string output) => $"kubectl printed:\n{output}";

    [SkippableFact]
    public async Task Kubectl_logs_shows_the_pods_log_from_the_hook_and_tail_cuts_it()
    {
        KubectlRunner.SkipUnlessInstalled();
        _server.Seed(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "john", "namespace": "default"},
             "spec": {"containers": [{"name": "cowboy", "image": "cowboys:dev"}]}, "status": {"phase": "Running"}}
            """)!.AsObject());
        Assert.Contains("is waiting to start", (await _kubectl.RunAsync("logs", "john")).Stderr);

        _server.PodLogs = (ns, pod) => ns == "default" && pod == "john" ? "beat 1\nbeat 2\nJohn wins\n" : null;

        Assert.Equal("beat 1\nbeat 2\nJohn wins\n", await _kubectl.SucceedsAsync("logs", "john"));
        Assert.Equal("John wins\n", await _kubectl.SucceedsAsync("logs", "john", "--tail=1", "-c", "cowboy"));
        Assert.Contains("pods \"bill\" not found", (await _kubectl.RunAsync("logs", "bill")).Stderr);
    }

    [SkippableFact]
    public async Task Get_pods_and_jobs_show_their_usual_columns()
    {
        KubectlRunner.SkipUnlessInstalled();
        _server.Seed(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "john", "namespace": "default"},
             "spec": {"containers": [{"name": "cowboy", "image": "cowboys:dev"}]},
             "status": {"phase": "Running", "containerStatuses": [{"name": "cowboy", "ready": true, "restartCount": 2}]}}
            """)!.AsObject());
        _server.Seed(JsonNode.Parse("""
            {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "cowboy-john", "namespace": "default"},
             "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "cowboy", "image": "cowboys:dev"}]}}},
             "status": {"succeeded": 1, "startTime": "2026-01-01T00:00:00Z", "completionTime": "2026-01-01T00:00:07Z", "conditions": [{"type": "Complete", "status": "True"}]}}
            """)!.AsObject());

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\njohn\s+1/1\s+Running\s+2\s+\d+s\n$", await _kubectl.SucceedsAsync("get", "pods"));
        Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\ncowboy-john\s+Complete\s+1/1\s+7s\s+\d+s$", (await _kubectl.SucceedsAsync("get", "jobs")).TrimEnd());
    }

    [SkippableFact]
    public async Task Get_watch_prints_each_change_in_the_printer_columns()
    {
        KubectlRunner.SkipUnlessInstalled();
        await ApplyCrdAndSampleAsync();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watch = _kubectl.Start("get", "shootouts", "--watch");
        watch.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        watch.BeginOutputReadLine();
        try
        {
            await WaitUntilAsync(lines.ToArray, l => l.Length >= 2, "kubectl get --watch to print the table's header and first row", l => Printed(string.Join("\n", l)));
            _server.SetStatus("shootouts", "default", "full", new JsonObject { ["phase"] = "Running", ["beat"] = 3, ["alive"] = 5 });

            await WaitUntilAsync(lines.ToArray, l => l.Length >= 3, "kubectl get --watch to print a line for the change", l => Printed(string.Join("\n", l)));
            Assert.Matches(@"^NAME\s+PHASE\s+WINNER\s+BEAT\s+ALIVE\s+AGE$", lines.First());
            Assert.Matches(@"^full\s+Running\s+3\s+5\s+\d+s$", lines.Last());
        }
        finally
        {
            watch.Kill();
        }
    }

    [SkippableFact]
    public async Task Imperative_create_namespace_sends_protobuf_which_is_decoded_and_validated_other_kinds_are_told_to_use_a_file()
    {
        KubectlRunner.SkipUnlessInstalled();

        Assert.Contains("namespace/wild-west created", await _kubectl.SucceedsAsync("create", "namespace", "wild-west"));
        Assert.StartsWith("application/vnd.kubernetes.protobuf", _server.Requests.Last(r => r.Method == "POST" && r.Path == "/api/v1/namespaces").ContentType);
        Assert.Matches(@"(?m)^wild-west\s+Active\s+\d+s$", await _kubectl.SucceedsAsync("get", "namespaces"));

        var invalid = await _kubectl.RunAsync("create", "namespace", "wild_west");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("The Namespace \"wild_west\" is invalid: metadata.name: Invalid value: \"wild_west\"", invalid.Stderr);

        var configMap = await _kubectl.RunAsync("create", "configmap", "roster", "--from-literal=a=b", "-n", "wild-west");
        Assert.NotEqual(0, configMap.ExitCode);
        Assert.Contains("decodes protobuf only for a v1 Namespace, not a protobuf v1/ConfigMap: use kubectl apply -f or kubectl create -f", configMap.Stderr);

        var manifest = WriteManifest("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: roster\n  namespace: wild-west\ndata:\n  a: b\n");
        Assert.Contains("configmap/roster created", await _kubectl.SucceedsAsync("create", "-f", manifest));
    }
}
