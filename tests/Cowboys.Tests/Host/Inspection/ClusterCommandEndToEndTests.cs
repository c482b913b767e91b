using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>
/// `Cowboys.Host cluster ...` and /metrics against a real `play`: five cowboy processes, each
/// asked on its own HTTP port as a user (or `kubectl exec`) would.
/// </summary>
public sealed partial class ClusterCommandEndToEndTests(ITestOutputHelper output)
{
    private static readonly string[] Sample = ["John", "Bill", "Sam", "Peter", "Philip"];

    [GeneratedRegex(@"^(?<node>akka\.tcp://cowboys@127\.0\.0\.1:(?<port>\d+)) \| \[cowboy\] \| (?<status>[a-z]+) \| (?<name>\w+)( \((?<marks>[a-z ,]+)\))? \| (?<version>\S+)$")]
    private static partial Regex ShowLine();

    [GeneratedRegex(@" --http-port (\d+) ")]
    private static partial Regex HttpPort();

    [GeneratedRegex(@" --port (\d+) ")]
    private static partial Regex RemotingPort();

    /// <summary>Each cowboy process of the launcher: its remoting port and its HTTP endpoint.</summary>
    private static Task<List<(int Remoting, string Endpoint)>> CowboysOfAsync(PlayRun play) =>
        Eventually.Until(() => CowboyProcesses.ChildrenOf(play.Pid).Select(CowboyProcesses.CommandLine).OfType<string>()
                .Select(cmd => (int.Parse(RemotingPort().Match(cmd).Groups[1].Value), $"http://127.0.0.1:{HttpPort().Match(cmd).Groups[1].Value}"))
                .ToList(),
            found => found.Count == Sample.Length, TimeSpan.FromSeconds(60), "every cowboy process to start",
            found => $"{found.Count} of them\n{play.Stdout}\n{play.Stderr}", () => play.HasExited);

    private async Task<(int Exit, string Stdout, string Stderr)> ClusterAsync(params string[] arguments)
    {
        using var run = new PlayRun(["cluster", .. arguments]);
        var exit = await run.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster {string.Join(' ', arguments)} -> {exit}\n{run.Stdout}{run.Stderr}");
        return (exit, run.Stdout, run.Stderr);
    }

