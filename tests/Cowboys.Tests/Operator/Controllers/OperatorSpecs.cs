using System.Text.Json.Nodes;
using System.Net;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Rules;
using Cowboys.Operator.Controllers;
using Cowboys.Operator.Desired;
using Microsoft.Extensions.Logging;
using Cowboys.Operator.Entities;
using Cowboys.Operator.Kubernetes;
using Xunit;
using Xunit.Abstractions;
using static Cowboys.Tests.Operator.OperatorTestBed;

namespace Cowboys.Tests.Operator.Controllers;

/// <summary>
/// The operator against an in-process stand-in of the API server, through the real
/// KubernetesClient: watches, creates, status writes and events as they travel in a cluster.
/// </summary>
public sealed class OperatorSpecs(ITestOutputHelper output)
{
    private static readonly GameResult SampleResult =
        Referee.Play(Cowboys.Actors.Game.Rosters.RosterParser.ParseSpecCowboys("full", OperatorFixtures.SampleCowboys), RuleSet.Sequential, 42);

    [Fact]
    public async Task A_shootout_is_played_by_one_job_per_cowboy_and_its_winner_is_written_back()
    {
        await using var bed = await StartAsync(output);
        await using var op = new RunningOperator(bed);

        bed.Apply("full");
        await bed.WaitForJobsAsync("full", 5);
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Pending);
        foreach (var (resource, name) in new[] { ("configmaps", "full-roster"), ("serviceaccounts", "full-cowboys"), ("roles", "full-cowboys"), ("rolebindings", "full-cowboys"), ("leases", "full-tiebreak") })
        {
            var obj = bed.Server.Get(resource, Ns, name);
            Assert.True(obj is not null, $"{resource} {name} was not created");
            Assert.Equal((string?)bed.Shootout("full")!["metadata"]!["uid"], (string?)obj["metadata"]!["ownerReferences"]![0]!["uid"]);
        }

