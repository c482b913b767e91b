using Akka.Configuration;
using Akka.Coordination;
using Cowboys.Actors.Protocol;
using Cowboys.Host.Coordination;
using k8s;
using k8s.Models;
using Cowboys.Sandbox.Api;
using Xunit;

namespace Cowboys.Tests.Kubernetes;

/// <summary>The game's tie-break Lease through the real KubernetesClient: the witness's compare-and-swap and the SBR's lease.</summary>
public sealed class KubernetesTieBreakTests : IAsyncLifetime
{
    private const string Ns = "cowboys";
    private const string Name = "full-tiebreak";
    private ApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        using var client = _server.CreateClient();
        await client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = Ns }, Spec = new V1LeaseSpec() }, Ns);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Concurrent_changes_to_the_witness_are_linearizable_no_update_is_lost()
    {
        // thirty writers at once, each adding one to the promise: a lost update would leave less than thirty
        var stores = Enumerable.Range(0, 30).Select(_ => new KubernetesWitnessStore(_server.CreateClient(), Ns, Name)).ToList();
        await Task.WhenAll(stores.Select(s => s.UpdateAsync(r => r with { Promised = r.Promised + 1 }, CancellationToken.None)));

        using var client = _server.CreateClient();
        Assert.Equal(30, KubernetesWitnessStore.Read(await client.CoordinationV1.ReadNamespacedLeaseAsync(Name, Ns)).Promised);
    }

    [Fact]
    public async Task The_witness_keeps_its_promise_and_refuses_a_lower_epoch()
    {
        var store = new KubernetesWitnessStore(_server.CreateClient(), Ns, Name);
        WitnessAccepted? accepted = null;
        await store.UpdateAsync(r => r.Prepare(7, "leader-a").Next, CancellationToken.None);
        var after = await store.UpdateAsync(r =>
        {
            var (next, answer) = r.Accept(5, new Position(5, 3));
            accepted = answer;
            return next;
        }, CancellationToken.None);

        Assert.False(accepted!.Granted);
        Assert.Equal(new WitnessRecord(7, "leader-a", Position.Start), after);
    }

    [Fact]
    public async Task One_holder_at_a_time_and_the_lease_is_free_again_once_released_or_expired()
    {
        var ann = Lease("ann", TimeSpan.FromSeconds(1));
        var bob = Lease("bob", TimeSpan.FromSeconds(1));

        Assert.True(await ann.Acquire());
        Assert.False(await bob.Acquire());
        Assert.True(await ann.Release());
        Assert.True(await bob.Acquire());
        Assert.False(await ann.Acquire());

        // bob renews only every hour here, as if his process had died: once his second is up, ann takes it
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await ann.Acquire())
        {
            Assert.True(DateTime.UtcNow < deadline, "an expired lease was never free again");
            await Task.Delay(200);
        }
        Assert.True(ann.CheckLease());
    }

    private KubernetesLease Lease(string owner, TimeSpan timeout)
    {
        var config = ConfigurationFactory.ParseString($"namespace = \"{Ns}\"\nname = \"{Name}\"");
        return new KubernetesLease(new LeaseSettings(Name, owner, new TimeoutSettings(TimeSpan.FromHours(1), timeout, TimeSpan.FromSeconds(5)), config), _server.CreateClient());
    }
}
