using System.Diagnostics;
using Cowboys.Actors.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Actors.Protocol.Search;

/// <summary>
/// The systematic search over small configurations: it finds no schedule that breaks safety in the
/// protocol as it is, and it finds, by itself, a schedule that does for each rule switched off.
/// </summary>
public sealed class ScheduleSearchTests(ITestOutputHelper output)
{
    /// <summary>Schedules per configuration in a normal run; COWBOYS_SEARCH_SCALE multiplies it for a longer local run.</summary>
    public static int Budget(int schedules) =>
        schedules * (int.TryParse(Environment.GetEnvironmentVariable("COWBOYS_SEARCH_SCALE"), out var scale) && scale > 0 ? scale : 1);

    public static TheoryData<string> Configurations => new(SmallConfigurations.Keys);

    private static readonly Dictionary<string, SearchConfig> SmallConfigurations = new()
    {
        ["two durable replicas and the witness"] = new SearchConfig { Cowboys = 2 },
        ["three durable replicas"] = new SearchConfig { Cowboys = 3 },
        ["two pods and the witness"] = new SearchConfig { Cowboys = 2, Pods = true },
        ["three pods"] = new SearchConfig { Cowboys = 3, Pods = true },
        ["four pods and the witness"] = new SearchConfig { Cowboys = 4, Pods = true, Crashes = 3, Restarts = 3 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void No_schedule_of_a_small_configuration_breaks_safety(string configuration)
    {
        var config = SmallConfigurations[configuration];
        var watch = Stopwatch.StartNew();
        var schedules = Budget(4000);
        long steps = 0;
        var finished = 0;
        for (var seed = 1; seed <= schedules; seed++)
        {
            var search = new ScheduleSearch(config, seed).Run();
            steps += search.Steps;
            if (search.Finished) finished++;
            Assert.True(search.Violations.Count == 0 && search.InvariantBreaks.Count == 0,
                $"{config}, seed {seed}: {string.Join("; ", search.Violations.Concat(search.InvariantBreaks))}\n{Replay(config, seed)}");
        }
        output.WriteLine($"{config}: {schedules} schedules, {steps} steps in {watch.Elapsed.TotalSeconds:F1} s ({schedules / watch.Elapsed.TotalSeconds:F0} schedules/s); {finished} ended with every process knowing the result");
    }

    public static TheoryData<string> Mutations => new(MutatedRules.Keys);

    /// <summary>Each safety rule switched off, with the configurations where it matters (the search is not told the schedule).</summary>
    private static readonly Dictionary<string, SearchConfig[]> MutatedRules = new()
    {
        ["hole 1: the witness's position may go back"] = Durable(2, ProtocolMutation.WitnessMayGoBack),
        ["hole 2: a replacement pod votes"] = [new SearchConfig { Cowboys = 3, Pods = true, ReplacementsVote = true }, new SearchConfig { Cowboys = 2, Pods = true, ReplacementsVote = true }],
        ["hole 3: an equal epoch is promised to another leader"] = [.. Durable(3, ProtocolMutation.EqualEpochFromAnotherLeader), .. Durable(2, ProtocolMutation.EqualEpochFromAnotherLeader)],
        ["a replica ignores the base digest"] = [new SearchConfig { Cowboys = 3, Mutations = ProtocolMutation.IgnoreBaseDigest, Drops = 6, ExtraLeaders = 3, Crashes = 3, Restarts = 3, MaxSteps = 500 }],
        ["a recovering leader does not propose the last beat again"] = [.. Durable(3, ProtocolMutation.NoReproposal), .. Durable(2, ProtocolMutation.NoReproposal)],
        ["recovery prefers the lower epoch at equal beats"] = [.. Durable(3, ProtocolMutation.PreferLowerEpoch), .. Durable(2, ProtocolMutation.PreferLowerEpoch)],
        ["the leader commits on one acknowledgement"] = [new SearchConfig { Cowboys = 3, Quorum = (_, processes, _) => processes >= 1 }],
    };

    private static SearchConfig[] Durable(int cowboys, ProtocolMutation mutation) => [new SearchConfig { Cowboys = cowboys, Mutations = mutation }];

    [Theory]
    [MemberData(nameof(Mutations))]
    public void The_search_finds_a_schedule_that_breaks_safety_when_a_rule_is_switched_off(string rule)
    {
        var watch = Stopwatch.StartNew();
        var tried = 0;
        foreach (var config in MutatedRules[rule])
        {
            for (var seed = 1; seed <= Budget(50_000); seed++)
            {
                tried++;
                var search = new ScheduleSearch(config, seed).Run();
                if (search.Violations.Count == 0) continue;
                output.WriteLine($"{rule}: found after {tried} schedules ({watch.Elapsed.TotalSeconds:F1} s), {config}, seed {seed}: {search.Violations[0]}");
                output.WriteLine(Replay(config, seed));
                return;
            }
        }
        Assert.Fail($"{tried} schedules with \"{rule}\" broke no safety rule: the search cannot tell this rule is missing");
    }

    public static string Replay(SearchConfig config, int seed) =>
        string.Join("\n", new ScheduleSearch(config, seed) { Verbose = true }.Run().Trace.TakeLast(80));
}