    /// <summary>`cluster show` until every cowboy is an Up member with a name and the game leader is known.</summary>
    private async Task<string[]> ShowWhenFormedAsync(string endpoint)
    {
        var formed = await Eventually.Until(() => ClusterAsync("show", "--endpoint", endpoint),
            show => show.Exit == 0 && Lines(show.Stdout) is var lines && lines.Contains($"Count: {Sample.Length} nodes")
                && lines.Count(l => ShowLine().Match(l) is { Success: true } m && m.Groups["status"].Value == "up") == Sample.Length
                && lines.Any(l => l.Contains("game leader", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), "cluster show to show the cluster formed", show => $"\n{show.Stdout}{show.Stderr}", every: TimeSpan.FromMilliseconds(250));
        return Lines(formed.Stdout);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Cluster_show_against_a_running_play_prints_every_cowboy_with_the_leaders_marked()
    {
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "1s", "--seed", "5");
        var cowboys = await CowboysOfAsync(play);

        var lines = await ShowWhenFormedAsync(cowboys[2].Endpoint);

        var members = lines[..^1].Select(l => ShowLine().Match(l)).ToList();
        Assert.All(members, m => Assert.True(m.Success));
        Assert.Equal(Sample.Order(), members.Select(m => m.Groups["name"].Value).Order());
        Assert.Equal(cowboys.Select(c => c.Remoting).Order(), members.Select(m => int.Parse(m.Groups["port"].Value)).Order());
        Assert.Equal($"Count: {Sample.Length} nodes", lines[^1]);
        var marks = members.SelectMany(m => m.Groups["marks"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Single(marks, "leader");
        Assert.Single(marks, "oldest");
        Assert.Single(marks, "game leader");
        // the singleton runs on the oldest member
        Assert.Contains(members, m => m.Groups["marks"].Value.Contains("oldest, game leader", StringComparison.Ordinal));

        var (exit, leader, _) = await ClusterAsync("leader", "--endpoint", cowboys[0].Endpoint);
        Assert.Equal(0, exit);
        var gameLeader = members.Single(m => m.Groups["marks"].Value.Contains("game leader", StringComparison.Ordinal));
        Assert.Contains($"game leader: {gameLeader.Groups["node"].Value} ({gameLeader.Groups["name"].Value})", leader);

        var (unreachableExit, unreachable, _) = await ClusterAsync("unreachable", "--endpoint", cowboys[0].Endpoint);
        Assert.Equal(0, unreachableExit);
        Assert.Equal("Count: 0 unreachable", unreachable.Trim());

        // changes are off by default: said so, exit 1, and the member is still there
        var (leaveExit, _, leaveError) = await ClusterAsync("leave", "--endpoint", cowboys[0].Endpoint, "--address", members[1].Groups["node"].Value);
        Assert.Equal(1, leaveExit);
        Assert.Contains("leave is disabled", leaveError);
        Assert.Contains("--cluster-http-read-only false", leaveError);
    }

    [Fact]
    public async Task Cluster_tail_follows_a_cowboy_to_the_end_of_its_game_without_holding_up_its_exit()
    {
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "1s", "--seed", "5");
        var cowboys = await CowboysOfAsync(play);
        await ShowWhenFormedAsync(cowboys[0].Endpoint);

        using var tail = new PlayRun("cluster", "tail", "--endpoint", cowboys[0].Endpoint);
        foreach (var name in Sample) await tail.WaitForOutputAsync($"| {name} | up", TimeSpan.FromSeconds(60));
        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(120)));
        var exit = await tail.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster tail -> {exit}\n{tail.Stdout}{tail.Stderr}");

        // the members as they were, each once, then changes as the cowboys left at the end of the game
        var lines = tail.Stdout.Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.All(lines, l => Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} akka\.tcp://cowboys@127\.0\.0\.1:\d+ \| \w+ \| [a-z-]+$", l));
        Assert.Equal(Sample.Order(), lines.Take(Sample.Length).Select(l => l.Split(" | ")[1]).Order());
        Assert.All(lines.Take(Sample.Length), l => Assert.EndsWith("| up", l));
        Assert.Contains(lines.Skip(Sample.Length), l => l.EndsWith("| leaving", StringComparison.Ordinal) || l.EndsWith("| exiting", StringComparison.Ordinal)
            || l.EndsWith("| removed", StringComparison.Ordinal));
        // the tailed cowboy stopped: the stream ended, said so
        Assert.Equal(1, exit);
        Assert.Contains("ended the stream of changes: its cowboy stopped", tail.Stderr);
    }

    [Fact]
    public async Task Metrics_are_exposed_and_count_during_a_game()
    {
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "500ms", "--seed", "5");
        var cowboys = await CowboysOfAsync(play);
        var lines = await ShowWhenFormedAsync(cowboys[0].Endpoint);
        var leaderPort = int.Parse(lines.Select(l => ShowLine().Match(l)).Single(m => m.Success && m.Groups["marks"].Value.Contains("game leader", StringComparison.Ordinal)).Groups["port"].Value);
        var onLeader = cowboys.Single(c => c.Remoting == leaderPort).Endpoint;
        var follower = cowboys.First(c => c.Remoting != leaderPort).Endpoint;
        using var http = new HttpClient();

        var first = await http.GetStringAsync($"{follower}/metrics");
        var firstBeats = Value(first, "cowboys_beats_total");
        var second = await Eventually.Until(() => http.GetStringAsync($"{follower}/metrics"), m => Value(m, "cowboys_beats_total") >= firstBeats + 2,
            TimeSpan.FromSeconds(60), "two more beats to be counted", m => $"\n{m}");

