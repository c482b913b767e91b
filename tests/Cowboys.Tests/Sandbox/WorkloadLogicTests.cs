using System.Text.Json.Nodes;
using Cowboys.Sandbox.Workloads;
using Xunit;

namespace Cowboys.Tests.Sandbox;

/// <summary>The kubelet's and the Job controller's pure rules.</summary>
public sealed class WorkloadLogicTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("--name=$(POD_NAME)", "--name=cowboy-1")]
    [InlineData("$(POD_NAME)$(POD_IP)", "cowboy-1127.0.0.2")]
    [InlineData("$$(POD_NAME)", "$(POD_NAME)")]
    [InlineData("$(UNDEFINED)", "$(UNDEFINED)")]
    [InlineData("cost: $5", "cost: $5")]
    [InlineData("$(POD_NAME", "$(POD_NAME")]
    [InlineData("$()", "$()")]
    [InlineData("trailing $", "trailing $")]
    public void Var_references_expand_as_the_kubelet_expands_them(string input, string expected) =>
        Assert.Equal(expected, VarExpansion.Expand(input, new Dictionary<string, string> { ["POD_NAME"] = "cowboy-1", ["POD_IP"] = "127.0.0.2" }));

    private static JsonObject Pod(string spec, string status = """{"podIP":"127.0.0.9"}""") => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "p-abcde", ["namespace"] = "games", ["uid"] = "u-1",
            ["labels"] = new JsonObject { ["app"] = "cowboys" }, ["annotations"] = new JsonObject { ["who"] = "John" },
        },
        ["spec"] = JsonNode.Parse(spec),
        ["status"] = JsonNode.Parse(status),
    };

    [Fact]
    public void Env_takes_the_downward_api_configmaps_and_earlier_variables_and_paths_and_the_wildcard_address_become_the_pods_own()
    {
        var pod = Pod("""
            {"nodeName":"sandbox","volumes":[{"name":"roster","configMap":{"name":"r"}},{"name":"scratch","emptyDir":{}}],
             "containers":[{"name":"c","image":"x",
               "envFrom":[{"configMapRef":{"name":"settings"},"prefix":"S_"}],
               "env":[{"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                      {"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                      {"name":"NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
                      {"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                      {"name":"UID","valueFrom":{"fieldRef":{"fieldPath":"metadata.uid"}}},
                      {"name":"APP","valueFrom":{"fieldRef":{"fieldPath":"metadata.labels['app']"}}},
                      {"name":"WHO","valueFrom":{"fieldRef":{"fieldPath":"metadata.annotations['who']"}}},
                      {"name":"COLOUR","valueFrom":{"configMapKeyRef":{"name":"settings","key":"colour"}}},
                      {"name":"GREETING","value":"hello $(NAME) in $(NS)"}],
               "command":["/bin/prog","--roster","/etc/cowboys/roster.json"],
               "args":["--bind=0.0.0.0:8080","--tmp","/tmp/x","--log","/dev/termination-log","--not","/etc/cowboysx","--scratch","/data/s"],
               "volumeMounts":[{"name":"roster","mountPath":"/etc/cowboys"},{"name":"scratch","mountPath":"/data"}]}]}
            """);
        var configMaps = new Dictionary<string, JsonObject>
        {
            ["r"] = new() { ["roster.json"] = "[]" },
            ["settings"] = new() { ["colour"] = "red", ["size"] = "9" },
        };
        var launch = ContainerPlan.For(pod, pod["spec"]!["containers"]![0]!.AsObject(), "/pods/p", n => configMaps.GetValueOrDefault(n),
            new Dictionary<string, string> { ["PATH"] = "/usr/bin" });

        Assert.Equal("127.0.0.9", launch.Environment["IP"]);
        Assert.Equal("p-abcde", launch.Environment["NAME"]);
        Assert.Equal("games", launch.Environment["NS"]);
        Assert.Equal("sandbox", launch.Environment["NODE"]);
        Assert.Equal("u-1", launch.Environment["UID"]);
        Assert.Equal("cowboys", launch.Environment["APP"]);
        Assert.Equal("John", launch.Environment["WHO"]);
        Assert.Equal("red", launch.Environment["COLOUR"]);
        Assert.Equal("9", launch.Environment["S_size"]);
        Assert.Equal("hello p-abcde in games", launch.Environment["GREETING"]);
        Assert.Equal("/usr/bin", launch.Environment["PATH"]);
        Assert.Equal("/pods/p/tmp", launch.Environment["TMPDIR"]);
        Assert.Equal("/bin/prog", launch.Command);
        Assert.Equal(
            ["--roster", "/pods/p/volumes/roster/roster.json", "--bind=127.0.0.9:8080", "--tmp", "/pods/p/tmp/x", "--log", "/pods/p/termination-log",
                "--not", "/etc/cowboysx", "--scratch", "/pods/p/volumes/scratch/s"],
            launch.Arguments);
        Assert.Contains(new VolumeFile("volumes/roster/roster.json", "[]"), launch.Files);
        Assert.Contains("volumes/scratch", launch.Directories);
    }

    [Fact]
    public void A_missing_configmap_is_an_error_that_names_it()
    {
        var pod = Pod("""{"volumes":[{"name":"v","configMap":{"name":"gone"}}],"containers":[{"name":"c"}]}""");
        var e = Assert.Throws<InvalidOperationException>(() => ContainerPlan.For(pod, pod["spec"]!["containers"]![0]!.AsObject(), "/p", _ => null, new Dictionary<string, string>()));
        Assert.Contains("\"gone\"", e.Message);
    }

    [Fact]
    public void A_value_from_a_variable_is_not_mapped_twice_even_when_the_pod_directory_is_under_tmp()
    {
        var pod = Pod("""{"containers":[{"name":"c","env":[{"name":"T","value":"/tmp/a"}],"args":["$(T)/b"]}]}""");
        var launch = ContainerPlan.For(pod, pod["spec"]!["containers"]![0]!.AsObject(), "/tmp/pods/p", _ => null, new Dictionary<string, string>());
        Assert.Equal("/tmp/pods/p/tmp/a", launch.Environment["T"]);
        Assert.Equal(["/tmp/pods/p/tmp/a/b"], launch.Arguments);
    }

    // ---------------------------------------------------------------- Job status

    private static JsonObject Job(string spec, string status = "{}", params string[] conditions)
    {
        var job = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "j", ["namespace"] = "default", ["uid"] = "job-uid" },
            ["spec"] = JsonNode.Parse(spec),
            ["status"] = JsonNode.Parse(status),
        };
        if (conditions.Length > 0) job["status"]!["conditions"] = new JsonArray([.. conditions.Select(c => JsonNode.Parse(c))]);
        return job;
    }

    private static JsonObject JobPod(string name, string phase, int? exitCode = null, bool tracked = true, bool deleting = false, string? finishedAt = null,
        string? condition = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = name };
        if (tracked) meta["finalizers"] = new JsonArray(Pods.JobTrackingFinalizer);
        if (deleting) meta["deletionTimestamp"] = "2026-12-01T11:59:00Z";
        var status = new JsonObject { ["phase"] = phase };
        if (exitCode is { } code)
        {
            status["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = code, ["finishedAt"] = finishedAt ?? "2026-12-01T11:00:00Z" } },
            });
        }
        if (condition is not null) status["conditions"] = new JsonArray(new JsonObject { ["type"] = condition, ["status"] = "True" });
        return new JsonObject { ["metadata"] = meta, ["spec"] = new JsonObject(), ["status"] = status };
    }

    private static string? Condition(JobDecision d, string type) =>
        (string?)(d.Status["conditions"] as JsonArray)?.FirstOrDefault(c => (string?)c?["type"] == type && (string?)c["status"] == "True")?["reason"];

    [Fact]
    public void A_new_job_gets_one_pod_and_a_start_time()
    {
        var d = JobLogic.Decide(Job("""{"template":{"spec":{}}}"""), [], Now, Backoff);
        Assert.Equal(1, d.PodsToCreate);
        Assert.Equal("2026-12-01T12:00:00Z", (string?)d.Status["startTime"]);
        Assert.Equal(0, (int)d.Status["active"]!);
    }

    [Fact]
    public void A_running_pod_is_active_and_no_second_pod_is_made()
    {
        var d = JobLogic.Decide(Job("""{"template":{"spec":{}}}"""), [JobPod("a", "Running", tracked: true)], Now, Backoff);
        Assert.Equal(0, d.PodsToCreate);
        Assert.Equal(1, (int)d.Status["active"]!);
    }

    [Fact]
    public void A_pod_that_succeeded_is_counted_once_and_the_job_completes_with_success_criteria_met_first()
    {
        var d = JobLogic.Decide(Job("""{"template":{"spec":{}}}"""), [JobPod("a", "Succeeded", 0)], Now, Backoff);
        Assert.Equal(1, (int)d.Status["succeeded"]!);
        Assert.Equal(["a"], d.PodsCounted);
        Assert.Equal("CompletionsReached", Condition(d, "SuccessCriteriaMet"));
        Assert.Equal("CompletionsReached", Condition(d, "Complete"));
        Assert.Equal("2026-12-01T12:00:00Z", (string?)d.Status["completionTime"]);

        // after the finalizer is gone the pod is not counted again
        var again = JobLogic.Decide(Job("""{"template":{"spec":{}}}""", d.Status.ToJsonString()), [JobPod("a", "Succeeded", 0, tracked: false)], Now, Backoff);
        Assert.Equal(1, (int)again.Status["succeeded"]!);
        Assert.Equal(0, again.PodsToCreate);
    }

    [Fact]
    public void A_failure_within_the_backoff_limit_is_retried_after_the_backoff()
    {
        var job = Job("""{"backoffLimit":1,"template":{"spec":{}}}""");
        var failed = JobPod("a", "Failed", 1, finishedAt: "2026-12-01T11:59:55Z");
        var early = JobLogic.Decide(job, [failed], Now, Backoff);
        Assert.Equal(1, (int)early.Status["failed"]!);
        Assert.Equal(0, early.PodsToCreate);
        Assert.Equal(TimeSpan.FromSeconds(5), early.RequeueAfter);
        Assert.Null(Condition(early, "Failed"));

        var later = JobLogic.Decide(job, [failed], Now.AddSeconds(5), Backoff);
        Assert.Equal(1, later.PodsToCreate);
    }

    [Fact]
    public void Failures_beyond_the_backoff_limit_fail_the_job_with_backoff_limit_exceeded()
    {
        var job = Job("""{"backoffLimit":1,"template":{"spec":{}}}""", """{"failed":1}""");
        var d = JobLogic.Decide(job, [JobPod("a", "Failed", 1, tracked: false), JobPod("b", "Failed", 1)], Now, Backoff);
        Assert.Equal(2, (int)d.Status["failed"]!);
        Assert.Equal("BackoffLimitExceeded", Condition(d, "FailureTarget"));
        Assert.Equal("BackoffLimitExceeded", Condition(d, "Failed"));
        Assert.Equal(0, d.PodsToCreate);
    }

    [Fact]
    public void A_fail_job_rule_on_an_exit_code_fails_the_job_at_once_whatever_the_backoff_limit()
    {
        var job = Job("""
            {"backoffLimit":6,"template":{"spec":{}},"podFailurePolicy":{"rules":[
              {"action":"FailJob","onExitCodes":{"containerName":"main","operator":"In","values":[2]}}]}}
            """);
        var d = JobLogic.Decide(job, [JobPod("a", "Failed", 2)], Now, Backoff);
        Assert.Equal("PodFailurePolicy", Condition(d, "Failed"));
        Assert.Contains("exit code 2 matching FailJob rule at index 0", (string?)(d.Status["conditions"] as JsonArray)![0]!["message"]);
    }

    [Fact]
    public void An_ignored_failure_is_not_counted_and_the_pod_is_replaced()
    {
        var job = Job("""
            {"backoffLimit":0,"template":{"spec":{}},"podFailurePolicy":{"rules":[
              {"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]}}
            """);
        var d = JobLogic.Decide(job, [JobPod("a", "Failed", 137, condition: "DisruptionTarget")], Now, Backoff);
        Assert.Equal(0, (int)d.Status["failed"]!);
        Assert.Null(Condition(d, "Failed"));
        Assert.Equal(1, d.PodsToCreate);
    }

    [Fact]
    public void A_not_in_rule_matches_other_non_zero_exit_codes_and_count_counts()
    {
        var rules = (JsonArray)JsonNode.Parse("""[{"action":"Count","onExitCodes":{"operator":"NotIn","values":[3]}}]""")!;
        Assert.Equal("Count", JobLogic.MatchFailurePolicy(rules, JobPod("a", "Failed", 1)).Action);
        Assert.Equal("", JobLogic.MatchFailurePolicy(rules, JobPod("a", "Failed", 3)).Message);
    }

    [Fact]
    public void Past_the_active_deadline_the_running_pods_are_deleted_and_the_job_fails_once_they_are_gone()
    {
        var job = Job("""{"activeDeadlineSeconds":5,"template":{"spec":{}}}""", """{"startTime":"2026-12-01T11:59:50Z"}""");
        var d = JobLogic.Decide(job, [JobPod("a", "Running")], Now, Backoff);
        Assert.Equal(["a"], d.PodsToDelete);
        Assert.Equal("DeadlineExceeded", Condition(d, "FailureTarget"));
        Assert.Null(Condition(d, "Failed"));

        var withTarget = Job("""{"activeDeadlineSeconds":5,"template":{"spec":{}}}""", d.Status.ToJsonString());
        var terminating = JobLogic.Decide(withTarget, [JobPod("a", "Running", deleting: true)], Now, Backoff);
        Assert.Null(Condition(terminating, "Failed"));
        Assert.Equal(0, terminating.PodsToCreate);

        var done = JobLogic.Decide(withTarget, [JobPod("a", "Failed", 143)], Now, Backoff);
        Assert.Equal("DeadlineExceeded", Condition(done, "Failed"));
    }

    [Fact]
    public void Before_the_deadline_the_controller_asks_to_look_again_when_it_falls()
    {
        var job = Job("""{"activeDeadlineSeconds":30,"template":{"spec":{}}}""", """{"startTime":"2026-12-01T11:59:50Z"}""");
        Assert.Equal(TimeSpan.FromSeconds(20), JobLogic.Decide(job, [JobPod("a", "Running")], Now, Backoff).RequeueAfter);
    }

    [Fact]
    public void With_pod_replacement_policy_failed_a_terminating_pod_gets_no_replacement_until_it_has_failed()
    {
        var job = Job("""{"podReplacementPolicy":"Failed","template":{"spec":{}}}""");
        Assert.Equal(0, JobLogic.Decide(job, [JobPod("a", "Running", deleting: true)], Now, Backoff).PodsToCreate);
        var eager = Job("""{"podReplacementPolicy":"TerminatingOrFailed","template":{"spec":{}}}""");
        Assert.Equal(1, JobLogic.Decide(eager, [JobPod("a", "Running", deleting: true)], Now, Backoff).PodsToCreate);
    }

    [Fact]
    public void On_failure_restarts_count_towards_the_backoff_limit()
    {
        var job = Job("""{"backoffLimit":2,"template":{"spec":{"restartPolicy":"OnFailure"}}}""");
        var pod = JobPod("a", "Running");
        pod["status"]!["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "main", ["restartCount"] = 3 });
        var d = JobLogic.Decide(job, [pod], Now, Backoff);
        Assert.Equal("BackoffLimitExceeded", Condition(d, "FailureTarget"));
        Assert.Equal(["a"], d.PodsToDelete);
    }

    [Fact]
    public void A_suspended_job_runs_no_pod()
    {
        var d = JobLogic.Decide(Job("""{"suspend":true,"template":{"spec":{}}}"""), [JobPod("a", "Running")], Now, Backoff);
        Assert.Equal(["a"], d.PodsToDelete);
        Assert.Equal(0, d.PodsToCreate);
        Assert.Equal("JobSuspended", Condition(d, "Suspended"));
    }
}
