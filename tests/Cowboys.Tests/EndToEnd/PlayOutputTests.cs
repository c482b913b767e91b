using System.Text.Json;
using System.Text.RegularExpressions;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rosters;
using Cowboys.Actors.Game.Rules;
using Xunit;

namespace Cowboys.Tests.EndToEnd;

/// <summary>What `play` prints when its output is not a terminal, and what `--log-format json` lines carry.</summary>
public sealed partial class PlayOutputTests
{
    [Fact]
    public async Task Redirected_play_prints_one_endpoint_per_cowboy_whose_alive_answers_and_plain_lines_without_escape_codes()
    {
        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "200ms", "--seed", "42");

        await play.WaitForOutputAsync($"endpoint {roster.Cowboys[^1].Name} ", TimeSpan.FromSeconds(30));
        var endpoints = EndpointPattern().Matches(play.Stdout).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(roster.Cowboys.Select(c => c.Name), endpoints.Keys);
        // the port is the one the cowboy was told to serve HTTP on, and he answers /alive there
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var port in endpoints.Values) await AliveAsync(http, port, play);
        var children = CowboyProcesses.ChildrenOf(play.Pid).Select(CowboyProcesses.CommandLine).ToList();
        foreach (var (name, port) in endpoints)
        {
            Assert.Contains(children, cmd => cmd!.Contains($" --name {name} ", StringComparison.Ordinal) && cmd.Contains($" --http-port {port} ", StringComparison.Ordinal));
        }

        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(120)));
        var lines = play.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // no live view: no escape code anywhere, and the endpoint lines come before any cowboy's line
        Assert.DoesNotContain('\u001b', play.Stdout);
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("endpoint ", StringComparison.Ordinal)) < Array.FindIndex(lines, l => l.Contains(" | ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("INFO  beat 1 committed:", StringComparison.Ordinal));
        Assert.DoesNotContain("Remoting shut down", play.Stdout + play.Stderr);
        // the ring's round trip is a DEBUG figure now, not part of every commit line
        Assert.DoesNotContain("round trip", play.Stdout);
    }

    [Fact]
    public async Task Json_logs_are_one_object_a_line_whose_shot_and_death_events_are_the_games()
    {
        var roster = RosterParser.ParseFile(PlayRun.SamplePath);
        using var play = new PlayRun("play", PlayRun.SamplePath, "--beat", "0", "--seed", "42", "--log-format", "json");

        Assert.Equal(0, await play.ExitCodeAsync(TimeSpan.FromSeconds(120)));

        var json = new List<JsonElement>();
        foreach (var line in play.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')))
        {
            if (!line.StartsWith('{'))
            {
                // only the launcher's own lines are text: its header, the endpoints, the final table and the winner
                // the whole line in the failure: xUnit's Matches cuts it to a few characters
                Assert.True(Regex.IsMatch(line, @"^(Shootout |endpoint |[╭│├╰]|Winner: )"), $"neither JSON nor the launcher's own: {line}");
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement.Clone();
            // no "Exception" either: a game that ends normally logs no error
            Assert.True(e.EnumerateObject().Select(p => p.Name).SequenceEqual(["Timestamp", "EventId", "LogLevel", "Category", "Message", "State", "Scopes"]),
                $"unexpected shape: {line}");
            Assert.Contains(e.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("Cowboy", out _));
            json.Add(e);
        }
        Assert.DoesNotContain("Remoting shut down", play.Stdout + play.Stderr);

        var expected = Referee.Play(roster, RuleSet.Sequential, 42);
        var shots = json.Where(e => Template(e) == "beat {Beat}: {Shooter} shoots {Target} for {Damage}, {HealthLeft} left")
            .Select(e => e.GetProperty("State"))
            .Select(s => new Shot(s.GetProperty("Beat").GetInt32(), s.GetProperty("Shooter").GetString()!, s.GetProperty("Target").GetString()!,
                s.GetProperty("Damage").GetInt32(), s.GetProperty("HealthLeft").GetInt32()))
            .Distinct() // a new leader proposes its last beat again: the same shots
            .ToList();
        Assert.Equal(expected.Shots, shots);
        var deaths = json.Where(e => Template(e) == "beat {Beat}: {Cowboy} is dead ({How})")
            .Select(e => (e.GetProperty("State").GetProperty("Cowboy").GetString()!, e.GetProperty("State").GetProperty("Beat").GetInt32()))
            .Distinct()
            .ToList();
        Assert.Equal(ResultSummary.DeathsOf(expected).Select(d => (d.Cowboy, d.Beat)), deaths);
        Assert.Contains(json, e => e.GetProperty("Message").GetString() == $"I, {expected.Winner}, am the last man standing");
    }

    [Fact]
    public async Task A_cowboy_with_neither_a_state_dir_nor_a_lease_exits_2_because_a_restart_could_make_it_vote_after_forgetting()
    {
        var dir = Directory.CreateTempSubdirectory("cowboys-nostate-");
        try
        {
            var roster = Path.Combine(dir.FullName, "roster.json");
            await File.WriteAllTextAsync(roster, """[{"name":"John","health":2,"damage":1},{"name":"Bill","health":2,"damage":1}]""");
            using var john = new PlayRun("cowboy", "--name", "John", "--roster", roster);

            Assert.Equal(2, await john.ExitCodeAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("needs --state-dir (or, in Kubernetes, --lease-name) to vote", john.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_cowboy_whose_peer_never_comes_says_what_discovery_found_and_which_contact_point_does_not_answer()
    {
        var dir = Directory.CreateTempSubdirectory("cowboys-discovery-");
        try
        {
            var roster = Path.Combine(dir.FullName, "roster.json");
            await File.WriteAllTextAsync(roster, """[{"name":"John","health":2,"damage":1},{"name":"Bill","health":2,"damage":1}]""");
            var ports = TestPorts.Take(3);
            using var john = new PlayRun("cowboy", "--name", "John", "--roster", roster, "--state-dir", Path.Combine(dir.FullName, "john"), "--port", $"{ports[0]}", "--http-port", $"{ports[1]}",
                "--contact-points", $"127.0.0.1:{ports[1]},127.0.0.1:{ports[2]}");

            await john.WaitForOutputAsync($"no cluster yet; contact points not answering: 127.0.0.1:{ports[2]} (connection refused)", TimeSpan.FromSeconds(60), onStderr: true);

            var listed = string.Join(", ", new[] { ports[1], ports[2] }.Order().Select(p => $"127.0.0.1:{p}"));
            Assert.Contains($"discovery found 2 contact points: {listed} (need 2)", john.Stdout);
            // said once, not on every probe
            Assert.Single(john.Stderr.Split('\n'), l => l.Contains("not answering", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? Template(JsonElement e) =>
        e.GetProperty("State").TryGetProperty("{OriginalFormat}", out var f) ? f.GetString() : null;

    private static Task AliveAsync(HttpClient http, int port, PlayRun play) =>
        Eventually.Until(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/alive"));
                return (Ok: response.IsSuccessStatusCode, Said: $"{(int)response.StatusCode} {response.ReasonPhrase}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return (Ok: false, Said: e.Message); // not listening yet
            }
        }, answer => answer.Ok, TimeSpan.FromSeconds(60), $"/alive on port {port} to answer",
            answer => $"{answer.Said}\n{play.Stdout}", () => play.HasExited);

    [GeneratedRegex(@"^endpoint (\S+) http://127\.0\.0\.1:(\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex EndpointPattern();
}