        bed.StartPods("full");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Running);

        // while the game runs, a cowboy's GET /game feeds status.beat, status.alive and the death events
        var firstDeath = ResultSummary.DeathsOf(SampleResult)[0];
        bed.Probe.View = new GameView(firstDeath.Beat, 4, 5, [firstDeath], null, false);
        await bed.Server.WaitUntilAsync(() => (int?)bed.Shootout("full")!["status"]!["alive"] == 4, what: "status.alive to show the first death");
        Assert.Equal(firstDeath.Beat, (int)bed.Shootout("full")!["status"]!["beat"]!);
        await bed.Server.WaitUntilAsync(() => bed.EventReasons("full").Contains("CowboyDied"), what: "the first CowboyDied event");

        bed.FinishPods("full", _ => SummaryOf(SampleResult));
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Finished);
        var status = bed.Shootout("full")!["status"]!;
        Assert.Equal(SampleResult.Winner, (string?)status["winner"]);
        Assert.Equal(SampleResult.Beats, (int)status["beat"]!);
        Assert.Equal(1, (int)status["alive"]!);
        Assert.Equal(1, (long)status["observedGeneration"]!);
        Assert.NotNull(status["startTime"]);
        Assert.NotNull(status["completionTime"]);

        await bed.Server.WaitUntilAsync(() => bed.EventReasons("full").Contains("Winner"), what: "a Winner event");
        var reasons = bed.EventReasons("full");
        Assert.Equal(1, reasons.Count(r => r == "Created"));
        Assert.Equal(1, reasons.Count(r => r == "Started"));
        Assert.Equal(4, reasons.Count(r => r == "CowboyDied"));
    }

    [Fact]
    public async Task An_invalid_spec_fails_with_the_reason_and_a_warning_and_creates_nothing()
    {
        await using var bed = await StartAsync(output);
        await using var op = new RunningOperator(bed);

        bed.Apply("twins", cowboys: """[{"name": "John", "health": 10, "damage": 1}, {"name": "John", "health": 5, "damage": 2}]""");
        await bed.WaitForPhaseAsync("twins", ShootoutPhases.Failed);

        var valid = bed.Shootout("twins")!["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Valid")!;
        Assert.Equal(("False", "InvalidSpec"), ((string?)valid["status"], (string?)valid["reason"]));
        Assert.Contains("John", (string?)valid["message"]);
        await bed.Server.WaitUntilAsync(() => bed.Events("twins").Any(e => (string?)e["type"] == "Warning" && (string?)e["reason"] == "InvalidSpec"), what: "an InvalidSpec warning");
        Assert.DoesNotContain(bed.Server.Requests, r => r.Method == "POST" && r.Path.Contains("/jobs"));
        Assert.DoesNotContain(bed.Server.Requests, r => r.Method == "POST" && r.Path.Contains("/configmaps"));
    }

    [Fact]
    public async Task A_job_that_fails_warns_and_the_shootout_fails_once_too_few_cowboys_can_vote()
    {
        await using var bed = await StartAsync(output);
        await using var op = new RunningOperator(bed);

        bed.Apply("full");
        await bed.WaitForJobsAsync("full", 5);
        bed.StartPods("full");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Running);

        // one cowboy lost: four of five can still vote, and the game goes on
        bed.SetJobCondition(Names.CowboyJob("full", "Peter"), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        await bed.Server.WaitUntilAsync(() => bed.Events("full").Any(e => (string?)e["type"] == "Warning" && (string?)e["reason"] == "BackoffLimitExceeded"), what: "a warning event");
        Assert.Equal(ShootoutPhases.Running, bed.Phase("full"));

        // three lost: two cannot commit a beat, and the game can no longer end
        bed.SetJobCondition(Names.CowboyJob("full", "Sam"), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        bed.SetJobCondition(Names.CowboyJob("full", "John"), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Failed);
        Assert.Contains("the game can no longer end", (string?)bed.Shootout("full")!["status"]!["message"]);
    }

    [Fact]
    public async Task An_operator_that_crashes_mid_reconcile_is_replaced_by_one_that_converges_to_the_same_objects()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");

        // the first operator dies after two of the five Jobs exist (its third create fails, and then it is gone)
        var posts = 0;
        bed.Server.FailNext(r => r.Method == "POST" && r.Path.EndsWith("/jobs") && ++posts == 3, 500, "InternalError");
        await Assert.ThrowsAnyAsync<Exception>(() => bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None));
        Assert.Equal(2, bed.Jobs("full").Count);
        Assert.Null(bed.Phase("full"));

        var before = bed.Jobs("full").Select(j => ((string?)j["metadata"]!["name"], (string?)j["metadata"]!["uid"])).ToList();
        var roster = bed.Server.Get("configmaps", Ns, "full-roster")!;

        // a fresh operator (nothing in memory) finishes the job, twice over, with no duplicates
        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);
        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);

        Assert.Equal(5, bed.Jobs("full").Count);
        Assert.All(before, j => Assert.Contains(bed.Jobs("full"), now => (string?)now["metadata"]!["uid"] == j.Item2));
        Assert.Equal((string?)roster["metadata"]!["uid"], (string?)bed.Server.Get("configmaps", Ns, "full-roster")!["metadata"]!["uid"]);
        Assert.Equal(ShootoutPhases.Pending, bed.Phase("full"));
        Assert.Equal(1, bed.EventReasons("full").Count(r => r == "Created"));
    }

    [Fact]
    public async Task An_operator_that_dies_while_telling_a_change_loses_no_event_and_doubles_none()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);
        bed.StartPods("full");

        // the operator gets as far as telling that the game started, and dies there
        bed.Server.FailNext(r => r.Method == "POST" && r.Path.EndsWith("/events") && r.Body.Contains("\"Started\""), 500, "InternalError");
        await Assert.ThrowsAnyAsync<Exception>(() => bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None));

        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);
        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Running, bed.Phase("full"));
        Assert.Equal(1, bed.EventReasons("full").Count(r => r == "Started"));
        Assert.Equal(1, bed.EventReasons("full").Count(r => r == "Created"));
    }

    [Fact]
    public async Task A_status_write_that_conflicts_is_retried_from_fresh_state()
    {
        await using var bed = await StartAsync(output);
        bed.Server.FailNext(r => r.Method == "PUT" && r.Path.EndsWith("/status"), 409, "Conflict");
        await using var op = new RunningOperator(bed);

        bed.Apply("full");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Pending);
        var statusWrites = bed.Server.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/status"));
        Assert.True(statusWrites >= 2, $"the conflicting status write was not retried ({statusWrites} writes)");
    }

    [Fact]
    public async Task After_410_Gone_the_operator_lists_again_and_still_sees_new_shootouts()
    {
        await using var bed = await StartAsync(output);
        await using var op = new RunningOperator(bed);
        bed.Apply("first");
        await bed.WaitForJobsAsync("first", 5);

        var listsBefore = ShootoutLists(bed);
        bed.Server.Compact();
        bed.Server.DropWatches();
        bed.Apply("second");

        await bed.WaitForJobsAsync("second", 5);
        await bed.Server.WaitUntilAsync(() => ShootoutLists(bed) > listsBefore, what: "a re-list of shootouts");
        Assert.Contains(bed.Server.Requests, r => r.IsWatch && r.Path.EndsWith("/shootouts") && r.QueryValue("allowWatchBookmarks") == "true");
    }

    [Fact]
    public async Task A_finished_shootout_is_never_played_again()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        var controller = bed.Controller();
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        bed.StartPods("full");
        bed.FinishPods("full", _ => SummaryOf(SampleResult));
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Finished, bed.Phase("full"));

        var job = Names.CowboyJob("full", "John");
        bed.Server.Delete("jobs", Ns, job);
        var result = await controller.ReconcileAsync(Ns, "full", CancellationToken.None);

        Assert.Null(result.RequeueAfter);
        Assert.Null(bed.Server.Get("jobs", Ns, job));
        Assert.Equal(SampleResult.Winner, (string?)bed.Shootout("full")!["status"]!["winner"]);
    }

    [Fact]
    public async Task An_edited_spec_does_not_change_the_game_that_was_set_up()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        var controller = bed.Controller();
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);

        // the CRD forbids this; if it happens anyway (no validation, an old API server) it changes nothing
        bed.Server.Update("shootouts", Ns, "full", s => s["spec"]!["cowboys"] = """[{"name": "Zed", "health": 1, "damage": 1}, {"name": "Ann", "health": 1, "damage": 1}]""");
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);

        Assert.Equal(5, bed.Jobs("full").Count);
        Assert.DoesNotContain(bed.Jobs("full"), j => ((string?)j["metadata"]!["name"])!.Contains("zed"));
        Assert.Contains("SpecChangeIgnored", bed.EventReasons("full"));
        // the game played is generation 1's: observedGeneration never claims the edit was applied
        Assert.Equal(1, (long)bed.Shootout("full")!["status"]!["observedGeneration"]!);
    }

    [Fact]
    public async Task A_grant_deleted_or_changed_mid_game_is_created_again_or_put_back_and_the_lease_is_left_alone()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        var controller = bed.Controller();
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        bed.StartPods("full");
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Running, bed.Phase("full"));
        var rules = bed.Server.Get("roles", Ns, "full-cowboys")!["rules"]!.ToJsonString();

        bed.Server.Delete("serviceaccounts", Ns, "full-cowboys");
        bed.Server.Update("roles", Ns, "full-cowboys", r => r["rules"] = new JsonArray(r["rules"]![0]!.DeepClone()));
        bed.Server.Update("rolebindings", Ns, "full-cowboys", b => b["subjects"]![0]!["name"] = "intruder");
        bed.Server.Update("leases", Ns, "full-tiebreak", l => l["metadata"]!["annotations"]!["cowboys.example.com/first-incarnation-0"] = "full-john-x/1");
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);

        Assert.NotNull(bed.Server.Get("serviceaccounts", Ns, "full-cowboys"));
        Assert.Equal(rules, bed.Server.Get("roles", Ns, "full-cowboys")!["rules"]!.ToJsonString());
        Assert.Equal("full-cowboys", (string?)bed.Server.Get("rolebindings", Ns, "full-cowboys")!["subjects"]![0]!["name"]);
        Assert.Equal("full-john-x/1", (string?)bed.Server.Get("leases", Ns, "full-tiebreak")!["metadata"]!["annotations"]!["cowboys.example.com/first-incarnation-0"]);
        Assert.Equal(ShootoutPhases.Running, bed.Phase("full"));
    }

    [Fact]
    public async Task Deleting_the_shootout_removes_everything_it_owned()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(5, bed.Jobs("full").Count);

        bed.Server.Delete("shootouts", Ns, "full");
        await bed.Server.WaitUntilAsync(() => bed.Jobs("full").Count == 0 && bed.Server.Get("configmaps", Ns, "full-roster") is null, what: "the owned objects to be collected");
    }

    [Theory]
    [InlineData("/jobs", 422, "Invalid", "Job.batch \"full-john\" is invalid: metadata.name: Invalid value")]
    [InlineData("/configmaps", 403, "Forbidden", "configmaps is forbidden: User \"system:serviceaccount:cowboys-system:cowboys-operator\" cannot create resource \"configmaps\"")]
    [InlineData("/roles", 400, "BadRequest", "the body of the request was in an unknown format")]
    public async Task A_refusal_that_retrying_cannot_cure_fails_the_shootout_with_the_servers_message(string path, int code, string reason, string message)
    {
        await using var bed = await StartAsync(output);
        bed.Server.FailNext(r => r.Method == "POST" && r.Path.EndsWith(path), code, reason, message);
        await using var op = new RunningOperator(bed);

        bed.Apply("full");
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Failed);

        var status = bed.Shootout("full")!["status"]!;
        Assert.Contains(message, (string?)status["message"]);
        var ready = status["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal(("False", reason), ((string?)ready["status"], (string?)ready["reason"]));
        Assert.Contains(message, (string?)ready["message"]);
        await bed.Server.WaitUntilAsync(() => bed.Events("full").Any(e => (string?)e["type"] == "Warning" && (string?)e["reason"] == reason && ((string?)e["message"])!.Contains(message)),
            what: $"a {reason} warning with the server's message");
        // Failed is final: a later look creates nothing more
        var posts = bed.Server.Requests.Count(r => r.Method == "POST");
        Assert.Null((await bed.Controller().ReconcileAsync(Ns, "full", CancellationToken.None)).RequeueAfter);
        Assert.Equal(posts, bed.Server.Requests.Count(r => r.Method == "POST"));
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(429, "TooManyRequests")]
    [InlineData(504, "Timeout")]
    public async Task An_error_that_may_pass_is_retried_until_the_game_is_set_up(int code, string reason)
    {
        await using var bed = await StartAsync(output);
        for (var i = 0; i < 3; i++) bed.Server.FailNext(r => r.Method == "POST" && r.Path.EndsWith("/jobs"), code, reason);
        await using var op = new RunningOperator(bed);

        bed.Apply("full");
        await bed.WaitForJobsAsync("full", 5);
        await bed.WaitForPhaseAsync("full", ShootoutPhases.Pending);
        Assert.Equal(8, bed.Server.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/jobs")));
        Assert.DoesNotContain(bed.EventReasons("full"), r => r == reason);
    }

    private static ShootoutController ControllerWithGrace(OperatorTestBed bed, TimeSpan grace) =>
        new(new KubernetesShootoutClient(bed.Api), bed.Probe, bed.Options with { StragglerGrace = grace }, TimeProvider.System, bed.Logs.CreateLogger<ShootoutController>());

    /// <summary>The sample applied, its Jobs created and their pods ready: the game runs.</summary>
    private static async Task RunningAsync(OperatorTestBed bed, ShootoutController controller)
    {
        bed.Apply("full");
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        bed.StartPods("full");
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
    }

    [Fact]
    public async Task A_game_a_majority_decided_is_finished_and_the_jobs_still_waiting_are_deleted_after_a_grace()
    {
        await using var bed = await StartAsync(output);
        ShootoutController Controller(TimeSpan grace) => ControllerWithGrace(bed, grace);
        await RunningAsync(bed, Controller(TimeSpan.FromMinutes(5)));
        Assert.Equal(ShootoutPhases.Running, bed.Phase("full"));

        // John, Bill and Sam end with the result; Peter's and Philip's pods wait for a game that is over
        string[] decided = ["John", "Bill", "Sam"];
        bed.FinishPods("full", _ => SummaryOf(SampleResult), only: decided);

        var waiting = await Controller(TimeSpan.FromMinutes(5)).ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Finished, bed.Phase("full"));
        Assert.Equal(SampleResult.Winner, (string?)bed.Shootout("full")!["status"]!["winner"]);
        Assert.Equal(TimeSpan.FromMinutes(5), waiting.RequeueAfter);
        Assert.Equal(5, bed.Jobs("full").Count);
        // within the grace the stragglers are left to end by themselves
        var early = await Controller(TimeSpan.FromMinutes(5)).ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.NotNull(early.RequeueAfter);
        Assert.Equal(5, bed.Jobs("full").Count);

        var swept = await Controller(TimeSpan.Zero).ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Null(swept.RequeueAfter);
        Assert.Equal(decided.Select(c => Names.CowboyJob("full", c)).Order(), bed.Jobs("full").Select(j => (string)j["metadata"]!["name"]!).Order());
        var deletes = bed.Server.Requests.Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.Contains("\"propagationPolicy\":\"Background\"", d.Body));
        await bed.Server.WaitUntilAsync(() => bed.Server.List("pods", Ns, Labels.ShootoutSelector("full")).Count == 3, what: "the stragglers' pods to be collected");
        Assert.Equal(SampleResult.Winner, (string?)bed.Shootout("full")!["status"]!["winner"]);
    }

    [Fact]
    public async Task A_failed_games_jobs_still_running_are_deleted_after_the_grace_like_a_decided_games()
    {
        await using var bed = await StartAsync(output);
        ShootoutController Controller(TimeSpan grace) => ControllerWithGrace(bed, grace);
        await RunningAsync(bed, Controller(TimeSpan.FromMinutes(5)));

        // three cowboys lost: the game can no longer end, and the two others would wait in vain
        foreach (var lost in new[] { "Peter", "Sam", "John" }) bed.SetJobCondition(Names.CowboyJob("full", lost), "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        var failed = await Controller(TimeSpan.FromMinutes(5)).ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Failed, bed.Phase("full"));
        Assert.Equal(TimeSpan.FromMinutes(5), failed.RequeueAfter);
        Assert.Equal(5, bed.Jobs("full").Count);

        var swept = await Controller(TimeSpan.Zero).ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Null(swept.RequeueAfter);
        Assert.Equal(new[] { "Peter", "Sam", "John" }.Select(c => Names.CowboyJob("full", c)).Order(), bed.Jobs("full").Select(j => (string)j["metadata"]!["name"]!).Order());
        Assert.Equal(ShootoutPhases.Failed, bed.Phase("full"));
    }

    [Fact]
    public async Task A_straggler_the_server_will_not_let_go_leaves_the_result_standing_and_is_not_retried()
    {
        await using var bed = await StartAsync(output);
        bed.Apply("full");
        var controller = new ShootoutController(new KubernetesShootoutClient(bed.Api), bed.Probe, bed.Options with { StragglerGrace = TimeSpan.Zero },
            TimeProvider.System, bed.Logs.CreateLogger<ShootoutController>());
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        bed.StartPods("full");
        bed.FinishPods("full", _ => SummaryOf(SampleResult), only: ["John", "Bill", "Sam", "Peter"]);
        await controller.ReconcileAsync(Ns, "full", CancellationToken.None);
        Assert.Equal(ShootoutPhases.Finished, bed.Phase("full"));

        bed.Server.FailNext(r => r.Method == "DELETE", 403, "Forbidden", "jobs.batch is forbidden: cannot delete");
        var result = await controller.ReconcileAsync(Ns, "full", CancellationToken.None);

        Assert.Null(result.RequeueAfter);
        Assert.Contains(bed.Jobs("full"), j => (string?)j["metadata"]!["name"] == Names.CowboyJob("full", "Philip"));
        Assert.Equal(ShootoutPhases.Finished, bed.Phase("full"));
        Assert.Equal(SampleResult.Winner, (string?)bed.Shootout("full")!["status"]!["winner"]);
    }

    private static int ShootoutLists(OperatorTestBed bed) =>
        bed.Server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/shootouts") && !r.IsWatch);
}
