using System.Collections.Concurrent;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Leader;
using Cowboys.Actors.Protocol;

namespace Cowboys.Host.Inspection;

/// <summary>What a request on /cluster/members/{address} comes to, decided without touching the cluster.</summary>
public abstract record MemberAction
{
    public sealed record Show : MemberAction;
    public sealed record Leave : MemberAction;
    public sealed record Down : MemberAction;
    public sealed record Refuse(int Status, string? Message) : MemberAction;

    /// <summary>
    /// As Akka Management's routes: in read-only mode anything but GET is 405 before the member is
    /// looked up; an unknown member is 404; PUT takes the form field operation=Leave|Down (any
    /// case), anything else 400; DELETE leaves.
    /// </summary>
    public static MemberAction Decide(string method, bool readOnly, string address, bool found, string? operation)
    {
        if (readOnly && method != HttpMethods.Get) return new Refuse(StatusCodes.Status405MethodNotAllowed, null);
        if (!found) return new Refuse(StatusCodes.Status404NotFound, $"Member [{address}] not found");
        if (method == HttpMethods.Get) return new Show();
        if (method == HttpMethods.Delete) return new Leave();
        if (method != HttpMethods.Put) return new Refuse(StatusCodes.Status405MethodNotAllowed, null);
        if (operation is null) return new Refuse(StatusCodes.Status400BadRequest, "Request is missing required form field 'operation'");
        if (operation.Equals("leave", StringComparison.OrdinalIgnoreCase)) return new Leave();
        if (operation.Equals("down", StringComparison.OrdinalIgnoreCase)) return new Down();
        return new Refuse(StatusCodes.Status400BadRequest, "Operation not supported");
    }
}

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

/// <summary>The routes, on the cowboy's ASP.NET Core endpoint.</summary>
public static class ClusterHttpManagementRoutes
{
    public static void MapClusterHttpManagement(this IEndpointRouteBuilder app, bool readOnly)
    {
        // this project's own route, not Akka Management's: the changes as the cluster publishes them, one JSON line each
        app.MapGet("/cluster/changes", async (HttpContext http, ClusterHttpManagement cluster, IHostApplicationLifetime lifetime) =>
        {
            // a stream open when the cowboy stops must not hold up its exit
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            http.Response.ContentType = "application/x-ndjson";
            try
            {
                await http.Response.Body.FlushAsync(ended.Token);
                await foreach (var change in cluster.ChangesAsync(ended.Token))
                {
                    await http.Response.WriteAsync(change.ToJson() + "\n", ended.Token);
                    await http.Response.Body.FlushAsync(ended.Token);
                }
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                // the client went away, or this cowboy stops
            }
        });

        // one route: a catch-all also matches /cluster/members itself, which two routes would make ambiguous
        app.MapMethods("/cluster/members/{**address}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Post, HttpMethods.Patch],
            async (HttpContext http, ClusterHttpManagement cluster, string? address) =>
            {
                if (string.IsNullOrEmpty(address))
                {
                    if (http.Request.Method == HttpMethods.Get) return Results.Text((await cluster.MembersAsync()).ToJson(), "application/json");
                    if (http.Request.Method != HttpMethods.Post || readOnly) return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
                    // POST address=...: this member joins the cluster at that address (Akka Management's join)
                    var join = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["address"].FirstOrDefault() : null;
                    if (join is null) return Message(StatusCodes.Status400BadRequest, "Request is missing required form field 'address'");
                    if (!Address.TryParse(join, out var seed)) return Message(StatusCodes.Status400BadRequest, $"'{join}' is not a member address such as akka.tcp://cowboys@127.0.0.1:4053");
                    cluster.Join(seed);
                    return Message(StatusCodes.Status200OK, $"Joining {seed}");
                }
                // the address may come URL-encoded (akka.tcp%3A%2F%2F...) or as it is
                var decoded = Uri.UnescapeDataString(address);
                var member = readOnly && http.Request.Method != HttpMethods.Get ? null : cluster.Find(decoded);
                string? operation = null;
                if (http.Request.Method == HttpMethods.Put && http.Request.HasFormContentType)
                {
                    operation = (await http.Request.ReadFormAsync(http.RequestAborted))["operation"].FirstOrDefault();
                }
                switch (MemberAction.Decide(http.Request.Method, readOnly, decoded, member is not null, operation))
                {
                    case MemberAction.Show:
                        return Results.Text((await cluster.MemberAsync(member!)).ToJson(), "application/json");
                    case MemberAction.Leave:
                        cluster.Leave(member!);
                        return Message(StatusCodes.Status200OK, $"Leaving {member!.Address}");
                    case MemberAction.Down:
                        cluster.Down(member!);
                        return Message(StatusCodes.Status200OK, $"Downing {member!.Address}");
                    case MemberAction.Refuse { Message: null } r:
                        return Results.StatusCode(r.Status);
                    case MemberAction.Refuse r:
                        return Message(r.Status, r.Message!);
                    default:
                        return Results.StatusCode(StatusCodes.Status500InternalServerError);
                }
            });
    }

    private static IResult Message(int status, string message) => Results.Text(new ClusterHttpMessage(message).ToJson(), "application/json", statusCode: status);
}