        Assert.True(Value(second, "cowboys_shots_total") > Value(first, "cowboys_shots_total"), "shots count");
        // the real Prometheus's lint, where it is installed (.ci/run installs it)
        if (await Promtool.ProblemsAsync(second) is { } problems) Assert.Empty(problems);
        var types = PrometheusSample.Types(second);
        Assert.Equal("counter", types["cowboys_beats_total"]);
        Assert.Equal("counter", types["cowboys_shots_total"]);
        Assert.Equal("counter", types["cowboys_deaths_total"]);
        Assert.Equal("counter", types["cowboys_leader_changes_total"]);
        Assert.Equal("gauge", types["cowboys_members"]);
        Assert.Equal("gauge", types["cowboys_unreachable_members"]);
        var samples = PrometheusSample.Parse(second);
        Assert.Equal(Sample.Length, samples.Single(s => s.Name == "cowboys_members" && s.Labels["status"] == "up").Value);
        Assert.Equal(0, samples.Single(s => s.Name == "cowboys_unreachable_members").Value);
        // the replica promised the game leader's epoch
        Assert.True(samples.Single(s => s.Name == "cowboys_leader_changes_total" && s.Labels["leader"] == "game").Value >= 1);
        // .NET's own runtime metrics come along
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));

        // the ring round trip is measured where the game leader runs
        var leaderMetrics = await http.GetStringAsync($"{onLeader}/metrics");
        Assert.Equal("histogram", PrometheusSample.Types(leaderMetrics)["cowboys_ring_round_trip_seconds"]);
        var leaderSamples = PrometheusSample.Parse(leaderMetrics);
        Assert.True(leaderSamples.Single(s => s.Name == "cowboys_ring_round_trip_seconds_count").Value >= 1);
        Assert.Contains(leaderSamples, s => s.Name == "cowboys_ring_round_trip_seconds_bucket" && s.Labels["le"] == "+Inf");
        Assert.DoesNotContain(samples, s => s.Name == "cowboys_ring_round_trip_seconds_count" && s.Value > 0);

        // the contract stays as it was
        Assert.Equal("Healthy", await http.GetStringAsync($"{follower}/alive"));
        Assert.StartsWith("{\"beat\":", await http.GetStringAsync($"{follower}/game"));
    }

    private static double Value(string scrape, string name) => PrometheusSample.Parse(scrape).Single(s => s.Name == name).Value;

    [Fact]
    public async Task The_client_says_what_went_wrong_and_exits_1_or_2()
    {
        var closed = TestPorts.Take(1)[0];
        var (refused, _, refusedError) = await ClusterAsync("show", "--endpoint", $"http://127.0.0.1:{closed}");
        Assert.Equal(1, refused);
        Assert.Contains($"cannot reach http://127.0.0.1:{closed}/", refusedError);

        var (badUrl, _, badUrlError) = await ClusterAsync("show", "--endpoint", "127.0.0.1:8558");
        Assert.Equal(2, badUrl);
        Assert.Contains("--endpoint must be an http:// or https:// URL", badUrlError);

        var (noAddress, _, noAddressError) = await ClusterAsync("down", "--endpoint", $"http://127.0.0.1:{closed}");
        Assert.Equal(2, noAddress);
        Assert.Contains("--address", noAddressError);
    }

    [Fact]
    public async Task The_client_tells_an_endpoint_that_is_not_a_cowboys_apart()
    {
        // the stand-in Kubernetes API server: HTTP, but no /cluster/members
        await using var api = await Cowboys.Sandbox.Api.ApiServer.StartAsync();
        var (exit, _, error) = await ClusterAsync("show", "--endpoint", api.Url);
        Assert.Equal(1, exit);
        Assert.Contains("is not a cowboy's HTTP endpoint", error);
    }
}
