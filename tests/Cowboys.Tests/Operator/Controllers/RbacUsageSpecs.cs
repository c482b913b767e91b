using Cowboys.Operator.Entities;
using Cowboys.Operator.Runtime;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;
using static Cowboys.Tests.Operator.OperatorTestBed;
using Cowboys.Tests.Manifests;

namespace Cowboys.Tests.Operator.Controllers;

/// <summary>
/// The operator's real requests (leader election, watches, a game decided by a majority, the sweep
/// of its stragglers) against each install's grants, both ways: nothing it asks is refused, and
/// nothing granted goes unasked, but what it grants the cowboys.
/// </summary>
public sealed class RbacUsageSpecs(ITestOutputHelper output)
{
    private static readonly Cowboys.Actors.Game.Results.GameResult SampleResult =
        Cowboys.Actors.Game.Rules.Referee.Play(Cowboys.Actors.Game.Rosters.RosterParser.ParseSpecCowboys("full", OperatorFixtures.SampleCowboys), Cowboys.Actors.Game.Rules.RuleSet.Sequential, 42);

    [Theory]
    [InlineData("manifests", false)]
    [InlineData("manifests/namespaced", true)]
    public async Task A_whole_game_asks_for_exactly_what_the_install_grants(string install, bool namespaced)
    {
        await using var bed = await StartAsync(output);
        var options = bed.Options with
        {
            Namespaces = namespaced ? [Ns] : [],
            Identity = "operator-a",
            LeaderElect = true,
            LeaseNamespace = "cowboys-system",
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
            StragglerGrace = TimeSpan.Zero,
        };
        var health = new OperatorHealth();
        var service = new LeaderElectedOperator(bed.Api, options, bed.Logs, new NoLifetime(), health);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await bed.Server.WaitUntilAsync(() => health.IsLeading, what: "the operator to lead");
            bed.Apply("full");
            await bed.WaitForJobsAsync("full", 5);
            // a grant changed by hand mid-game is put back by the next reconcile (the pods' events start one):
            // the operator's update of roles and rolebindings
            bed.Server.Update("roles", Ns, "full-cowboys", r => r["rules"] = new System.Text.Json.Nodes.JsonArray(r["rules"]![0]!.DeepClone()));
            bed.Server.Update("rolebindings", Ns, "full-cowboys", b => b["subjects"]![0]!["name"] = "intruder");
            bed.StartPods("full", ready: false);
            await bed.Server.WaitUntilAsync(() => bed.Server.Get("roles", Ns, "full-cowboys")!["rules"]!.AsArray().Count > 1
                && (string?)bed.Server.Get("rolebindings", Ns, "full-cowboys")!["subjects"]![0]!["name"] == "full-cowboys", what: "the grants to be put back");
            // not ready: nobody is probed (the pods are no processes); three of five report the end, two wait
            bed.FinishPods("full", _ => SummaryOf(SampleResult), only: ["John", "Bill", "Sam"]);
            await bed.WaitForPhaseAsync("full", ShootoutPhases.Finished);
            await bed.Server.WaitUntilAsync(() => bed.Jobs("full").Count == 3, what: "the stragglers' Jobs to be deleted");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        var grants = RbacCheck.Grants(install);
        Assert.Empty(RbacCheck.Refused(grants, bed.Server.Requests));
        Assert.Empty(RbacCheck.Unused(grants, bed.Server.Requests, RbacCheckTests.HandedOut));
    }

    [Fact]
    public async Task An_operator_given_namespaces_ignores_shootouts_in_any_other()
    {
        await using var bed = await StartAsync(output);
        var op = new RunningOperator(bed, bed.Options with { Namespaces = [Ns] });
        await using (op)
        {
            bed.Server.Seed(System.Text.Json.Nodes.JsonNode.Parse("""
                {"apiVersion": "example.com/v1alpha1", "kind": "Shootout", "metadata": {"name": "elsewhere", "namespace": "other"},
                 "spec": {"cowboys": "[{\"name\": \"A\", \"health\": 1, \"damage\": 1}, {\"name\": \"B\", \"health\": 1, \"damage\": 1}]"}}
                """)!.AsObject());
            bed.Apply("full");
            await bed.WaitForJobsAsync("full", 5);
            await bed.WaitForPhaseAsync("full", ShootoutPhases.Pending);
        }
        Assert.Empty(bed.Server.List("jobs", "other"));
        Assert.Null(bed.Server.Get("shootouts", "other", "elsewhere")!["status"]);
        Assert.All(bed.Server.Requests, r => Assert.Contains($"/namespaces/{Ns}/", r.Path + "/"));
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
