using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Bench;

/// <summary>
/// Issue 11: the benchmark's --quick run works in CI. It runs bench/bench.py against this test's own
/// build of Cowboys.Host and checks that every figure came out as a number in the JSON; no figure is
/// compared with its goal (CI machines differ, and the figures are for people to read). Issue 19: the
/// floor (a bare Akka.NET member, bench/BareMember) is measured in the same run, and each cowboy figure
/// that has a floor carries its ratio to it; no ratio is compared with a goal either. The start-up
/// trace (bench/StartupProbe, loaded into each process) reports the cowboy's and the launcher's JIT
/// work and assemblies beside the bare member's.
/// </summary>
[Collection("Benchmark")]
public sealed class BenchmarkQuickRunTests : IDisposable
{
    // Every figure of a --quick --apphost run with an 8-cowboy largest game (see the arguments below).
    private static readonly string[] ExpectedFigures =
    [
        "floor.start.cpu_s", "floor.trace.cpu_s", "floor.trace.jit_ms", "floor.trace.jit_methods", "floor.trace.assemblies", "floor.up5_s", "floor.idle.cpu_pct", "floor.memory.rss_mb", "floor.memory.pss_mb",
        "floor.hop_p50_ms", "floor.hop_p99_ms",
        "sample.exe.wall_s", "sample.exe.up_s", "sample.exe.game_s", "sample.exe.exit_s",
        "start.lone_cowboy.cpu_s", "start.lone_cowboy.wall_s", "start.launcher_help.cpu_s",
        "start.trace.cowboy_cpu_s", "start.trace.cowboy_jit_ms", "start.trace.cowboy_jit_methods", "start.trace.cowboy_assemblies",
        "start.trace.launcher_cpu_s", "start.trace.launcher_jit_ms", "start.trace.launcher_jit_methods", "start.trace.launcher_assemblies",
        "idle.cpu_pct", "memory.rss_mb", "memory.pss_mb", "idle.launcher_cpu_pct", "memory.launcher_rss_mb",
        "ring.n5.hop_p50_ms", "ring.n5.hop_p99_ms", "ring.n5.rtt_p50_ms", "ring.n5.rtt_p99_ms",
        "ring.n20.hop_p50_ms", "ring.n20.hop_p99_ms", "ring.n20.rtt_p50_ms", "ring.n20.rtt_p99_ms",
        "failover.kill.next_commit_s", "failover.freeze.next_commit_s",
        "largest.n8.wall_s", "largest.n8.up_s", "largest.n8.beats",
    ];

    // Each cowboy figure that has a floor, and its floor (bench.py's FLOOR_OF).
    private static readonly Dictionary<string, string> FloorOf = new()
    {
        ["start.lone_cowboy.cpu_s"] = "floor.start.cpu_s",
        ["start.trace.cowboy_cpu_s"] = "floor.trace.cpu_s",
        ["start.trace.cowboy_jit_ms"] = "floor.trace.jit_ms",
        ["start.trace.cowboy_jit_methods"] = "floor.trace.jit_methods",
        ["start.trace.cowboy_assemblies"] = "floor.trace.assemblies",
        ["sample.exe.up_s"] = "floor.up5_s",
        ["idle.cpu_pct"] = "floor.idle.cpu_pct",
        ["memory.rss_mb"] = "floor.memory.rss_mb",
        ["memory.pss_mb"] = "floor.memory.pss_mb",
        ["ring.n5.hop_p50_ms"] = "floor.hop_p50_ms",
        ["ring.n5.hop_p99_ms"] = "floor.hop_p99_ms",
        ["ring.n20.hop_p50_ms"] = "floor.hop_p50_ms",
        ["ring.n20.hop_p99_ms"] = "floor.hop_p99_ms",
    };

    // `dotnet run` needs the repository's own build: with --apphost the benchmark skips these, and says so.
    private static readonly string[] SkippedWithApphost = ["sample.dotnet_run_release.wall_s", "sample.dotnet_run.wall_s"];

    private readonly ITestOutputHelper _output;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-bench-test-");

    public BenchmarkQuickRunTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task The_quick_benchmark_against_the_built_executable_exits_0_and_writes_every_figure_as_a_number()
    {
        var json = Path.Combine(_dir.FullName, "figures.json");
        var apphost = Path.Combine(AppContext.BaseDirectory, "Cowboys.Host");
        // The largest game is 8 cowboys here, not the quick mode's 30, to keep this run short (every
        // other figure is still measured); a 30-cowboy game has its own test.
        var (exitCode, output) = await RunAsync(TimeSpan.FromMinutes(10), "bench/bench.py", "--quick", "--apphost", apphost,
            "--largest", "8", "--json", json, "--logs", Path.Combine(_dir.FullName, "logs"));
        _output.WriteLine(output);

        Assert.True(exitCode == 0, $"bench.py --quick exited with {exitCode}:\n{output}");
        Assert.True(File.Exists(json), $"bench.py wrote no JSON at {json}:\n{output}");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("quick", root.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("commit").GetString()));
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("started").GetString(), out _), "started is not a time");
        Assert.True(root.GetProperty("nproc").GetInt32() > 0);

        var figures = root.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!);
        var load = root.GetProperty("load");
        foreach (var id in ExpectedFigures)
        {
            Assert.True(figures.TryGetValue(id, out var figure), $"figure {id} is missing from the JSON:\n{output}");
            Assert.True(figure.GetProperty("failed").ValueKind == JsonValueKind.Null, $"figure {id} failed: {figure.GetProperty("failed")}\n{output}");
            Assert.True(figure.GetProperty("median").ValueKind == JsonValueKind.Number, $"figure {id} has no numeric median:\n{output}");
            Assert.NotEmpty(figure.GetProperty("values").EnumerateArray());
            Assert.False(string.IsNullOrEmpty(figure.GetProperty("unit").GetString()), $"figure {id} has no unit");
            // the machine's load as the figure's group started, to read the figure by
            Assert.True(load.TryGetProperty(id, out var l) && l.ValueKind == JsonValueKind.Number, $"no load recorded for {id}: {load}");
        }
        foreach (var (id, floor) in FloorOf)
        {
            var figure = figures[id];
            Assert.True(figure.TryGetProperty("floor", out var f) && f.GetString() == floor, $"figure {id} does not name {floor} as its floor: {figure}");
            Assert.True(figure.GetProperty("ratio").ValueKind == JsonValueKind.Number, $"figure {id} has no numeric ratio to {floor}: {figure}\n{output}");
        }
        // where an idle member's CPU goes, by thread, for the cowboy and the floor alike
        var threads = root.GetProperty("threads");
        foreach (var id in new[] { "idle.cpu_pct", "floor.idle.cpu_pct" })
        {
            Assert.True(threads.TryGetProperty(id, out var groups) && groups.EnumerateObject().Any(), $"no thread breakdown for {id}: {threads}");
            Assert.All(groups.EnumerateObject(), g => Assert.True(g.Value.ValueKind == JsonValueKind.Number, $"{id}: thread group {g.Name} is not a number"));
        }
        var skipped = root.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToHashSet();
        foreach (var id in SkippedWithApphost) Assert.Contains(id, skipped);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan limit, params string[] arguments)
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bench.py --quick did not exit within {limit}:\n{Text(output)}");
        }
        process.WaitForExit(); // the redirected output is drained too
        return (process.ExitCode, Text(output));
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
