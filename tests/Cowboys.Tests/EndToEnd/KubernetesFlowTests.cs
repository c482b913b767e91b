using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cowboys.Operator.Desired;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Sandbox;
using Cowboys.Tests.Manifests;

namespace Cowboys.Tests.EndToEnd;

/// <summary>
/// The original project's test instructions, step by step, with the real kubectl against a fresh
/// sandbox process (tests/Cowboys.Sandbox: API server, Job and Deployment controllers, a kubelet
/// running each pod as a local process of the built Cowboys.Host or Cowboys.Operator).
/// </summary>
public sealed class KubernetesFlowTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] SampleRoster = ["John", "Bill", "Sam", "Peter", "Philip"];
    private static readonly TimeSpan GameLimit = TimeSpan.FromSeconds(120);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-flow-");
    private PlayRun? _sandbox;
    private PlayRun? _operator;
    private KubectlRunner _kubectl = null!;

    private string Kubeconfig => Path.Combine(_dir.FullName, "kubeconfig");

    /// <summary>Process start until the kubeconfig is written, i.e. the server answers.</summary>
    private TimeSpan SandboxStart { get; set; }

    public async Task InitializeAsync()
    {
        if (!KubectlRunner.IsInstalled) return; // each test skips, saying why
        var clock = Stopwatch.StartNew();
        _sandbox = PlayRun.Program("Cowboys.Sandbox", new Dictionary<string, string?>(), "--kubeconfig", Kubeconfig);
        await Eventually.Until(() => File.Exists(Kubeconfig), written => written, TimeSpan.FromSeconds(30), "the sandbox to write its kubeconfig",
            _ => $"none; exited: {_sandbox.HasExited}\n{_sandbox.Stdout}{_sandbox.Stderr}", () => _sandbox.HasExited, TimeSpan.FromMilliseconds(10));
        SandboxStart = clock.Elapsed;
        output.WriteLine($"sandbox start (process start to kubeconfig written): {SandboxStart.TotalSeconds:0.00} s");
        _kubectl = new KubectlRunner(Kubeconfig, Path.Combine(_dir.FullName, "cache"));
    }

    public Task DisposeAsync()
    {
        foreach (var process in new[] { _operator, _sandbox })
        {
            // the sandbox's whole tree: every pod's process with it
            if (process is { HasExited: false }) process.Kill();
            process?.Dispose();
        }
        _dir.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task The_originals_steps_play_the_full_sample_with_the_operator_run_locally_and_kubectl_shows_the_winner_jobs_and_logs()
    {
        KubectlRunner.SkipUnlessInstalled();
        await WithDiagnosticsAsync(async () =>
        {
            await PrepareNamespaceAndCrdAsync();
            StartLocalOperator();

            var clock = Stopwatch.StartNew();
            await _kubectl.SucceedsAsync("apply", "-f", Path.Combine(Kustomize.ManifestsDir, "samples", "shootout-full.yaml"));
            await WaitForPhaseAsync("full", "Finished");
            var played = clock.Elapsed;
            output.WriteLine($"kubectl apply of the sample until Finished: {played.TotalSeconds:0.0} s (sandbox start {SandboxStart.TotalSeconds:0.00} s)");

            var winner = await _kubectl.SucceedsAsync("get", "shootout", "full", "-o", "jsonpath={.status.winner}");
            Assert.Contains(winner, SampleRoster);
            var table = await _kubectl.SucceedsAsync("get", "shootouts");
            Assert.Matches(@"^NAME\s+PHASE\s+WINNER\s+BEAT\s+ALIVE\s+AGE\n", table);
            Assert.Matches($@"(?m)^full\s+Finished\s+{winner}\s+\d+\s+1\s+\S+$", table);

            var jobs = await _kubectl.SucceedsAsync("get", "jobs");
            Assert.Equal(5, jobs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("full-", StringComparison.Ordinal)));
            var winnersJob = JobOf(await JobsAsync("full"), winner);
            var log = await _kubectl.SucceedsAsync("logs", $"job/{winnersJob}");
            // JSON lines, as the cowboy logs in any pod (KUBERNETES_SERVICE_HOST is set)
            Assert.Contains(log.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith('{') && l.Contains($"I, {winner}, am the last man standing", StringComparison.Ordinal));
            output.WriteLine($"kubectl logs job/{winnersJob} (last lines):\n{Tail(log, 5)}");
        });
    }

    [SkippableFact]
    public async Task The_operator_installed_by_kustomize_runs_as_two_leader_elected_pods_and_plays_cowboys_whose_names_are_not_dns_names()
    {
        KubectlRunner.SkipUnlessInstalled();
        await WithDiagnosticsAsync(async () =>
        {
            await _kubectl.SucceedsAsync("apply", "-k", Kustomize.ManifestsDir);
            await _kubectl.SucceedsAsync("create", "namespace", "cowboys");
            await _kubectl.SucceedsAsync("config", "set-context", "--current", "--namespace=cowboys");
            var available = await _kubectl.RunAsync(null, GameLimit + TimeSpan.FromSeconds(10), "wait", "-n", "cowboys-system", "deployment/cowboys-operator",
                "--for=condition=Available", $"--timeout={GameLimit.TotalSeconds}s");
            Assert.True(available.ExitCode == 0, $"the operator's Deployment is not Available: {available}");

            string[] roster = ["Billy the Kid", "José", "DOC"];
            await ApplyShootoutAsync("odd-names", Roster(roster, health: 2), beat: "200ms");
            await WaitForPhaseAsync("odd-names", "Finished");
            Assert.Contains(await _kubectl.SucceedsAsync("get", "shootout", "odd-names", "-o", "jsonpath={.status.winner}"), roster);

            var pods = (await _kubectl.SucceedsAsync("get", "pods", "-n", "cowboys-system")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Equal(2, pods.Count);
            // no restarts: both replicas bind their own pod address (Operator__BindAddress), not one 0.0.0.0:8080
            Assert.All(pods, p => Assert.Matches(@"^cowboys-operator-\S+\s+1/1\s+Running\s+0\s", p));
            var holder = await _kubectl.SucceedsAsync("get", "lease", "cowboys-operator", "-n", "cowboys-system", "-o", "jsonpath={.spec.holderIdentity}");
            Assert.Single(pods, p => p.StartsWith(holder + " ", StringComparison.Ordinal));
        });
    }

    [SkippableFact]
    public async Task A_shootout_with_a_duplicate_name_ends_failed_naming_the_duplicate_and_creates_no_jobs()
    {
        KubectlRunner.SkipUnlessInstalled();
        await WithDiagnosticsAsync(async () =>
        {
            await PrepareNamespaceAndCrdAsync();
            StartLocalOperator();

            await ApplyShootoutAsync("twins", Roster(["Jesse", "Frank", "Jesse"], health: 2));
            await WaitForPhaseAsync("twins", "Failed");

            var message = await _kubectl.SucceedsAsync("get", "shootout", "twins", "-o", "jsonpath={.status.message}");
            Assert.Contains("cowboy #3 \"Jesse\": name is already used by cowboy #1 \"Jesse\"", message);
            var valid = await _kubectl.SucceedsAsync("get", "shootout", "twins", "-o", "jsonpath={.status.conditions[?(@.type==\"Valid\")].status}");
            Assert.Equal("False", valid);
            Assert.Contains("No resources found", (await _kubectl.RunAsync("get", "jobs")).Stderr);
        });
    }

    [SkippableFact]
    public async Task A_cowboy_whose_process_is_killed_mid_game_does_not_stop_the_game_from_finishing_with_a_winner()
    {
        KubectlRunner.SkipUnlessInstalled();
        await WithDiagnosticsAsync(async () =>
        {
            await PrepareNamespaceAndCrdAsync();
            StartLocalOperator();

            // the sample's roster and 1 s beats: about ten beats, time to kill one mid-game
            await _kubectl.SucceedsAsync("apply", "-f", Path.Combine(Kustomize.ManifestsDir, "samples", "shootout-full.yaml"));
            await WaitForPhaseAsync("full", "Running");
            var beat = await WaitForFirstBeatAsync("full");
            // Philip (health 15) is the one most likely still standing this early
            var victimsJob = JobOf(await JobsAsync("full"), "Philip");
            var victim = Assert.Single(Items(await _kubectl.SucceedsAsync("get", "pods", "-l", $"job-name={victimsJob}", "-o", "json")));
            var podName = (string)victim["metadata"]!["name"]!;
            var pid = int.Parse((string)victim["metadata"]!["annotations"]!["sandbox.cowboys.example.com/pid"]!, CultureInfo.InvariantCulture);

            // the README's way to look inside: the cluster as the victim's own cowboy sees it, run in its pod
            var show = await _kubectl.RunAsync(null, TimeSpan.FromSeconds(60), "exec", podName, "--", "dotnet", "/app/Cowboys.Host.dll", "cluster", "show");
            output.WriteLine($"kubectl exec {podName} -- dotnet /app/Cowboys.Host.dll cluster show:\n{show.Stdout}{show.Stderr}");
            Assert.True(show.ExitCode == 0, $"kubectl exec ... cluster show failed: {show}");
            var members = show.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("akka.tcp://", StringComparison.Ordinal)).ToList();
            Assert.Contains(members, m => m.Contains("| Philip", StringComparison.Ordinal));
            Assert.Contains(members, m => m.Contains("game leader", StringComparison.Ordinal));
            Assert.All(members, m => Assert.Contains(m.Split(" | ")[3].Split(' ')[0], SampleRoster));
            Assert.Contains($"Count: {members.Count} nodes", show.Stdout);

            using (var process = Process.GetProcessById(pid)) process.Kill(); // SIGKILL: no goodbye
            output.WriteLine($"killed pod {podName} (pid {pid}) after beat {beat} was shown");

            await WaitForPhaseAsync("full", "Finished");
            Assert.Contains(await _kubectl.SucceedsAsync("get", "shootout", "full", "-o", "jsonpath={.status.winner}"), SampleRoster);
            var killed = JsonNode.Parse(await _kubectl.SucceedsAsync("get", "pod", podName, "-o", "json"))!;
            Assert.Equal("Failed", (string?)killed["status"]!["phase"]);
            Assert.Equal(137, (int)killed["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!);
            // the Job counts the failure and may replace the pod (decision 0010: a replacement does not vote); either way the game was decided
            var job = JsonNode.Parse(await _kubectl.SucceedsAsync("get", "job", victimsJob, "-o", "json"))!;
            Assert.True((int?)job["status"]?["failed"] >= 1, $"the killed pod's failure is not counted: {job["status"]}");
            var podsOfVictim = Items(await _kubectl.SucceedsAsync("get", "pods", "-l", $"job-name={victimsJob}", "-o", "json"));
            output.WriteLine($"{victimsJob}: {podsOfVictim.Count} pod(s) by the end: {string.Join(", ", podsOfVictim.Select(p => $"{p["metadata"]!["name"]} {p["status"]!["phase"]}"))}");
        });
    }

    [SkippableFact]
    public async Task Shootouts_named_1v1_and_with_63_and_200_characters_all_finish()
    {
        KubectlRunner.SkipUnlessInstalled();
        await WithDiagnosticsAsync(async () =>
        {
            await PrepareNamespaceAndCrdAsync();
            StartLocalOperator();

            var long63 = new string('l', 60) + "-63";
            var long200 = string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), "shootout");
            Assert.Equal((63, 200), (long63.Length, long200.Length));
            string[] names = ["1v1", long63, long200];
            foreach (var name in names)
            {
                await ApplyShootoutAsync(name, Roster(["Wyatt", "Ike"], health: 2), beat: "200ms");
            }
            foreach (var name in names)
            {
                await WaitForPhaseAsync(name, "Finished");
                Assert.Contains(await _kubectl.SucceedsAsync("get", "shootout", name, "-o", "jsonpath={.status.winner}"), new[] { "Wyatt", "Ike" });
            }
        });
    }

    private async Task PrepareNamespaceAndCrdAsync()
    {
        await _kubectl.SucceedsAsync("create", "namespace", "cowboys");
        await _kubectl.SucceedsAsync("config", "set-context", "--current", "--namespace=cowboys");
        // kubectl kustomize manifests/crd | kubectl apply -f -
        var crd = await _kubectl.SucceedsAsync("kustomize", Path.Combine(Kustomize.ManifestsDir, "crd"));
        var applied = await _kubectl.RunAsync(crd, TimeSpan.FromSeconds(60), "apply", "-f", "-");
        Assert.True(applied.ExitCode == 0, $"kubectl apply -f - failed: {applied}");
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/shootouts.example.com created", applied.Stdout);
    }

    /// <summary>The operator as the original's `go run main.go`: a local process with KUBECONFIG (namespace cowboys from set-context).</summary>
    private void StartLocalOperator()
    {
        var ports = TestPorts.Take(2);
        _operator = PlayRun.Program("Cowboys.Operator", new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = Kubeconfig,
            // nothing else: run locally, the operator elects no leader, as kubebuilder's scaffold does without --leader-elect
            ["Operator__HttpPort"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["Operator__MetricsPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
        });
    }

    private async Task ApplyShootoutAsync(string name, string cowboysJson, string? beat = null)
    {
        var path = Path.Combine(_dir.FullName, $"shootout-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: example.com/v1alpha1
            kind: Shootout
            metadata:
              name: {name}
            spec:
              cowboys: '{cowboysJson}'
            {(beat is null ? "" : $"  beat: {beat}")}
            """);
        await _kubectl.SucceedsAsync("apply", "-f", path);
    }

    private static string Roster(IEnumerable<string> names, int health) =>
        new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["health"] = health, ["damage"] = 1 }).ToArray())
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>kubectl wait for the phase; on a timeout the test fails with what the Shootout shows.</summary>
    private async Task WaitForPhaseAsync(string name, string phase)
    {
        var result = await _kubectl.RunAsync(null, GameLimit + TimeSpan.FromSeconds(10), "wait", $"shootout/{name}",
            $"--for=jsonpath={{.status.phase}}={phase}", $"--timeout={GameLimit.TotalSeconds}s");
        Assert.True(result.ExitCode == 0, $"Shootout {name} is not {phase}: {result}");
    }

    /// <summary>Polls (kubectl get, with a deadline) until the operator shows a committed beat: the game is under way.</summary>
    private async Task<int> WaitForFirstBeatAsync(string name)
    {
        var status = await Eventually.Until(async () => JsonNode.Parse(await _kubectl.SucceedsAsync("get", "shootout", name, "-o", "json"))!["status"],
            s => (string?)s?["phase"] != "Running" || (int?)s?["beat"] > 0, GameLimit, $"Shootout {name} to show a beat", s => $"{s}");
        Assert.True((string?)status?["phase"] == "Running", $"Shootout {name} left Running before a beat was shown: {status}");
        return (int)status!["beat"]!;
    }

    private async Task<IReadOnlyList<JsonNode>> JobsAsync(string shootout) =>
        Items(await _kubectl.SucceedsAsync("get", "jobs", "-l", Labels.ShootoutSelector(shootout), "-o", "json"));

    private static IReadOnlyList<JsonNode> Items(string listJson) => JsonNode.Parse(listJson)!["items"]!.AsArray().Select(i => i!).ToList();

    private static string JobOf(IEnumerable<JsonNode> jobs, string cowboy) =>
        (string)jobs.Single(j => (string?)j["metadata"]!["annotations"]![Labels.CowboyName] == cowboy)["metadata"]!["name"]!;

    /// <summary>Runs the steps; a failure carries what kubectl, the operator and the sandbox show, so a CI log explains it.</summary>
    private async Task WithDiagnosticsAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception e) when (e is not SkipException)
        {
            var report = new System.Text.StringBuilder(e.Message);
            foreach (var args in new[]
            {
                new[] { "get", "all", "-A", "-o", "wide" },
                ["get", "shootouts", "-A", "-o", "yaml"],
                ["describe", "shootouts", "-A"],
                ["logs", "-n", "cowboys-system", "-l", "app.kubernetes.io/name=cowboys-operator", "--tail=60", "--prefix"],
            })
            {
                try
                {
                    report.Append($"\n\n$ kubectl {string.Join(' ', args)}\n{await _kubectl.RunAsync(args)}");
                }
                catch (TimeoutException t)
                {
                    report.Append($"\n\n$ kubectl {string.Join(' ', args)}\n{t.Message}");
                }
            }
            if (_operator is not null) report.Append($"\n\nlocal operator (exited: {_operator.HasExited}):\n{Tail(_operator.Stdout)}\n{Tail(_operator.Stderr)}");
            report.Append($"\n\nsandbox:\n{Tail(_sandbox?.Stdout ?? "")}\n{Tail(_sandbox?.Stderr ?? "")}");
            throw new Xunit.Sdk.XunitException(report.ToString());
        }
    }

    private static string Tail(string text, int lines = 80) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
