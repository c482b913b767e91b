using System.Globalization;
using Cowboys.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Inspection;

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
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                var show = await ClusterAsync("show", "--endpoint", ann);
                if (show.Exit == 0 && show.Stdout.Contains("Count: 3 nodes", StringComparison.Ordinal) && show.Stdout.Split('\n').Count(l => l.Contains("| up |", StringComparison.Ordinal)) == 3) break;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"the three cowboys never formed a cluster:\n{show.Stdout}{show.Stderr}");
                await Task.Delay(250);
            }

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

    private async Task<(int Exit, string Stdout, string Stderr)> ClusterAsync(params string[] arguments)
    {
        using var run = new PlayRun(["cluster", .. arguments]);
        var exit = await run.ExitCodeAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster {string.Join(' ', arguments)} -> {exit}\n{run.Stdout}{run.Stderr}");
        return (exit, run.Stdout, run.Stderr);
    }
}
