using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Actors.Node.Leader;
using Cowboys.Actors.Protocol;

namespace Cowboys.Host.Inspection;

/// <summary>
/// Akka Management's Cluster HTTP API (/cluster/members), which the .NET port does not serve,
/// on the cowboy's own HTTP endpoint (docs/decisions/0016-inspection-and-metrics.md). Changes
/// (leave, down) are refused unless the cowboy runs with --cluster-http-read-only false.
/// </summary>
public sealed class ClusterHttpManagement(ActorSystem system)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);

    // Akka.NET keeps who observed whom unreachable in the cluster's internal read view, as the
    // JVM does (Akka Management reads it the same way); without it, only this node's own view.
    private static readonly PropertyInfo? ReadView = typeof(Akka.Cluster.Cluster).GetProperty("ReadView", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(system);
    private readonly ConcurrentDictionary<UniqueAddress, string> _names = new();

    /// <summary>The member list, with each member's cowboy and the game leader's host asked of the reachable members.</summary>
    public async Task<ClusterMembersJson> MembersAsync()
    {
        var asked = _cluster.State;
        var reachable = asked.Members.Where(m => !asked.Unreachable.Contains(m) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving).ToList();
        var names = await Task.WhenAll(reachable.Select(NameOfAsync));
        var hosts = await Task.WhenAll(reachable.Select(HostsGameLeaderAsync));
        // the membership as it is once the answers are in: a member silent meanwhile shows unreachable now, not at the next request
        var state = _cluster.State;
        // an unreachable member keeps the name it answered with before
        var cowboys = state.Members.Where(m => _names.ContainsKey(m.UniqueAddress)).ToDictionary(m => m.Address, m => _names[m.UniqueAddress]);
        foreach (var (m, name) in reachable.Zip(names)) if (name is not null) cowboys[m.Address] = name;
        var snapshot = new ClusterSnapshot(_cluster.SelfAddress, state.Members, UnreachableObservers(state), state.Leader, cowboys,
            reachable.Zip(hosts).Where(p => p.Second).Select(p => p.First.Address).FirstOrDefault());
        return snapshot.ToJson();
    }

    /// <summary>
    /// The members as they are, then every membership and reachability change as this member's
    /// cluster publishes it, until <paramref name="ct"/> or this system stops. A member's cowboy is
    /// asked while it is reachable and remembered after.
    /// </summary>
    public async IAsyncEnumerable<ClusterChange> ChangesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<object>(new() { SingleReader = true });
        var forwarder = system.ActorOf(ClusterEventForwarder.Props(channel.Writer));
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(ct))
            {
                var (changes, initial) = e switch
                {
                    ClusterEvent.CurrentClusterState state => (ClusterChanges.Initial(state), true),
                    ClusterEvent.IClusterDomainEvent domain when ClusterChanges.Of(domain) is { } change => ([change], false),
                    _ => ((IReadOnlyList<(Member, string)>)[], false),
                };
                foreach (var (member, status) in changes)
                {
                    var time = DateTimeOffset.UtcNow;
                    var cowboy = status is "up" or "weakly-up" or "joining" or "leaving" or "reachable" ? await NameOfAsync(member) : _names.GetValueOrDefault(member.UniqueAddress);
                    yield return new ClusterChange(time, member.Address.ToString(), cowboy, status, initial);
                }
            }
        }
        finally
        {
            system.Stop(forwarder);
        }
    }

    public Member? Find(string address) => ClusterSnapshot.Find(_cluster.State.Members, address);

    public async Task<ClusterMemberJson> MemberAsync(Member member)
    {
        var name = await NameOfAsync(member);
        var cowboys = name is null ? new Dictionary<Address, string>() : new Dictionary<Address, string> { [member.Address] = name };
        return new ClusterSnapshot(_cluster.SelfAddress, [member], new Dictionary<UniqueAddress, IReadOnlyCollection<UniqueAddress>>(), null, cowboys, null).ToMember(member);
    }

    public void Leave(Member member) => _cluster.Leave(member.Address);

    public void Down(Member member) => _cluster.Down(member.Address);

    public void Join(Address address) => _cluster.Join(address);

    private IReadOnlyDictionary<UniqueAddress, IReadOnlyCollection<UniqueAddress>> UnreachableObservers(ClusterEvent.CurrentClusterState state)
    {
        var view = ReadView?.GetValue(_cluster);
        var reachability = view?.GetType().GetProperty("Reachability")?.GetValue(view);
        if (reachability?.GetType().GetProperty("ObserversGroupedByUnreachable")?.GetValue(reachability)
            is IReadOnlyDictionary<UniqueAddress, System.Collections.Immutable.ImmutableHashSet<UniqueAddress>> observers)
        {
            return observers.ToDictionary(p => p.Key, p => (IReadOnlyCollection<UniqueAddress>)p.Value);
        }
        return state.Unreachable.ToDictionary(m => m.UniqueAddress, _ => (IReadOnlyCollection<UniqueAddress>)[_cluster.SelfUniqueAddress]);
    }

    private async Task<string?> NameOfAsync(Member member)
    {
        if (_names.TryGetValue(member.UniqueAddress, out var known)) return known;
        try
        {
            var hello = await system.ActorSelection(new RootActorPath(member.Address) / "user" / CowboyActor.ActorName).Ask<Hello>(WhoAreYou.Instance, AskTimeout);
            return _names[member.UniqueAddress] = hello.Name;
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException or ActorNotFoundException or InvalidOperationException)
        {
            return null; // not (yet) a cowboy that answers, or this system is stopping: the member is shown without a name
        }
    }

    /// <summary>Whether the game's leader singleton runs on that member: Akka.Hosting names the manager and its child both "leader".</summary>
    private async Task<bool> HostsGameLeaderAsync(Member member)
    {
        try
        {
            var identity = await system.ActorSelection(new RootActorPath(member.Address) / "user" / GameMaster.SingletonName / GameMaster.SingletonName)
                .Ask<ActorIdentity>(new Identify(null), AskTimeout);
            return identity.Subject is not null;
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
