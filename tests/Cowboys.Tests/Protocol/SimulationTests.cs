using System.Diagnostics;
using Cowboys.Actors.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Protocol;

/// <summary>
/// Thousands of seeded schedules of the real protocol machines under the nemesis: a failing seed
/// is printed and replays exactly (new Simulation(seed).Run()).
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void No_schedule_of_crashes_pauses_partitions_and_lost_messages_yields_two_results()
    {
        var watch = Stopwatch.StartNew();
        var finished = 0;
        var runs = 0;
        long messages = 0;
        for (var seed = 1; seed <= 2000; seed++)
        {
            var sim = new Simulation(seed).Run();
            runs++;
            messages += sim.Messages;
            Assert.True(sim.Violations.Count == 0, $"seed {seed} ({sim.Game.Roster.Count} cowboys): {string.Join("; ", sim.Violations)}");
            if (sim.Finished) finished++;
            else output.WriteLine($"seed {seed} unfinished ({sim.Game.Roster.Count} cowboys): {string.Join(" | ", sim.Trace.TakeLast(3))}");
        }
        output.WriteLine($"{runs} schedules in {watch.Elapsed.TotalSeconds:F1} s ({runs / watch.Elapsed.TotalSeconds:F0}/s, {messages} messages); {finished} finished within the simulated 2 minutes");
        Assert.True(finished > runs * 9 / 10, $"only {finished} of {runs} schedules finished: the protocol should be live once faults stop");
    }

    [Fact]
    public void Without_faults_every_schedule_finishes_with_the_referees_result()
    {
        for (var seed = 1; seed <= 200; seed++)
        {
            var sim = new Simulation(seed, new SimulationOptions { Faults = 0, Loss = 0, Duplicate = 0 }).Run();
            Assert.True(sim.Violations.Count == 0, $"seed {seed}: {string.Join("; ", sim.Violations)}");
            Assert.True(sim.Finished, $"seed {seed} did not finish");
            var referee = Cowboys.Actors.Rules.Referee.Play(sim.Game.Roster, sim.Game.Rules, sim.Game.Seed);
            Assert.All(sim.Outcomes, o => Assert.Equal(referee.Winner, o.Result!.Winner));
        }
    }

    [Fact]
    public void A_game_of_a_hundred_thousand_shots_ends_like_a_short_one_and_a_storeless_newcomer_catches_up_in_chunks()
    {
        var options = new SimulationOptions
        {
            Cowboys = 3, Health = 110_000, MinHealth = 100_000, Faults = 0, Loss = 0.01, Duplicate = 0.01, Duration = TimeSpan.FromHours(12),
            CrashAt = (TimeSpan.FromSeconds(900), 2), Store = _ => null, // he comes back with an empty log and must be sent all of it
        };
        var sim = new Simulation(7, options).Run();

        Assert.True(sim.Violations.Count == 0, string.Join("; ", sim.Violations));
        Assert.True(sim.Finished, "not every node learned the end");
        var shots = sim.Outcomes[0].Result!.Shots.Length;
        output.WriteLine($"{shots} shots, {sim.CommittedBeats} beats, at most {sim.MaxShotsInAMessage} shots in one message");
        Assert.True(shots >= 100_000, $"only {shots} shots: not the long game this test is about");
        Assert.InRange(sim.MaxShotsInAMessage, 1, ReplicaMachine.ChunkShots);
    }

    [Fact]
    public void The_checker_catches_a_leader_that_commits_without_a_majority()
    {
        var caught = FirstCaught(new SimulationOptions { Quorum = (n, processes, witness) => processes >= 1 });
        output.WriteLine(caught);
    }

    [Fact]
    public void The_checker_catches_replicas_that_do_not_keep_their_promise()
    {
        var caught = FirstCaught(new SimulationOptions { FenceEpochs = false, Faults = 8, Cowboys = 5 });
        output.WriteLine(caught);
    }

    [Fact]
    public void The_checker_catches_replicas_that_forget_everything()
    {
        var caught = FirstCaught(new SimulationOptions { Store = _ => StoredReplica.Empty, Faults = 6 });
        output.WriteLine(caught);
    }

    private static string FirstCaught(SimulationOptions options)
    {
        for (var seed = 1; seed <= 3000; seed++)
        {
            var sim = new Simulation(seed, options).Run();
            if (sim.Violations.Count > 0) return $"seed {seed}: {sim.Violations[0]}";
        }
        Assert.Fail("3000 schedules of a broken protocol passed the checks: the simulation cannot tell a broken protocol from a sound one");
        return "";
    }
}
