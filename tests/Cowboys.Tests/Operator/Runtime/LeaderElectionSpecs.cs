using Cowboys.Operator.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Cowboys.Tests.Operator.Runtime;

/// <summary>Two operator replicas against one API server: the Lease decides which one acts.</summary>
public sealed class LeaderElectionSpecs(ITestOutputHelper output)
{
    private const string LeaseNamespace = "cowboys-system";

    [Fact]
    public async Task Only_the_lease_holder_acts_and_the_other_replica_takes_over_when_it_dies()
    {
        await using var bed = await OperatorTestBed.StartAsync(output);
        var a = Replica(bed, "operator-a");
        var b = Replica(bed, "operator-b");

        await a.Service.StartAsync(CancellationToken.None);
        await bed.Server.WaitUntilAsync(() => Holder(bed) == "operator-a" && a.Health.IsLeading, what: "operator-a to lead");
        await b.Service.StartAsync(CancellationToken.None);
        await bed.Server.WaitUntilAsync(() => b.Health.IsStarted, what: "operator-b to take part");

        bed.Apply("first");
        await bed.WaitForJobsAsync("first", 5);
        Assert.True(a.Health.IsLeading);
        Assert.False(b.Health.IsLeading, "both replicas act");
        Assert.Equal("operator-a", Holder(bed));

        // the leader goes away without a goodbye; the follower waits out the Lease and takes over
        await a.Service.StopAsync(CancellationToken.None);
        Assert.False(a.Health.IsLeading);
        await bed.Server.WaitUntilAsync(() => Holder(bed) == "operator-b" && b.Health.IsLeading, TimeSpan.FromSeconds(20), "operator-b to take over");

        bed.Apply("second");
        await bed.WaitForJobsAsync("second", 5);
        Assert.False(a.Health.IsLeading);
        Assert.False(a.Lifetime.StopRequested || b.Lifetime.StopRequested, "a replica gave up");
        await b.Service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_leader_election_a_Lease_namespace_that_does_not_exist_stops_the_operator_saying_what_to_do()
    {
        // as a real API server: nothing is created in a namespace that does not exist
        await using var server = await Cowboys.Sandbox.Api.ApiServer.StartAsync(requireNamespaces: true);
        using var api = server.CreateClient();
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var logs = LoggerFactory.Create(b => b.AddProvider(new Cowboys.Tests.Actors.Node.XunitLoggerProvider(output, "operator", lines)));
        var lifetime = new StubLifetime();
        var options = OperatorFixtures.Options with { Identity = "operator-x", LeaderElect = true, LeaseNamespace = "nowhere", RetryPeriod = TimeSpan.FromMilliseconds(250) };
        var service = new LeaderElectedOperator(api, options, logs, lifetime, new OperatorHealth());

        await service.StartAsync(CancellationToken.None);
        await lifetime.Stopping.WaitAsync(TimeSpan.FromSeconds(20));
        await service.StopAsync(CancellationToken.None);

        Assert.Contains(lines, l => l.Contains("the leader election namespace nowhere does not exist: create it", StringComparison.Ordinal));
        Environment.ExitCode = 0; // the test host's: the operator set 1 for its process
    }

    [Fact]
    public async Task Without_leader_election_the_operator_reconciles_at_once_and_takes_no_Lease()
    {
        await using var bed = await OperatorTestBed.StartAsync(output);
        var health = new OperatorHealth();
        var service = new LeaderElectedOperator(bed.Api, bed.Options with { Identity = "local", LeaderElect = false }, bed.Logs, new StubLifetime(), health);

        await service.StartAsync(CancellationToken.None);
        bed.Apply("local");
        await bed.WaitForJobsAsync("local", 5);
        Assert.True(health.IsLeading);
        Assert.Null(Holder(bed));
        await service.StopAsync(CancellationToken.None);
    }

    private static string? Holder(OperatorTestBed bed) =>
        (string?)bed.Server.Get("leases", LeaseNamespace, "cowboys-operator")?["spec"]?["holderIdentity"];

    private static (LeaderElectedOperator Service, OperatorHealth Health, StubLifetime Lifetime) Replica(OperatorTestBed bed, string identity)
    {
        var options = bed.Options with
        {
            Identity = identity,
            LeaderElect = true,
            LeaseNamespace = LeaseNamespace,
            // whole seconds: the client writes leaseDurationSeconds as an integer
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(250),
        };
        var health = new OperatorHealth();
        var lifetime = new StubLifetime();
        return (new LeaderElectedOperator(bed.Api, options, bed.Logs, lifetime, health), health, lifetime);
    }

    private sealed class StubLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public bool StopRequested { get; private set; }

        private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the service asks the application to stop.</summary>
        public Task Stopping => _stopping.Task;

        public void StopApplication()
        {
            StopRequested = true;
            _stopping.TrySetResult();
        }
    }
}
