using System.Collections.Concurrent;
using System.Text.Json;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Xunit;
using Cowboys.Sandbox.Api;
using static Cowboys.Tests.Host.Discovery.DiscoveryPods;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Host.Discovery;

/// <summary>
/// Real cowboy processes started as pods start them (`--discovery kubernetes`), finding each other
/// through the sandbox API server named by KUBECONFIG.
/// </summary>
public sealed class KubernetesDiscoveryEndToEndTests : IAsyncLifetime
{
    private const string Namespace = "cowboys-e2e";
    private const string Selector = "example.com/shootout=e2e";
    private static readonly Dictionary<string, string> GameLabels = new() { ["example.com/shootout"] = "e2e" };

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-k8s-e2e-");
    private ApiServer _api = null!;

    public async Task InitializeAsync() => _api = await ApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Three_cowboys_form_one_cluster_through_the_pods_api_play_to_the_end_and_agree_in_their_termination_logs()
    {
        var rosterFile = Path.Combine(_dir.FullName, "roster.json");
        await File.WriteAllTextAsync(rosterFile, """[{"name":"John","health":6,"damage":1},{"name":"Bill","health":5,"damage":2},{"name":"Sam","health":4,"damage":1}]""");
        var roster = RosterParser.ParseFile(rosterFile);
        var ports = TestPorts.Take(2 * roster.Count + 1);
        var unused = ports[^1];
        for (var i = 0; i < roster.Count; i++)
        {
            _api.Add(Pod(roster.Cowboys[i].Name.ToLowerInvariant(), Namespace, GameLabels, "Running", "127.0.0.1", [("remoting", ports[2 * i]), ("http", ports[2 * i + 1])]));
        }
        // none of these may become a contact point: bootstrap waits for every contact point, so one would stall the game
        _api.Add(Pod("leaving", Namespace, GameLabels, "Running", "127.0.0.1", [("http", unused)], deletionTimestamp: DateTime.UtcNow))
            .Add(Pod("pending", Namespace, GameLabels, "Pending", null, [("http", unused)]))
            .Add(Pod("other-game", Namespace, new Dictionary<string, string> { ["example.com/shootout"] = "other" }, "Running", "127.0.0.1", [("http", unused)]));
        var environment = new Dictionary<string, string?> { ["KUBECONFIG"] = _api.WriteKubeconfigIn(_dir.FullName) };

        var cowboys = roster.Cowboys.Select((c, i) => PlayRun.WithEnvironment(environment,
            "cowboy", "--name", c.Name, "--roster", rosterFile, "--seed", "7", "--beat", "200ms", "--rules", "sequential", "--state-dir", Path.Combine(_dir.FullName, c.Name),
            "--host", "0.0.0.0", "--public-host", "127.0.0.1", "--port", ports[2 * i].ToString(), "--http-port", ports[2 * i + 1].ToString(),
            "--discovery", "kubernetes", "--pod-label-selector", Selector, "--pod-namespace", Namespace,
            "--termination-log", TerminationLog(c.Name), "--parent-pid", Environment.ProcessId.ToString())).ToList();
        using var watching = new CancellationTokenSource();
        var views = new ConcurrentQueue<JsonElement>();
        var watcher = WatchGameAsync($"http://127.0.0.1:{ports[1]}/game", views, watching.Token);
        try
        {
            foreach (var cowboy in cowboys)
            {
                var code = await cowboy.ExitCodeAsync(TimeSpan.FromSeconds(120));
                Assert.True(code == 0, $"exit code {code}\n{Output(cowboys)}");
            }
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
            foreach (var cowboy in cowboys) cowboy.Dispose();
        }

        var referee = Referee.Play(roster, RuleSet.Sequential, 7);
        var summaries = new List<ResultSummary>();
        foreach (var c in roster.Cowboys)
        {
            var summary = ResultSummary.TryParse(await File.ReadAllTextAsync(TerminationLog(c.Name)));
            Assert.NotNull(summary);
            summaries.Add(summary);
        }
        Assert.All(summaries, s => Assert.True(s.AgreesWith(summaries[0])));
        Assert.True(summaries[0].IsFinished);
        Assert.Equal(referee.Winner, summaries[0].Winner);
        Assert.Equal(referee.Beats, summaries[0].Beats);
        Assert.Equal(ResultSummary.DeathsOf(referee).ToArray(), summaries[0].Deaths.ToArray());

        Assert.NotEmpty(_api.Requests);
        Assert.All(_api.Requests, r => Assert.Equal(("GET", Namespace, Selector), (r.Method, r.PodsNamespace(), r.QueryValue("labelSelector"))));

        // GET /game showed John's replica as it went: never ahead of the game, never going back
        Assert.NotEmpty(views);
        var beats = views.Select(v => v.GetProperty("beat").GetInt32()).ToList();
        Assert.Equal(beats.Order(), beats);
        Assert.All(views, v =>
        {
            Assert.Equal(3, v.GetProperty("cowboys").GetInt32());
            Assert.InRange(v.GetProperty("beat").GetInt32(), 0, referee.Beats);
            if (v.GetProperty("over").GetBoolean()) Assert.Equal(referee.Winner, v.GetProperty("winner").GetString());
        });
    }

    [Theory]
    [InlineData(new[] { "--discovery", "kubernetes" }, "--pod-label-selector is required")]
    [InlineData(new[] { "--discovery", "kubernetes", "--pod-label-selector", " " }, "--pod-label-selector is required")]
    [InlineData(new[] { "--discovery", "kubernetes", "--pod-label-selector", "a=b", "--pod-port-name", "" }, "--pod-port-name")]
    public async Task Kubernetes_discovery_without_what_it_needs_exits_2_with_a_clear_error(string[] options, string error)
    {
        using var cowboy = new PlayRun(["cowboy", "--name", "John", .. options]);

        Assert.Equal(2, await cowboy.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(error, cowboy.Stderr);
    }

    private string TerminationLog(string cowboy) => Path.Combine(_dir.FullName, $"{cowboy}.termination-log");

    private static string Output(IEnumerable<PlayRun> runs) => string.Join("\n", runs.Select(r => $"stdout:\n{r.Stdout}\nstderr:\n{r.Stderr}"));

    private static async Task WatchGameAsync(string url, ConcurrentQueue<JsonElement> views, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var body = await http.GetStringAsync(url, stop);
                views.Enqueue(JsonDocument.Parse(body).RootElement.Clone());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or gone
            }
            try
            {
                await Task.Delay(100, stop);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
