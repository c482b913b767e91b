using Cowboys.Host.Launcher;
using System.Globalization;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.EndToEnd;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>`cluster leave` against real cowboy processes, one of them started with --cluster-http-read-only false.</summary>
public sealed class ClusterLeaveEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cluster_leave_through_a_cowboy_run_with_changes_enabled_takes_the_member_out()
    {
        var roster = Path.Combine(Directory.CreateTempSubdirectory("cowboys-leave-").FullName, "roster.json");
        await File.WriteAllTextAsync(roster, """[{"name":"Ann","health":1000000,"damage":1},{"name":"Bob","health":1000000,"damage":1},{"name":"Cid","health":1000000,"damage":1}]""");
        var ports = TestPorts.Take(6);
        var contactPoints = string.Join(',', ports.Skip(3).Select(p => $"127.0.0.1:{p}"));
        string[] names = ["Ann", "Bob", "Cid"];
        var cowboys = names.Select((name, i) => new PlayRun(
        [
            "cowboy", "--name", name, "--roster", roster, "--seed", "3", "--beat", "500ms", "--state-dir", Path.Combine(Path.GetDirectoryName(roster)!, name),
            "--port", ports[i].ToString(CultureInfo.InvariantCulture), "--http-port", ports[3 + i].ToString(CultureInfo.InvariantCulture),
            "--contact-points", contactPoints, "--cluster-http-read-only", i == 0 ? "false" : "true",
        ])).ToList();
        try
        {
            var ann = $"http://127.0.0.1:{ports[3]}";
            var cid = $"akka.tcp://cowboys@127.0.0.1:{ports[2]}";
            await WaitForAsync(ann, ThreeUp, "the three cowboys to form a cluster", TimeSpan.FromSeconds(60));

            // Bob's endpoint is read-only (the default); Ann's is not
            var refused = await ClusterAsync("leave", "--endpoint", $"http://127.0.0.1:{ports[4]}", "--address", cid);
            Assert.Equal(1, refused.Exit);
            Assert.Contains("leave is disabled", refused.Stderr);
            var unknown = await ClusterAsync("down", "--endpoint", ann, "--address", "akka.tcp://cowboys@127.0.0.1:1");
            Assert.Equal(1, unknown.Exit);
            Assert.Contains("Member [akka.tcp://cowboys@127.0.0.1:1] not found", unknown.Stderr);

            var leave = await ClusterAsync("leave", "--endpoint", ann, "--address", cid);
            Assert.Equal(0, leave.Exit);
            Assert.Equal($"Leaving {cid}", leave.Stdout.Trim());
            // the member that left stops its process
            await cowboys[2].ExitCodeAsync(TimeSpan.FromSeconds(30));
            var after = await ClusterAsync("show", "--endpoint", ann);
            Assert.DoesNotContain($"{cid} | [cowboy] | up", after.Stdout);
        }
        finally
        {
            foreach (var c in cowboys) c.Dispose();
            Directory.Delete(Path.GetDirectoryName(roster)!, recursive: true);
        }
    }

    [Fact]
    public async Task Cluster_tail_shows_a_frozen_member_go_unreachable_and_down_unreachable_downs_it_and_join_brings_a_lone_cowboy_in()
    {
        var dir = Directory.CreateTempSubdirectory("cowboys-tail-").FullName;
        var roster = Path.Combine(dir, "roster.json");
        // Dan is in the roster but not among the contact points: he waits alone until told to join
        await File.WriteAllTextAsync(roster, """[{"name":"Ann","health":1000000,"damage":1},{"name":"Bob","health":1000000,"damage":1},{"name":"Cid","health":1000000,"damage":1},{"name":"Dan","health":1000000,"damage":1}]""");
        var ports = TestPorts.Take(9);
        var contactPoints = string.Join(',', ports.Skip(4).Take(3).Select(p => $"127.0.0.1:{p}"));
        PlayRun Cowboy(string name, int i, string points) => new(
        [
            "cowboy", "--name", name, "--roster", roster, "--seed", "3", "--beat", "500ms", "--state-dir", Path.Combine(dir, name),
            "--port", ports[i].ToString(CultureInfo.InvariantCulture), "--http-port", ports[4 + i].ToString(CultureInfo.InvariantCulture),
            "--contact-points", points, "--cluster-http-read-only", "false",
        ]);
        var cowboys = new[] { "Ann", "Bob", "Cid" }.Select((name, i) => Cowboy(name, i, contactPoints)).ToList();
        // Dan's second contact point never answers, so he never forms or joins a cluster by himself
        var dan = Cowboy("Dan", 3, $"127.0.0.1:{ports[7]},127.0.0.1:{ports[8]}");
        cowboys.Add(dan);
        var ann = $"http://127.0.0.1:{ports[4]}";
        try
        {
            await WaitForAsync(ann, ThreeUp, "three members up");

            var annAddress = $"akka.tcp://cowboys@127.0.0.1:{ports[0]}";
            var join = await ClusterAsync("join", "--endpoint", $"http://127.0.0.1:{ports[7]}", "--address", annAddress);
            Assert.Equal(0, join.Exit);
            Assert.Equal($"Joining {annAddress}", join.Stdout.Trim());
            await WaitForAsync(ann, show => show.Contains("Count: 4 nodes", StringComparison.Ordinal) && show.Contains("| Dan", StringComparison.Ordinal), "Dan to join");

            // the tail starts with the members as they are, then one line per change; two changes: unreachable, then down
            using var tail = new PlayRun("cluster", "tail", "--endpoint", ann, "--count", "2");
            await tail.WaitForOutputAsync("| Cid | up", TimeSpan.FromSeconds(30));
            var cid = $"akka.tcp://cowboys@127.0.0.1:{ports[2]}";
            Posix.Kill(cowboys[2].Pid, 19); // SIGSTOP: frozen, not gone
            try
            {
                // (the Split Brain Resolver may already have taken him out by the time a `cluster show` process has started)
                await WaitForAsync(ann, show => show.Contains("Cid (unreachable)", StringComparison.Ordinal) || !show.Contains(cid, StringComparison.Ordinal), "Cid to be unreachable");
                // the Split Brain Resolver downs Cid by itself about a second later (3 of 4 are a majority):
                // whoever is first, Cid ends down, and down-unreachable downs exactly what it saw unreachable
                var downed = await ClusterAsync("down-unreachable", "--endpoint", ann);
                Assert.Equal(0, downed.Exit);
                var lines = downed.Stdout.Trim().Split('\n').Select(l => l.Trim()).ToList();
                // or removed already, when the resolver downed him between the reading and the PUT
                Assert.All(lines.SkipLast(1), l => Assert.Contains(l, new[] { $"Downing {cid}", $"{cid} is gone already: removed before it could be downed" }));
                Assert.Equal($"Count: {lines.Count(l => l == $"Downing {cid}")} downed", lines[^1]);

                Assert.Equal(0, await tail.ExitCodeAsync(TimeSpan.FromSeconds(120)));
                var changes = tail.Stdout.Trim().Split('\n').Where(l => l.Contains(cid, StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
                Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} " + System.Text.RegularExpressions.Regex.Escape($"{cid} | Cid | up") + "$", changes[0]);
                Assert.EndsWith($"{cid} | Cid | unreachable", changes[1]);
                // down, or removed already if both fell between two readings of the tail
                Assert.Matches(System.Text.RegularExpressions.Regex.Escape($"{cid} | Cid | ") + "(down|removed)$", changes[2]);
            }
            finally
            {
                Posix.Kill(cowboys[2].Pid, 18); // SIGCONT: it learns it was downed and exits
            }
            // once Cid is removed nobody is unreachable, and there is nothing to down
            await WaitForAsync(ann, show => !show.Contains(cid, StringComparison.Ordinal), "Cid to be removed");
            var none = await ClusterAsync("down-unreachable", "--endpoint", ann);
            Assert.Equal(0, none.Exit);
            Assert.Equal("Count: 0 downed", none.Stdout.Trim());
        }
        finally
        {
            foreach (var c in cowboys) c.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool ThreeUp(string show) =>
        show.Contains("Count: 3 nodes", StringComparison.Ordinal) && show.Split('\n').Count(l => l.Contains("| up |", StringComparison.Ordinal)) == 3;

    private Task WaitForAsync(string endpoint, Func<string, bool> shown, string what, TimeSpan? limit = null) =>
        Eventually.Until(() => ClusterAsync("show", "--endpoint", endpoint), show => show.Exit == 0 && shown(show.Stdout), limit ?? TimeSpan.FromSeconds(90), what,
            show => $"cluster show said:\n{show.Stdout}{show.Stderr}", every: TimeSpan.FromMilliseconds(250));

    private async Task<(int Exit, string Stdout, string Stderr)> ClusterAsync(params string[] arguments)
    {
        using var run = new PlayRun(["cluster", .. arguments]);
        var exit = await run.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster {string.Join(' ', arguments)} -> {exit}\n{run.Stdout}{run.Stderr}");
        return (exit, run.Stdout, run.Stderr);
    }
}
