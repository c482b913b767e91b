using Akka.Configuration;
using Akka.Coordination;
using Cowboys.Actors.Protocol;
using Cowboys.Host.Coordination;
using k8s;
using k8s.Models;
using Cowboys.Sandbox.Api;
using Xunit;

namespace Cowboys.Tests.Host.Coordination;

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
    public async Task Of_concurrent_pods_of_one_cowboy_exactly_one_claims_the_vote_and_a_later_pod_finds_it_taken()
    {
        var claims = Enumerable.Range(0, 12).Select(i => (Claimant: $"pod-{i}", Claim: new KubernetesIncarnationClaim(_server.CreateClient(), Ns, Name))).ToList();
        var won = await Task.WhenAll(claims.Select(c => c.Claim.ClaimAsync(3, c.Claimant, _ => { }, CancellationToken.None)));
        Assert.Single(won, w => w);

        // another cowboy's first pod is not affected, and the winner asking again is told it still is the first
        Assert.True(await claims[0].Claim.ClaimAsync(4, "pod-0", _ => { }, CancellationToken.None));
        var winner = claims[Array.IndexOf(won, true)].Claimant;
        Assert.True(await claims[0].Claim.ClaimAsync(3, winner, _ => { }, CancellationToken.None));
        Assert.False(await claims[0].Claim.ClaimAsync(3, "replacement", _ => { }, CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_waits_for_the_Lease_to_exist_and_says_so_once()
    {
        var claim = new KubernetesIncarnationClaim(_server.CreateClient(), Ns, "not-yet");
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var first = new TaskCompletionSource();
        var claiming = claim.ClaimAsync(0, "pod-a", line => { said.Enqueue(line); first.TrySetResult(); }, CancellationToken.None);
        using var client = _server.CreateClient();
        await first.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(claiming.IsCompleted);
        await client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = "not-yet", NamespaceProperty = Ns }, Spec = new V1LeaseSpec() }, Ns);

        Assert.True(await claiming.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("404", Assert.Single(said));
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
        await Eventually.Until(() => ann.Acquire(), TimeSpan.FromSeconds(10), "the expired lease to be free again");
        Assert.True(ann.CheckLease());
    }

    private KubernetesLease Lease(string owner, TimeSpan timeout)
    {
        var config = ConfigurationFactory.ParseString($"namespace = \"{Ns}\"\nname = \"{Name}\"");
        return new KubernetesLease(new LeaseSettings(Name, owner, new TimeoutSettings(TimeSpan.FromHours(1), timeout, TimeSpan.FromSeconds(5)), config), _server.CreateClient());
    }
}
