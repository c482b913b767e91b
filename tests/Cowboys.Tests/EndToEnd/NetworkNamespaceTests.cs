using System.Diagnostics;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Results;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Safety;

namespace Cowboys.Tests.EndToEnd;

/// <summary>
/// A real network cut-off: each cowboy process in its own Linux network namespace with its own
/// address on a bridge, and one of them cut off by taking its link down. Needs root (CI runs as
/// root); skipped with the reason otherwise.
/// </summary>
public sealed class NetworkNamespaceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _id = $"cw{Environment.ProcessId % 10000}";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cowboys-netns-");
    private readonly List<PlayRun> _cowboys = new();
    private readonly List<string> _cleanup = new();

    [SkippableFact]
    public async Task A_cowboy_cut_off_from_the_network_is_downed_and_the_others_finish_the_game()
    {
        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        StartCowboys(roster, PlayRun.SamplePath, "3", "200ms");

        var leader = await WaitForAnyAsync("beat 2 committed", TimeSpan.FromSeconds(90));
        var cut = Enumerable.Range(0, roster.Count).First(i => i != leader);
        output.WriteLine($"leader hosted by {roster.Cowboys[leader].Name}; cutting off {roster.Cowboys[cut].Name}");
        Assert.Equal(0, Sh($"ip link set {_id}h{cut} down"));

        await AssertTheOthersAgreeAsync(roster, cut);
    }

    [SkippableFact]
    public async Task The_leaders_host_cut_off_after_beat_1_announces_nothing_and_the_others_end_with_the_one_result()
    {
        var file = await BrittleRoster.WriteToAsync(_dir.FullName);
        var roster = RosterParser.ParseFile(file);
        StartCowboys(roster, file, "8", "150ms");

        var leader = await WaitForAnyAsync("beat 1 committed", TimeSpan.FromSeconds(90));
        output.WriteLine($"cutting off {roster.Cowboys[leader].Name}, who hosts the leader");
        Assert.Equal(0, Sh($"ip link set {_id}h{leader} down"));

        await AssertTheOthersAgreeAsync(roster, leader);
        Assert.Equal(0, Sh($"ip link set {_id}h{leader} up")); // healed once the game is over
        Assert.DoesNotContain("Last man standing", _cowboys[leader].Stdout);
        Assert.DoesNotContain("the last man standing is", _cowboys[leader].Stdout);
    }

    private void StartCowboys(Roster roster, string file, string seed, string beat)
    {
        Skip.IfNot(Environment.UserName == "root", "needs root to create network namespaces (CI runs as root)");
        Skip.IfNot(Sh("ip netns list") == 0, "the ip command (iproute2) or network namespaces are not available");
        var addresses = Enumerable.Range(0, roster.Count).Select(i => $"10.231.77.{10 + i}").ToArray();
        CreateNetwork(addresses);
        var contactPoints = string.Join(',', addresses.Select(a => $"{a}:8558"));
        for (var i = 0; i < roster.Count; i++)
        {
            _cowboys.Add(PlayRun.InNamespace($"{_id}-{i}", "cowboy", "--name", roster.Cowboys[i].Name, "--roster", file,
                "--seed", seed, "--beat", beat, "--forfeit-after", "5s", "--host", addresses[i], "--port", "4053",
                "--http-port", "8558", "--contact-points", contactPoints, "--result", Path.Combine(_dir.FullName, $"{i}.json"),
                "--state-dir", Path.Combine(_dir.FullName, "state", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
    }

    /// <summary>The cut-off process downs itself and reports nothing; every other one reports the same valid result.</summary>
    private async Task AssertTheOthersAgreeAsync(Roster roster, int cut)
    {
        var exits = await Task.WhenAll(_cowboys.Select(c => c.ExitCodeAsync(TimeSpan.FromSeconds(120))));
        for (var i = 0; i < _cowboys.Count; i++) output.WriteLine($"--- {roster.Cowboys[i].Name} exit {exits[i]}\n{_cowboys[i].Stdout}{_cowboys[i].Stderr}");

        Assert.NotEqual(0, exits[cut]); // the minority of one downed itself
        var results = Enumerable.Range(0, roster.Count).Where(i => i != cut)
            .Select(i => File.ReadAllText(Path.Combine(_dir.FullName, $"{i}.json"))).ToList();
        Assert.All(exits.Where((_, i) => i != cut), code => Assert.Equal(0, code));
        Assert.Single(results.Distinct());
        var result = ResultJson.Read(results[0]);
        Assert.Null(SafetyChecker.FirstViolation(roster, result));
        Assert.False(File.Exists(Path.Combine(_dir.FullName, $"{cut}.json")));
    }

    /// <summary>The index of the first cowboy whose output shows the text.</summary>
    private Task<int> WaitForAnyAsync(string text, TimeSpan limit) =>
        Eventually.Until(() => _cowboys.FindIndex(c => c.Stdout.Contains(text, StringComparison.Ordinal)), i => i >= 0, limit, $"a cowboy to print '{text}'",
            _ => $"nobody did:\n{string.Join("\n", _cowboys.Select(c => c.Stdout + c.Stderr))}", every: TimeSpan.FromMilliseconds(50));

    private void CreateNetwork(string[] addresses)
    {
        var bridge = $"{_id}br";
        Must($"ip link add {bridge} type bridge && ip link set {bridge} up");
        _cleanup.Add($"ip link del {bridge}");
        for (var i = 0; i < addresses.Length; i++)
        {
            var ns = $"{_id}-{i}";
            Must($"ip netns add {ns}");
            _cleanup.Add($"ip netns del {ns}");
            Must($"ip link add {_id}h{i} type veth peer name {_id}c{i}");
            _cleanup.Add($"ip link del {_id}h{i}");
            Must($"ip link set {_id}c{i} netns {ns} && ip link set {_id}h{i} master {bridge} && ip link set {_id}h{i} up");
            Must($"ip netns exec {ns} ip addr add {addresses[i]}/24 dev {_id}c{i} && ip netns exec {ns} ip link set {_id}c{i} up && ip netns exec {ns} ip link set lo up");
        }
    }

    /// <summary>A machine that cannot build the test network (no bridge or veth support) skips the test, naming the step.</summary>
    private void Must(string command)
    {
        Skip.If(Sh(command) != 0, $"this machine cannot build the test network: `{command}` failed");
    }

    private static int Sh(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command + " >/dev/null 2>&1"]))!;
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        foreach (var c in _cowboys) c.Dispose();
        foreach (var command in Enumerable.Reverse(_cleanup)) Sh(command);
        _dir.Delete(recursive: true);
    }
}
