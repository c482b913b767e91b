using System.Diagnostics;
using System.Text.Json.Nodes;
using Cowboys.Sandbox;
using Cowboys.Sandbox.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Sandbox;

/// <summary>
/// The sandbox's controllers and kubelet with real processes: Jobs and Deployments go through
/// the API server, pods run as local processes (/bin/sh, python3 and the built Cowboys.Host
/// stand in for images through the image map).
/// </summary>
public sealed class WorkloadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ns = "default";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private SandboxCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await SandboxCluster.StartAsync(new SandboxOptions
        {
            Images = ImageMap.Default().With([new("shell:test", "/bin/sh"), new("python:test", Python())]),
            FirstPodAddress = PodNetwork.RandomBlock(),
            JobBackoff = TimeSpan.FromMilliseconds(200),
            RestartBackoff = TimeSpan.FromMilliseconds(200),
            Log = line =>
            {
                try
                {
                    output.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // the test has ended
                }
            },
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Cowboys.Sandbox.Api.ApiServer Server => _cluster.Server;

    /// <summary>The real interpreter behind a version manager's shim (a shim needs the user's HOME, a pod has its own).</summary>
    private static string Python()
    {
        using var p = Process.Start(new ProcessStartInfo("python3", ["-c", "import sys; print(sys.executable)"]) { RedirectStandardOutput = true })!;
        var path = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return path;
    }

    private JsonObject CreateJob(string name, string script, string extraSpec = "", string image = "shell:test", string? args = null, string container = "") =>
        Server.Seed(JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"NAME","namespace":"default"},
             "spec":{EXTRA"template":{"metadata":{"labels":{"app":"NAME"}},
               "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":2,
                 "containers":[{"name":"main","image":"IMAGE",CONTAINER"args":ARGS}]}}}}
            """.Replace("NAME", name).Replace("EXTRA", extraSpec).Replace("IMAGE", image).Replace("CONTAINER", container).Replace("ARGS", args ?? new JsonArray("-c", script).ToJsonString()))!.AsObject());

    private JsonObject? Job(string name) => Server.Get("jobs", Ns, name);

    private IReadOnlyList<JsonObject> PodsOf(string job) => Server.List("pods", Ns, $"job-name={job}");

    private static string? TrueCondition(JsonObject? obj, string type) =>
        obj is null ? null : Pods.Condition(obj, type) is { } c && (string?)c["status"] == "True" ? (string?)c["reason"] ?? "" : null;

    private Task WaitForConditionAsync(string job, string type) =>
        Server.WaitUntilAsync(() => TrueCondition(Job(job), type) is not null, Timeout,
            $"Job {job} to be {type} (status {Job(job)?["status"]?.ToJsonString()}; pods {string.Join(", ", PodsOf(job).Select(p => p["status"]?.ToJsonString()))})");

    [Fact]
    public async Task A_job_whose_pod_exits_0_is_complete_and_its_pod_is_named_labelled_and_owned_as_kubernetes_does()
    {
        var job = CreateJob("ok", "exit 0");
        await WaitForConditionAsync("ok", "Complete");

        var status = Job("ok")!["status"]!;
        Assert.Equal(1, (int)status["succeeded"]!);
        Assert.NotNull(status["completionTime"]);
        Assert.Equal("CompletionsReached", TrueCondition(Job("ok"), "SuccessCriteriaMet"));
        var pod = Assert.Single(PodsOf("ok"));
        Assert.Matches("^ok-[a-z0-9]{5}$", Pods.Name(pod));
        Assert.Equal("Succeeded", Pods.Phase(pod));
        var labels = pod["metadata"]!["labels"]!;
        Assert.Equal("ok", (string?)labels["batch.kubernetes.io/job-name"]);
        Assert.Equal(Pods.Uid(job), (string?)labels["controller-uid"]);
        Assert.Equal(Pods.Uid(job), (string?)labels["batch.kubernetes.io/controller-uid"]);
        Assert.True(Pods.IsControlledBy(pod, Pods.Uid(job)));
        Assert.Equal("sandbox", (string?)pod["spec"]!["nodeName"]);
        var terminated = pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        Assert.Equal(0, (int)terminated["exitCode"]!);
        Assert.Equal("Completed", (string?)terminated["reason"]);
    }

    [Fact]
    public async Task A_job_whose_pod_exits_1_with_backoff_limit_1_gets_a_second_pod_then_fails_with_backoff_limit_exceeded()
    {
        CreateJob("fails", "echo failing; exit 1", extraSpec: "\"backoffLimit\":1,");
        await WaitForConditionAsync("fails", "Failed");

        Assert.Equal("BackoffLimitExceeded", TrueCondition(Job("fails"), "Failed"));
        Assert.Equal("BackoffLimitExceeded", TrueCondition(Job("fails"), "FailureTarget"));
        Assert.Equal(2, (int)Job("fails")!["status"]!["failed"]!);
        var pods = PodsOf("fails");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(1, (int)p["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!));
        Assert.All(pods, p => Assert.Equal("failing\n", _cluster.Kubelet.Logs(Ns, Pods.Name(p)) ?? Server.PodLogs!(Ns, Pods.Name(p))));
    }

    [Fact]
    public async Task A_pod_failure_policy_fail_job_rule_on_exit_code_2_fails_the_job_at_once()
    {
        CreateJob("bad-input", "exit 2", extraSpec: """
            "backoffLimit":6,"podFailurePolicy":{"rules":[{"action":"FailJob","onExitCodes":{"containerName":"main","operator":"In","values":[2]}}]},
            """);
        await WaitForConditionAsync("bad-input", "Failed");
        Assert.Equal("PodFailurePolicy", TrueCondition(Job("bad-input"), "Failed"));
        Assert.Single(PodsOf("bad-input"));
    }

    [Fact]
    public async Task Past_its_active_deadline_a_job_fails_with_deadline_exceeded_and_its_process_is_killed()
    {
        CreateJob("slow", "exec sleep 600", extraSpec: "\"activeDeadlineSeconds\":2,");
        var pid = await RunningPidAsync("slow");
        await WaitForConditionAsync("slow", "Failed");

        Assert.Equal("DeadlineExceeded", TrueCondition(Job("slow"), "Failed"));
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs");
        // the Job controller deleted the pod; the kubelet let it go once its process had ended
        Assert.Empty(PodsOf("slow"));
    }

    private async Task<int> RunningPidAsync(string job)
    {
        int? pid = null;
        await Server.WaitUntilAsync(() => PodsOf(job).FirstOrDefault(p => Pods.Phase(p) == "Running") is { } pod
            && (pid = _cluster.Kubelet.Pid(Ns, Pods.Name(pod))) is not null, Timeout, $"a running pod of {job}");
        var annotated = (string?)PodsOf(job).First(p => Pods.Phase(p) == "Running")["metadata"]!["annotations"]![Kubelet.PidAnnotation];
        Assert.Equal(pid.ToString(), annotated);
        return pid!.Value;
    }

    [Fact]
    public async Task Env_the_downward_api_and_a_configmap_volume_reach_the_process_and_its_termination_message_is_copied()
    {
        Server.Seed(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default"},"data":{"greeting":"howdy","colour":"red"}}
            """)!.AsObject());
        var script = "echo \"$POD_NAME|$POD_NS|$POD_IP|$COLOUR|$LABEL|$(cat /etc/settings/greeting)|$GREETING|$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT\" > /dev/termination-log;"
            + " echo scratch > /tmp/file && test \"$(cat $TMPDIR/file)\" = scratch";
        Server.Seed(JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"env","namespace":"default"},
             "spec":{"backoffLimit":0,"template":{"metadata":{"labels":{"app":"env"}},"spec":{"restartPolicy":"Never",
               "volumes":[{"name":"settings","configMap":{"name":"settings"}},{"name":"tmp","emptyDir":{}}],
               "containers":[{"name":"main","image":"shell:test","args":["-c",SCRIPT],
                 "env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                        {"name":"POD_NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
                        {"name":"POD_IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                        {"name":"LABEL","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                        {"name":"COLOUR","valueFrom":{"configMapKeyRef":{"name":"settings","key":"colour"}}},
                        {"name":"GREETING","value":"hi $(POD_NAME)"}],
                 "volumeMounts":[{"name":"settings","mountPath":"/etc/settings"},{"name":"tmp","mountPath":"/tmp"}]}]}}}}
            """.Replace("SCRIPT", JsonValue.Create(script).ToJsonString()))!.AsObject());
        await WaitForConditionAsync("env", "Complete");

        var pod = Assert.Single(PodsOf("env"));
        var name = Pods.Name(pod);
        var ip = (string)pod["status"]!["podIP"]!;
        Assert.Equal($"{name}|default|{ip}|red|env|howdy|hi {name}|{new Uri(Server.Url).Authority}\n", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["message"]);
    }

    [Fact]
    public async Task A_deployment_gets_a_replicaset_and_pods_each_on_its_own_loopback_address_listening_on_the_same_port_and_ready_by_their_probe()
    {
        Server.Seed(JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "terminationGracePeriodSeconds":2,
               "containers":[{"name":"web","image":"python:test","args":["-m","http.server","8080","--bind","0.0.0.0","--directory","/tmp"],
                 "ports":[{"name":"http","containerPort":8080}],
                 "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}]}}}}
            """)!.AsObject());
        await Server.WaitUntilAsync(() => (int?)Server.Get("deployments", Ns, "web")?["status"]?["availableReplicas"] == 2, Timeout,
            "2 available replicas of web");

        var deploy = Server.Get("deployments", Ns, "web")!;
        Assert.Equal("MinimumReplicasAvailable", TrueCondition(deploy, "Available"));
        Assert.Equal("NewReplicaSetAvailable", TrueCondition(deploy, "Progressing"));
        var rs = Assert.Single(Server.List("replicasets", Ns));
        var hash = (string)rs["metadata"]!["labels"]![DeploymentController.HashLabel]!;
        Assert.Equal($"web-{hash}", Pods.Name(rs));
        var pods = Server.List("pods", Ns, "app=web");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.True(Pods.IsReady(p) && Pods.HasCondition(p, "ContainersReady") && (bool)p["status"]!["containerStatuses"]![0]!["ready"]!));
        var ips = pods.Select(p => (string)p["status"]!["podIP"]!).ToList();
        Assert.Equal(2, ips.Distinct().Count());
        Assert.All(ips, ip => Assert.Matches(@"^127\.\d+\.\d+\.\d+$", ip));
        Assert.DoesNotContain("127.0.0.1", ips);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        foreach (var ip in ips) Assert.True((await http.GetAsync($"http://{ip}:8080/")).IsSuccessStatusCode);

        // a pod deleted by hand is replaced
        var victim = Pods.Name(pods[0]);
        Server.Delete("pods", Ns, victim);
        await Server.WaitForAbsentAsync("pods", Ns, victim, Timeout);
        await Server.WaitUntilAsync(() => Server.List("pods", Ns, "app=web").Count(Pods.IsReady) == 2, Timeout, "a replacement pod");
    }

    [Fact]
    public async Task Deleting_a_job_collects_its_pods_and_kills_their_processes_before_the_pods_disappear()
    {
        CreateJob("doomed", "trap 'exit 0' TERM; sleep 600 & wait");
        var pid = await RunningPidAsync("doomed");
        var pod = Pods.Name(PodsOf("doomed")[0]);

        Server.Delete("jobs", Ns, "doomed", Cowboys.Sandbox.Api.Propagation.Background);
        // deletionTimestamp first, while the process is being stopped; the pod goes once it has ended
        await Server.WaitUntilAsync(() => Server.Get("pods", Ns, pod) is null, Timeout, $"pod {pod} to be gone: {Server.Get("pods", Ns, pod)?.ToJsonString()}");
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs");
    }

    [Fact]
    public async Task A_container_killed_from_outside_fails_with_137_and_its_job_retries_with_a_new_pod()
    {
        CreateJob("crashy", "exec sleep 600", extraSpec: "\"backoffLimit\":1,");
        await RunningPidAsync("crashy");
        var first = Pods.Name(PodsOf("crashy")[0]);
        Assert.True(_cluster.Kubelet.KillContainer(Ns, first));

        await Server.WaitUntilAsync(() => PodsOf("crashy").Count == 2, Timeout, "a second pod");
        var killed = Server.Get("pods", Ns, first)!;
        Assert.Equal("Failed", Pods.Phase(killed));
        Assert.Equal(137, (int)killed["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!);
    }

    [Fact]
    public async Task A_container_failing_its_liveness_probe_is_stopped_and_under_restart_policy_never_its_job_fails()
    {
        // nothing listens on the probed port: after two failed probes the kubelet stops the container (SIGTERM)
        CreateJob("stuck", "exec sleep 600", extraSpec: "\"backoffLimit\":0,",
            container: "\"livenessProbe\":{\"tcpSocket\":{\"port\":9},\"periodSeconds\":1,\"failureThreshold\":2},");
        await RunningPidAsync("stuck");
        await WaitForConditionAsync("stuck", "Failed");
        Assert.Equal("BackoffLimitExceeded", TrueCondition(Job("stuck"), "Failed"));
    }

    [Fact]
    public async Task An_unknown_image_leaves_the_pod_waiting_with_err_image_pull_then_image_pull_backoff()
    {
        CreateJob("nowhere", "exit 0", image: "registry.example/nope:1");
        await Server.WaitUntilAsync(() => PodsOf("nowhere").FirstOrDefault() is { } p
            && (string?)p["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"] == "ImagePullBackOff", Timeout, "ImagePullBackOff");
        var pod = PodsOf("nowhere")[0];
        Assert.Equal("Pending", Pods.Phase(pod));
        Assert.Contains("registry.example/nope:1", (string?)pod["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["message"]);
    }

    [Fact]
    public async Task On_failure_restarts_the_container_in_the_same_pod_and_counts_restarts()
    {
        Server.Seed(JsonNode.Parse("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"flaky2","namespace":"default"},
             "spec":{"backoffLimit":3,"template":{"spec":{"restartPolicy":"OnFailure",
               "volumes":[{"name":"tmp","emptyDir":{}}],
               "containers":[{"name":"main","image":"shell:test","args":["-c","test -f /tmp/ran && exit 0; touch /tmp/ran; exit 1"],
                 "volumeMounts":[{"name":"tmp","mountPath":"/tmp"}]}]}}}}
            """)!.AsObject());
        await WaitForConditionAsync("flaky2", "Complete");
        var pod = Assert.Single(PodsOf("flaky2"));
        Assert.Equal(1, (int)pod["status"]!["containerStatuses"]![0]!["restartCount"]!);
        Assert.Equal(1, (int)pod["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["exitCode"]!);
    }

    [Fact]
    public async Task A_job_running_the_built_cowboys_host_image_runs_and_completes()
    {
        var watch = Stopwatch.StartNew();
        CreateJob("host", "", image: "cowboys:dev", args: """["--help"]""");
        await Server.WaitUntilAsync(() => PodsOf("host").Any(p => Pods.Phase(p) is "Running" or "Succeeded"), Timeout, "the host pod to run");
        var running = watch.Elapsed;
        await WaitForConditionAsync("host", "Complete");
        output.WriteLine($"cowboys:dev Job: created to Running {running.TotalMilliseconds:0} ms, to Complete {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Contains("cowboy", _cluster.Kubelet.Logs(Ns, Pods.Name(PodsOf("host")[0])), StringComparison.Ordinal);
    }
}
