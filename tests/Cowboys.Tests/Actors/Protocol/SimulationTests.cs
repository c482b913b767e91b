using System.Diagnostics;
using Cowboys.Actors.Protocol;
using Xunit;
using Xunit.Abstractions;
using Cowboys.Tests.Actors.Protocol.Search;

namespace Cowboys.Tests.Actors.Protocol;

/// <summary>
/// Thousands of seeded schedules of the real protocol machines under the nemesis: a failing seed
/// is printed and replays exactly (new Simulation(seed).Run()).
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_schedule_of_crashes_pauses_partitions_lost_messages_and_a_slow_witness_yields_two_results(bool pods)
    {
        var watch = Stopwatch.StartNew();
        var options = new SimulationOptions { Pods = pods };
        var runs = ScheduleSearchTests.Budget(2000);
        var (finished, aborted, messages) = (0, 0, 0L);
        for (var seed = 1; seed <= runs; seed++)
        {
            var sim = new Simulation(seed, options).Run();
            messages += sim.Messages;
            Assert.True(sim.Violations.Count == 0, $"seed {seed} ({sim.Game.Roster.Count} cowboys, {(pods ? "pods" : "durable")}): {string.Join("; ", sim.Violations)}");
            if (sim.Outcomes.Any(o => o.Result is null)) aborted++;
            if (sim.Finished) finished++;
            else output.WriteLine($"seed {seed} unfinished ({sim.Game.Roster.Count} cowboys): {string.Join(" | ", sim.Trace.TakeLast(3))}");
        }
        output.WriteLine($"{(pods ? "pods" : "durable")}: {runs} schedules in {watch.Elapsed.TotalSeconds:F1} s ({runs / watch.Elapsed.TotalSeconds:F0}/s, {messages} messages); {finished} finished within the simulated 2 minutes, {aborted} of them aborted");
        Assert.True(aborted > 0, "no schedule aborted: the abort path went unexercised");
        // a pod that crashes comes back without a vote: a game whose majority of first pods crashed cannot finish
        Assert.True(finished > runs * (pods ? 5 : 9) / 10, $"only {finished} of {runs} schedules finished: the protocol should be live once faults stop");
    }

    [Fact]
    public void Without_faults_every_schedule_finishes_with_the_referees_result()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var sim = new Simulation(seed, new SimulationOptions { Faults = 0, Loss = 0, Duplicate = 0, Mismatch = 0, LateStart = 0, CrashAfterWitnessCommit = 0 }).Run();
            Assert.True(sim.Violations.Count == 0, $"seed {seed}: {string.Join("; ", sim.Violations)}");
            Assert.True(sim.Finished, $"seed {seed} did not finish");
            var referee = Cowboys.Actors.Game.Rules.Referee.Play(sim.Game.Roster, sim.Game.Rules, sim.Game.Seed);
            Assert.All(sim.Outcomes, o => Assert.Equal(referee.Winner, o.Result!.Winner));
        }
    }

    [Fact]
    public void A_game_of_a_hundred_thousand_shots_ends_like_a_short_one_and_a_storeless_newcomer_catches_up_in_chunks()
    {
        var options = new SimulationOptions
        {
            Cowboys = 3, Health = 110_000, MinHealth = 100_000, Faults = 0, Loss = 0.01, Duplicate = 0.01, Duration = TimeSpan.FromHours(12), Mismatch = 0, LateStart = 0,
            CrashAt = (TimeSpan.FromSeconds(900), 2), Pods = true, // he comes back as a new pod with an empty log and must be sent all of it
        };
        var sim = new Simulation(7, options).Run();

        Assert.True(sim.Violations.Count == 0, string.Join("; ", sim.Violations));
        Assert.True(sim.Finished, "not every node learned the end");
        var shots = sim.Outcomes[0].Result!.Shots.Length;
        output.WriteLine($"{shots} shots, {sim.CommittedBeats} beats, at most {sim.MaxShotsInAMessage} shots in one message");
        Assert.True(shots >= 100_000, $"only {shots} shots: not the long game this test is about");
        Assert.InRange(sim.MaxShotsInAMessage, 1, ReplicaMachine.ChunkShots);
    }

    public static TheoryData<string> Mutations => new(MutatedRules.Keys);

    /// <summary>Every safety rule switched off in turn: the simulation's checks must notice each.</summary>
    private static readonly Dictionary<string, SimulationOptions> MutatedRules = new()
    {
        ["the leader commits on one acknowledgement"] = new() { Quorum = (_, processes, _) => processes >= 1 },
        ["replicas do not keep their promise"] = new() { FenceEpochs = false, Faults = 8, Cowboys = 5 },
        ["replicas forget everything on restart"] = new() { Store = _ => StoredReplica.Empty, Faults = 6 },
        ["a replacement pod votes"] = new() { Pods = true, ReplacementsVote = true, Faults = 6 },
        ["the witness's position may go back"] = new() { Mutations = ProtocolMutation.WitnessMayGoBack, Cowboys = 2 },
        ["an equal epoch is promised to another leader"] = new() { Mutations = ProtocolMutation.EqualEpochFromAnotherLeader, Incarnations = 1, Faults = 6 },
        ["a replica ignores the base digest"] = new() { Mutations = ProtocolMutation.IgnoreBaseDigest, Faults = 6 },
        ["a recovering leader does not propose the last beat again"] = new() { Mutations = ProtocolMutation.NoReproposal, Faults = 6 },
        ["recovery prefers the lower epoch at equal beats"] = new() { Mutations = ProtocolMutation.PreferLowerEpoch, Faults = 6 },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void The_checks_catch_the_protocol_with_a_safety_rule_switched_off(string rule)
    {
        var caught = FirstCaught(MutatedRules[rule]);
        output.WriteLine($"{rule}: {caught}");
    }

    private static string FirstCaught(SimulationOptions options)
    {
        for (var seed = 1; seed <= ScheduleSearchTests.Budget(3000); seed++)
        {
            var sim = new Simulation(seed, options).Run();
            if (sim.Violations.Count > 0) return $"seed {seed}: {sim.Violations[0]}";
        }
        Assert.Fail($"{ScheduleSearchTests.Budget(3000)} schedules of a broken protocol passed the checks: the simulation cannot tell a broken protocol from a sound one");
        return "";
    }
}
