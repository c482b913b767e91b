using System.Collections.Immutable;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Operator.Desired;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Progress;
using k8s.Models;
using Xunit;
using static Cowboys.Tests.Operator.OperatorFixtures;

namespace Cowboys.Tests.Operator.Progress;

public class ShootoutProgressTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 9, 0, 0, DateTimeKind.Utc);

    private static readonly Shootout Full = Shootout();
    private static readonly GamePlan Plan = GamePlan.FromSpec(Full).Plan!;
    private static readonly GameResult Result = Referee.Play(Plan.Roster, Plan.Rules, Plan.Seed);

    /// <summary>What the job controller and kubelet show for one cowboy.</summary>
    private static (V1Job Job, V1Pod Pod) Cowboy(string name, bool ready = false, string? terminationMessage = null, string? jobCondition = null, string? jobReason = null)
    {
        var job = DesiredObjects.CowboyJob(Full, Plan, name, Options);
        job.Metadata.Uid = $"job-{name}";
        if (jobCondition is not null)
        {
            job.Status = new V1JobStatus { Conditions = [new V1JobCondition { Type = jobCondition, Status = "True", Reason = jobReason, Message = $"{jobReason} happened" }] };
        }
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"{job.Metadata.Name}-x", Annotations = job.Spec.Template.Metadata.Annotations, OwnerReferences = [new V1OwnerReference { Uid = job.Metadata.Uid, Kind = "Job", Name = job.Metadata.Name, ApiVersion = "batch/v1" }] },
            Status = new V1PodStatus
            {
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                ContainerStatuses = terminationMessage is null ? [] :
                [
                    new V1ContainerStatus { Name = "cowboy", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Message = terminationMessage } } },
                ],
            },
        };
        return (job, pod);
    }

    private static Observed All(Func<string, (V1Job, V1Pod)> each)
    {
        var all = Plan.Roster.Cowboys.Select(c => each(c.Name)).ToList();
        return new Observed(all.Select(a => a.Item1).ToList(), all.Select(a => a.Item2).ToList());
    }

    private static Shootout With(ShootoutStatus status) => Full with { Status = status };

    [Fact]
    public void A_new_shootout_is_pending_valid_and_announces_its_jobs()
    {
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n)), T0);
        Assert.Equal(ShootoutPhases.Pending, a.Status.Phase);
        Assert.Equal("True", a.Status.Condition(ShootoutConditions.Valid)!.Status);
        Assert.Equal("False", a.Status.Condition(ShootoutConditions.Ready)!.Status);
        Assert.Equal((5, 5, 0, 42L, 1L), (a.Status.Cowboys!.Value, a.Status.Alive!.Value, a.Status.Beat!.Value, a.Status.Seed!.Value, a.Status.ObservedGeneration!.Value));
        Assert.Contains(a.Events, e => e.Reason == "Created" && e.Type == ShootoutEvent.Normal);
        Assert.All(a.Status.Conditions!, c => Assert.Equal(1L, c.ObservedGeneration));
    }

    [Fact]
    public void The_game_is_running_once_every_cowboy_is_ready_and_stays_running_when_one_restarts()
    {
        var pending = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: n != "Sam")), T0).Status;
        Assert.Equal(ShootoutPhases.Pending, pending.Phase);
        Assert.Contains("4 of 5", pending.Condition(ShootoutConditions.Ready)!.Message);

        var running = ShootoutProgress.Assess(With(pending), Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(5));
        Assert.Equal(ShootoutPhases.Running, running.Status.Phase);
        Assert.Equal(T0.AddSeconds(5), running.Status.StartTime);
        Assert.Contains(running.Events, e => e.Reason == "Started");
        Assert.DoesNotContain(running.Events, e => e.Reason == "Created");

        var restarting = ShootoutProgress.Assess(With(running.Status), Plan, All(n => Cowboy(n, ready: n != "Sam")), T0.AddSeconds(9));
        Assert.Equal(ShootoutPhases.Running, restarting.Status.Phase);
        Assert.Equal("False", restarting.Status.Condition(ShootoutConditions.Ready)!.Status);
        Assert.Equal(T0.AddSeconds(5), restarting.Status.StartTime);
        Assert.Empty(restarting.Events);
    }

    [Fact]
    public void The_winner_comes_from_the_termination_messages_once_every_job_is_done()
    {
        var summary = ResultSummary.Of(Result).Write();
        var running = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: true)), T0).Status;

        var leaving = ShootoutProgress.Assess(With(running), Plan, All(n => n == "John" ? Cowboy(n, terminationMessage: summary, jobCondition: "Complete") : Cowboy(n, ready: true)), T0.AddSeconds(20));
        Assert.Equal(ShootoutPhases.Running, leaving.Status.Phase);
        Assert.Equal("LeavingCluster", leaving.Status.Condition(ShootoutConditions.Finished)!.Reason);

        var done = ShootoutProgress.Assess(With(leaving.Status), Plan, All(n => Cowboy(n, terminationMessage: summary, jobCondition: "Complete")), T0.AddSeconds(21));
        Assert.Equal(ShootoutPhases.Finished, done.Status.Phase);
        Assert.Equal(Result.Winner, done.Status.Winner);
        Assert.Equal((Result.Beats, 1), (done.Status.Beat!.Value, done.Status.Alive!.Value));
        Assert.Equal(T0.AddSeconds(21), done.Status.CompletionTime);
        Assert.Equal("True", done.Status.Condition(ShootoutConditions.Finished)!.Status);
        Assert.Equal("Winner", done.Status.Condition(ShootoutConditions.Finished)!.Reason);
        Assert.Equal(4, done.Events.Count(e => e.Reason == "CowboyDied"));
        Assert.Contains(done.Events, e => e.Reason == "Winner" && e.Message.Contains(Result.Winner!));
    }

    [Fact]
    public void A_majority_reporting_one_result_decides_the_game_while_a_replacement_pod_still_waits()
    {
        var summary = SummaryOf(Result);
        var running = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: true)), T0).Status;
        string[] reported = ["John", "Bill", "Sam"];

        // two of five is no majority: the game is not decided yet
        var two = ShootoutProgress.Assess(With(running), Plan, All(n => reported[..2].Contains(n) ? Cowboy(n, terminationMessage: summary, jobCondition: "Complete") : Cowboy(n)), T0.AddSeconds(10));
        Assert.Equal(ShootoutPhases.Running, two.Status.Phase);

        // three of five: decided, though Peter's replacement pod waits for a game that is over
        var three = ShootoutProgress.Assess(With(two.Status), Plan, All(n => reported.Contains(n) ? Cowboy(n, terminationMessage: summary, jobCondition: "Complete") : Cowboy(n)), T0.AddSeconds(12));
        Assert.Equal(ShootoutPhases.Finished, three.Status.Phase);
        Assert.Equal(Result.Winner, three.Status.Winner);
        Assert.Contains(three.Events, e => e.Reason == "Winner");
        Assert.Equal(2, ShootoutProgress.Stragglers(All(n => reported.Contains(n) ? Cowboy(n, terminationMessage: summary, jobCondition: "Complete") : Cowboy(n))).Count);
    }

    [Fact]
    public void A_majority_does_not_outvote_a_cowboy_who_reports_another_result()
    {
        var ours = ResultSummary.Of(Result);
        var other = (ours with { Winner = "Bill" }).Write();
        var a = ShootoutProgress.Assess(Full, Plan, All(n => n switch
        {
            "John" or "Bill" or "Sam" => Cowboy(n, terminationMessage: ours.Write(), jobCondition: "Complete"),
            "Peter" => Cowboy(n, terminationMessage: other, jobCondition: "Complete"),
            _ => Cowboy(n),
        }), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Null(a.Status.Winner);
        Assert.Contains(a.Events, e => e.Reason == "Disagreement");
    }

    [Fact]
    public void One_cowboy_reporting_twice_from_two_pods_is_still_one_voice()
    {
        var summary = SummaryOf(Result);
        var observed = All(n => n is "John" or "Bill" ? Cowboy(n, terminationMessage: summary) : Cowboy(n));
        var again = Cowboy("John", terminationMessage: summary).Pod;
        again.Metadata.Name += "-2";
        var a = ShootoutProgress.Assess(Full, Plan, observed with { Pods = [.. observed.Pods, again] }, T0);
        Assert.NotEqual(ShootoutPhases.Finished, a.Status.Phase);
    }

    [Fact]
    public void Cowboys_that_disagree_fail_the_game_instead_of_crowning_anyone()
    {
        var ours = ResultSummary.Of(Result);
        var other = (ours with { Winner = "Bill" }).Write();
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, terminationMessage: n == "Sam" ? other : ours.Write(), jobCondition: "Complete")), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Null(a.Status.Winner);
        Assert.Contains(a.Events, e => e.Type == ShootoutEvent.Warning && e.Reason == "Disagreement");
    }

    [Fact]
    public void A_result_of_another_game_is_not_believed()
    {
        var otherSeed = ResultSummary.Of(Referee.Play(Plan.Roster, Plan.Rules, 7)).Write();
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, terminationMessage: otherSeed, jobCondition: "Complete")), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Equal("Disagreement", a.Status.Condition(ShootoutConditions.Finished)!.Reason);
    }

    [Fact]
    public void An_aborted_game_fails_with_the_reason_the_cowboys_gave()
    {
        var aborted = ResultSummary.OfAbort("cowboys disagree on the game: roster differs").Write();
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, terminationMessage: aborted)), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Contains("roster differs", a.Status.Message);
        Assert.Contains(a.Events, e => e.Type == ShootoutEvent.Warning && e.Reason == "Aborted");
    }

    [Fact]
    public void A_failed_job_that_leaves_a_quorum_of_voters_does_not_fail_the_game_and_warns_naming_the_cowboy()
    {
        var a = ShootoutProgress.Assess(Full with { Status = new ShootoutStatus { Phase = ShootoutPhases.Running } }, Plan,
            All(n => n == "Peter" ? Cowboy(n, jobCondition: "Failed", jobReason: "BackoffLimitExceeded") : Cowboy(n, ready: true)), T0);
        Assert.Equal(ShootoutPhases.Running, a.Status.Phase);
        var warning = Assert.Single(a.Events, e => e.Type == ShootoutEvent.Warning && e.Reason == "BackoffLimitExceeded");
        Assert.Contains("cowboy Peter's Job failed", warning.Message);
        Assert.Contains("4 of the 5 cowboys can still vote", warning.Message);
        Assert.Equal("True", a.Status.Condition(ShootoutConditions.Degraded)!.Status);
    }

    [Fact]
    public void A_failed_job_is_told_once_not_on_every_reconcile_and_again_when_another_fails()
    {
        var observed = All(n => n == "Peter" ? Cowboy(n, jobCondition: "Failed", jobReason: "BackoffLimitExceeded") : Cowboy(n, ready: true));
        var first = ShootoutProgress.Assess(Full with { Status = new ShootoutStatus { Phase = ShootoutPhases.Running } }, Plan, observed, T0);

        var again = ShootoutProgress.Assess(With(first.Status), Plan, observed, T0.AddSeconds(2));
        Assert.DoesNotContain(again.Events, e => e.Type == ShootoutEvent.Warning);

        var another = ShootoutProgress.Assess(With(again.Status), Plan,
            All(n => n is "Peter" or "Sam" ? Cowboy(n, jobCondition: "Failed", jobReason: "BackoffLimitExceeded") : Cowboy(n, ready: true)), T0.AddSeconds(4));
        Assert.Equal(ShootoutPhases.Running, another.Status.Phase);
        Assert.Contains("3 of the 5 cowboys can still vote", Assert.Single(another.Events, e => e.Type == ShootoutEvent.Warning).Message);
    }

    [Fact]
    public void An_ignored_spec_edit_leaves_observed_generation_at_the_played_one_and_is_told_once()
    {
        var edited = k8s.KubernetesJson.Deserialize<Shootout>(k8s.KubernetesJson.Serialize(Full)) with { Status = new ShootoutStatus { Phase = ShootoutPhases.Running, ObservedGeneration = 1 } };
        edited.Metadata.Generation = 3;

        var first = ShootoutProgress.Assess(edited, Plan, All(n => Cowboy(n, ready: true)), T0, specIgnored: true, playedGeneration: 1);
        Assert.Equal(1, first.Status.ObservedGeneration);
        Assert.Equal(ShootoutProgress.SpecChangeIgnored, first.Status.Condition(ShootoutConditions.Valid)!.Reason);
        Assert.Single(first.Events, e => e.Reason == ShootoutProgress.SpecChangeIgnored);

        var again = ShootoutProgress.Assess(edited with { Status = first.Status }, Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(2), specIgnored: true, playedGeneration: 1);
        Assert.Equal(1, again.Status.ObservedGeneration);
        Assert.DoesNotContain(again.Events, e => e.Reason == ShootoutProgress.SpecChangeIgnored);
    }

    [Fact]
    public void Failed_jobs_and_failed_pods_that_leave_fewer_than_a_quorum_of_voters_fail_the_game_because_it_can_no_longer_end()
    {
        // Peter's Job failed; Sam's and John's first pods failed (their replacements do not vote): 2 of 5 can vote
        var a = ShootoutProgress.Assess(Full, Plan, All(n => n switch
        {
            "Peter" => Cowboy(n, jobCondition: "Failed", jobReason: "BackoffLimitExceeded"),
            "Sam" or "John" => WithFailedPod(Cowboy(n, ready: true)),
            _ => Cowboy(n, ready: true),
        }), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Contains("cowboy Peter's Job failed", a.Status.Message);
        Assert.Contains("only 2 of the 5 cowboys can still vote, fewer than a quorum: the game can no longer end", a.Status.Message);
        Assert.Equal("BackoffLimitExceeded", a.Status.Condition(ShootoutConditions.Finished)!.Reason);
    }

    [Fact]
    public void A_job_failed_by_its_pod_failure_policy_fails_the_game_at_once()
    {
        var a = ShootoutProgress.Assess(Full, Plan, All(n => n == "Peter" ? Cowboy(n, jobCondition: "Failed", jobReason: ShootoutProgress.PodFailurePolicyReason) : Cowboy(n, ready: true)), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Contains("Peter", a.Status.Message);
    }

    private static (V1Job Job, V1Pod Pod) WithFailedPod((V1Job Job, V1Pod Pod) cowboy)
    {
        cowboy.Job.Status ??= new V1JobStatus();
        cowboy.Job.Status.Failed = 1;
        return cowboy;
    }

    [Fact]
    public void Jobs_that_end_without_any_result_fail_the_game()
    {
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, terminationMessage: "Unhandled exception. System.Exception: boom", jobCondition: "Complete")), T0);
        Assert.Equal(ShootoutPhases.Failed, a.Status.Phase);
        Assert.Equal("NoResult", a.Status.Condition(ShootoutConditions.Finished)!.Reason);
    }

    [Fact]
    public void An_invalid_spec_fails_with_the_reason_in_a_condition_and_one_warning()
    {
        var first = ShootoutProgress.Invalid(Full, "spec.cowboys: cowboy #2 \"John\": the name is used twice", T0);
        Assert.Equal(ShootoutPhases.Failed, first.Status.Phase);
        var valid = first.Status.Condition(ShootoutConditions.Valid)!;
        Assert.Equal(("False", "InvalidSpec"), (valid.Status, valid.Reason));
        Assert.Contains("used twice", valid.Message);
        Assert.Equal(ShootoutEvent.Warning, Assert.Single(first.Events).Type);
        Assert.Empty(ShootoutProgress.Invalid(With(first.Status), "same", T0.AddSeconds(1)).Events);
    }

    [Fact]
    public void A_condition_keeps_its_transition_time_until_its_status_flips()
    {
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n)), T0).Status;
        var b = ShootoutProgress.Assess(With(a), Plan, All(n => Cowboy(n)), T0.AddSeconds(3)).Status;
        Assert.Equal(T0, b.Condition(ShootoutConditions.Ready)!.LastTransitionTime);
        var c = ShootoutProgress.Assess(With(b), Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(6)).Status;
        Assert.Equal(T0.AddSeconds(6), c.Condition(ShootoutConditions.Ready)!.LastTransitionTime);
        Assert.Equal(T0, c.Condition(ShootoutConditions.Valid)!.LastTransitionTime);
    }

    [Fact]
    public void A_spec_edited_after_the_start_is_reported_not_played()
    {
        var a = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: true)), T0, specIgnored: true);
        Assert.Contains(a.Events, e => e.Type == ShootoutEvent.Warning && e.Reason == "SpecChangeIgnored");
    }

    [Fact]
    public void Many_deaths_are_summed_up_instead_of_flooding_the_events()
    {
        var roster = new Cowboys.Actors.Game.Rosters.Roster("big", Enumerable.Range(0, 40).Select(i => new Cowboys.Actors.Game.Rosters.CowboySpec($"c{i}", 3, 2)).ToImmutableArray());
        var result = Referee.Play(roster, RuleSet.Sequential, 1);
        var plan = Plan with { Roster = roster, Seed = 1 };
        var summary = ResultSummary.Of(result).Write();
        var pods = roster.Cowboys.Select(c => Cowboy("John", terminationMessage: summary, jobCondition: "Complete")).ToList();
        var a = ShootoutProgress.Assess(Full, plan, new Observed(pods.Select(p => p.Job).ToList(), pods.Select(p => p.Pod).ToList()), T0);
        Assert.Equal(ShootoutPhases.Finished, a.Status.Phase);
        Assert.Equal(ShootoutProgress.MaxDeathEvents + 1, a.Events.Count(e => e.Reason == "CowboyDied"));
        Assert.Contains(a.Events, e => e.Message == "and 19 more cowboys died");
    }

    [Fact]
    public void A_running_game_shows_a_cowboys_replica_and_tells_each_death_once()
    {
        var running = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: true)), T0).Status;
        var beat3 = new GameView(3, 4, 5, [new Death("Peter", 2, "shot")], null, false);
        var a = ShootoutProgress.Assess(With(running), Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(2), live: beat3);
        Assert.Equal((3, 4), (a.Status.Beat!.Value, a.Status.Alive!.Value));
        Assert.Equal("Peter was shot dead at beat 2", Assert.Single(a.Events, e => e.Reason == "CowboyDied").Message);

        var beat5 = beat3 with { Beat = 5, Alive = 3, Deaths = [new Death("Peter", 2, "shot"), new Death("Bill", 5, "forfeit")] };
        var b = ShootoutProgress.Assess(With(a.Status), Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(4), live: beat5);
        Assert.Equal("Bill forfeited (away too long) at beat 5", Assert.Single(b.Events, e => e.Reason == "CowboyDied").Message);

        // a restarted cowboy still catching up is behind: the status never goes back
        var behind = ShootoutProgress.Assess(With(b.Status), Plan, All(n => Cowboy(n, ready: true)), T0.AddSeconds(6), live: beat3);
        Assert.Equal((5, 3), (behind.Status.Beat!.Value, behind.Status.Alive!.Value));
        Assert.Empty(behind.Events);
    }

    [Fact]
    public void A_death_told_live_is_told_with_the_same_words_at_the_end()
    {
        var running = ShootoutProgress.Assess(Full, Plan, All(n => Cowboy(n, ready: true)), T0).Status;
        var deaths = ResultSummary.DeathsOf(Result);
        var live = new GameView(deaths[0].Beat, 4, 5, [deaths[0]], null, false);
        var told = ShootoutProgress.Assess(With(running), Plan, All(n => Cowboy(n, ready: true)), T0, live: live).Events.Single(e => e.Reason == "CowboyDied");
        var summary = SummaryOf(Result);
        var end = ShootoutProgress.Assess(With(running), Plan, All(n => Cowboy(n, terminationMessage: summary, jobCondition: "Complete")), T0).Events;
        Assert.Contains(told, end);
    }

    private static string SummaryOf(GameResult result) => ResultSummary.Of(result).Write();
}
