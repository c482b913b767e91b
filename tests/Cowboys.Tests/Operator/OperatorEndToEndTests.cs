using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Cowboys.Host.Launcher;
using Cowboys.Operator.Entities;
using Xunit;
using Xunit.Abstractions;
using static Cowboys.Tests.Operator.OperatorTestBed;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Operator;

/// <summary>
/// Everything but the cluster is real: the operator process (as its Deployment runs it, leader
/// election included), cowboy processes started from the Jobs it creates, Akka remoting over
/// TCP, discovery through the API. The API server, the Job controller and the kubelet are the
/// sandbox's stand-ins (tests/Cowboys.Sandbox).
/// </summary>
public sealed class OperatorEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_shootout_is_played_by_real_cowboy_processes_and_the_winner_written_back_even_when_the_operator_is_killed_mid_game()
    {
        await using var bed = await StartAsync(output);
        var kubeconfig = Kubeconfig(bed);
        await using var cluster = Workloads(bed);

        using var first = StartOperator(kubeconfig, "operator-1", out var firstPort);
        await WaitForHttpAsync(first, $"http://127.0.0.1:{firstPort}/ready");
        Assert.Equal(200, await StatusOfAsync($"http://127.0.0.1:{firstPort}/alive"));

        // 2 s beats: the sample's 7 beats outlast the operator's hand-over and a few progress reads, even when
        // the new operator process needs 8 s to start on a loaded machine (seen with 1 s beats: the game was over)
        bed.Apply("full", seed: 42, beat: "2s");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Running, TimeSpan.FromSeconds(90));

        // the operator dies mid-game; the game does not need it, and a new one picks up the status
        first.Kill();
        // kept running like its Deployment would: on a loaded machine it may lose its 3-second Lease and exit on purpose
        using var second = new OperatorDeployment(() => StartOperator(kubeconfig, "operator-2", out _));
        try
        {
            await bed.WaitForPhaseAsync("full", ShootoutPhases.Finished, TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException e)
        {
            var pods = string.Join("\n", bed.Server.List("pods", Ns).Select(p => $"{p["metadata"]!["name"]} {p["status"]?.ToJsonString()}\n"
                + string.Join("\n", (cluster.Kubelet.Logs(Ns, (string)p["metadata"]!["name"]!) ?? "").Split('\n').TakeLast(15))));
            throw new TimeoutException($"{e.Message}\noperator-1 (exited: {first.HasExited}):\n{first.Stdout}{first.Stderr}\noperator-2 ({second.Restarts} restarts):\n{second.Output}\npods:\n{pods}", e);
        }

        var expected = Referee.Play(RosterParser.ParseSpecCowboys("full", Cowboys.Tests.Operator.OperatorFixtures.SampleCowboys), RuleSet.Sequential, 42);
        var status = bed.Shootout("full")!["status"]!;
        Assert.Equal(expected.Winner, (string?)status["winner"]);
        Assert.Equal(expected.Beats, (int)status["beat"]!);
        Assert.Equal(1, (int)status["alive"]!);
        await bed.Server.WaitUntilAsync(() => bed.EventReasons("full").Contains("Winner"), what: "a Winner event");
        Assert.Contains("Created", bed.EventReasons("full"));
        Assert.Contains("Started", bed.EventReasons("full"));
        Assert.Equal(4, bed.EventReasons("full").Count(r => r == "CowboyDied"));
        // progress was shown while the game ran, read from a cowboy's GET /game
        Assert.Contains(bed.Server.Requests, r => r.Method == "PUT" && r.Path.EndsWith("/full/status")
            && System.Text.Json.Nodes.JsonNode.Parse(r.Body)?["status"] is { } s && (string?)s["phase"] == "Running" && (int?)s["beat"] > 0);
        Assert.Equal("operator-2", (string?)bed.Server.Get("leases", "cowboys-system", "cowboys-operator")!["spec"]!["holderIdentity"]);
        // the install's RBAC allows everything the operator (and the cowboys, a subset) asked for
        Assert.Empty(Cowboys.Tests.Manifests.RbacCheck.Refused(bed.Server.Requests));
        // and uses every grant but the sweep of a decided game's stragglers and the correction of grants changed by hand,
        // which a healthy game never needs (RbacUsageSpecs takes those paths)
        Assert.Equal(["ClusterRole/cowboys-operator: delete batch/jobs", "ClusterRole/cowboys-operator: update rbac.authorization.k8s.io/rolebindings", "ClusterRole/cowboys-operator: update rbac.authorization.k8s.io/roles"],
            Cowboys.Tests.Manifests.RbacCheck.Unused(Cowboys.Tests.Manifests.RbacCheck.Grants(), bed.Server.Requests, Cowboys.Tests.Manifests.RbacCheckTests.HandedOut).Order(StringComparer.Ordinal));
        File.Delete(kubeconfig);
    }

    [Fact]
    public async Task An_even_shootout_with_a_cowboys_pod_killed_mid_game_finishes_and_every_pod_that_announces_a_result_announces_the_same()
    {
        await using var bed = await StartAsync(output);
        var kubeconfig = Kubeconfig(bed);
        await using var cluster = Workloads(bed);
        var port = 0;
        using var op = new OperatorDeployment(() => StartOperator(kubeconfig, "operator-1", out port));
        await WaitForHttpAsync(op.Current, $"http://127.0.0.1:{port}/ready");

        // four cowboys and the Lease as the witness: five voters, so three pods and the witness go on without the fourth
        const string four = """[{"name":"Ann","health":6,"damage":1},{"name":"Ben","health":6,"damage":1},{"name":"Cat","health":6,"damage":1},{"name":"Dan","health":6,"damage":1}]""";
        bed.Apply("even", cowboys: four, seed: 9, beat: "1s");
        await bed.WaitForPhaseAsync("even", ShootoutPhases.Running, TimeSpan.FromSeconds(90));
        await bed.Server.WaitUntilAsync(() => (int?)bed.Shootout("even")?["status"]?["beat"] > 0, TimeSpan.FromSeconds(60), "a committed beat");

        var selector = Cowboys.Operator.Desired.Labels.ShootoutSelector("even");
        var victimPod = bed.Server.List("pods", Ns, selector).OrderBy(p => (string)p["metadata"]!["name"]!).First();
        var victim = (string)victimPod["metadata"]!["name"]!;
        var victimJob = (string?)victimPod["metadata"]!["labels"]!["job-name"];
        Assert.True(cluster.Kubelet.KillContainer(Ns, victim), $"no container to kill in {victim}");

        try
        {
            await bed.WaitForPhaseAsync("even", ShootoutPhases.Finished, TimeSpan.FromSeconds(180));
        }
        catch (TimeoutException e)
        {
            var logs = string.Join("\n", bed.Server.List("pods", Ns).Select(p => $"{p["metadata"]!["name"]}:\n"
                + string.Join("\n", (cluster.Kubelet.Logs(Ns, (string)p["metadata"]!["name"]!) ?? "").Split('\n').TakeLast(15))));
            throw new TimeoutException($"{e.Message}\n{op.Output}\n{logs}", e);
        }

        var pods = bed.Server.List("pods", Ns, selector);
        var summaries = pods
            .SelectMany(p => p["status"]?["containerStatuses"]?.AsArray() ?? [])
            .Select(c => Cowboys.Actors.Game.Results.ResultSummary.TryParse((string?)c?["state"]?["terminated"]?["message"]))
            .OfType<Cowboys.Actors.Game.Results.ResultSummary>().ToList();
        Assert.True(summaries.Count >= 3, $"only {summaries.Count} pods announced a result");
        Assert.Single(summaries.Select(x => (x.Outcome, x.Winner, x.Beats)).Distinct());
        var status = bed.Shootout("even")!["status"]!;
        Assert.Equal(summaries[0].Winner, (string?)status["winner"]);
        Assert.Equal(summaries[0].Beats, (int)status["beat"]!);
        // only the killed pod's replacement (if the game still needed one) went without a vote
        var withoutVote = pods.Where(p => (cluster.Kubelet.Logs(Ns, (string)p["metadata"]!["name"]!) ?? "").Contains("I do not vote", StringComparison.Ordinal));
        Assert.All(withoutVote, p => Assert.Equal(victimJob, (string?)p["metadata"]!["labels"]!["job-name"]));
        File.Delete(kubeconfig);
    }

    private static string Kubeconfig(OperatorTestBed bed)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"operator-{Guid.NewGuid():N}.kubeconfig");
        bed.Server.WriteKubeconfig(kubeconfig);
        return kubeconfig;
    }

    /// <summary>The sandbox's Job controller and kubelet: each cowboy pod is a Cowboys.Host process on its own loopback address.</summary>
    private Cowboys.Sandbox.SandboxCluster Workloads(OperatorTestBed bed) =>
        Cowboys.Sandbox.SandboxCluster.On(bed.Server, new Cowboys.Sandbox.Workloads.SandboxOptions
        {
            FirstPodAddress = Cowboys.Sandbox.Workloads.PodNetwork.RandomBlock(),
            Log = line => Log(output, line),
        });

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test has ended
        }
    }

    private static PlayRun StartOperator(string kubeconfig, string identity, out int httpPort)
    {
        var ports = TestPorts.Take(2);
        httpPort = ports[0];
        return PlayRun.Program("Cowboys.Operator", new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["Operator__Identity"] = identity,
            ["Operator__LeaderElect"] = "true",
            ["Operator__LeaseNamespace"] = "cowboys-system",
            ["Operator__LeaseDuration"] = "00:00:03",
            ["Operator__RenewDeadline"] = "00:00:02",
            ["Operator__RetryPeriod"] = "00:00:00.500",
            ["Operator__HttpPort"] = httpPort.ToString(),
            // never the default 8081: another process on the machine may hold it
            ["Operator__MetricsPort"] = ports[1].ToString(),
        });
    }

    private static async Task<int> StatusOfAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return (int)(await http.GetAsync(url)).StatusCode;
    }

    private static Task WaitForHttpAsync(PlayRun process, string url) =>
        Eventually.Until(async () =>
        {
            try
            {
                var status = await StatusOfAsync(url);
                return (Status: status, Said: $"{status}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return (Status: 0, Said: e.Message); // not listening yet
            }
        }, answer => answer.Status == 200, TimeSpan.FromSeconds(30), $"{url} to answer 200",
            answer => $"{answer.Said}\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}", () => process.HasExited);
}
