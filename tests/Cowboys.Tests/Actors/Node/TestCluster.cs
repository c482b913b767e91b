using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote;
using Akka.Remote.Transport;
using Cowboys.Actors.Node.Cowboy;
using Cowboys.Actors.Protocol;
using Cowboys.Actors.Node.Hosting;
using Cowboys.Actors.Game.Results;
using Cowboys.Actors.Game.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cowboys.Tests.Actors.Node;

/// <summary>
/// Several cowboy nodes in one test process, each its own ActorSystem with real remoting over TCP
/// on 127.0.0.1, joined through a seed list: the way Akka.NET's own cluster specs run without
/// the multi-node runner.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestNode> _nodes = new();

    private readonly ITestOutputHelper _output;

    public TestCluster(GameSettings game, ITestOutputHelper output, bool throttled = false)
    {
        Game = game;
        _output = output;
        _throttled = throttled;
        // all at once: one port at a time could hand two members the same one (seen: two nodes "listening" on one port)
        Ports = TestPorts.Take(game.Roster.Count);
    }

    private readonly bool _throttled;
    private readonly string _workDir = Directory.CreateTempSubdirectory("cowboys-test-").FullName;

    private string LeaseFile => Path.Combine(_workDir, "sbr.lease");

    /// <summary>
    /// The throttler adapter, so that links can be blackholed; and a resolver that waits for a
    /// partition to be whole. The cut is applied link by link (and again where a link missed it):
    /// a resolver that decided while one link still worked would count that peer on its side (seen:
    /// the minority believed it held 3 of 5 and downed the majority). A real partition is one event;
    /// the removal margin stays at least stable-after, as ClusterScale keeps it.
    /// </summary>
    private const string ThrottledHocon = """
        akka.remote.dot-netty.tcp.applied-adapters = [trttl]
        akka.cluster.split-brain-resolver.stable-after = 4s
        akka.cluster.down-removal-margin = 4s
        """;

    /// <summary>Remoting through the throttler transport adapter, so that links can be blackholed (a partition).</summary>
    private string Protocol => _throttled ? "akka.trttl.tcp" : "akka.tcp";

    public GameSettings Game { get; }

    public IReadOnlyList<int> Ports { get; }

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public string[] SeedNodes => [$"{Protocol}://cowboys@127.0.0.1:{Ports[0]}"];

    public async Task<TestNode> StartAsync(int index, GameSettings? settings = null, Func<Props, Props>? wrapCowboy = null)
    {
        var game = settings ?? Game;
        var name = Game.Roster.Cowboys[index].Name;
        var observer = new ResultObserver();
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // each node keeps its replica in its own directory, the same across restarts, as play does
        var cowboy = CowboyActor.Props(game, name, observer, Path.Combine(_workDir, "state", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (wrapCowboy is not null) cowboy = wrapCowboy(cowboy);
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("cowboys", builder => builder
                .ConfigureLoggers(logging =>
                {
                    logging.ClearLoggers();
                    logging.AddLoggerFactory(LoggerFactory.Create(f => f.AddProvider(new XunitLoggerProvider(_output, name, log))));
                })
                .WithCowboyCluster(new CowboyNodeOptions { Name = name, RemotingPort = Ports[index], SeedNodes = SeedNodes, LeaseFile = LeaseFile, WitnessFile = Path.Combine(_workDir, "witness.json") }, game, cowboy)
                .AddHocon(_throttled ? ThrottledHocon : "", HoconAddMode.Prepend)))
            .Build();
        await host.StartAsync();
        var node = new TestNode(name, index, host, host.Services.GetRequiredService<ActorSystem>(), observer, log);
        _nodes.Add(node);
        return node;
    }

    public async Task StartAllAsync(Func<int, GameSettings>? settings = null)
    {
        for (var i = 0; i < Game.Roster.Count; i++) await StartAsync(i, settings?.Invoke(i));
    }

    /// <summary>A crash, not a leave: the ActorSystem stops without telling anybody, as under kill -9.</summary>
    public static void Crash(TestNode node) => ((ExtendedActorSystem)node.System).Abort();

    /// <summary>
    /// Cuts every link between the two groups, in both directions, and returns once every node of
    /// each side sees every node of the other as unreachable. A blackhole set while a link is being
    /// (re)associated can miss it (seen: one node still heard one of the other side, so each side
    /// believed it was the majority), so the cut is applied again until it shows.
    /// </summary>
    public static async Task PartitionAsync(IEnumerable<TestNode> side, IEnumerable<TestNode> otherSide)
    {
        var ours = side.ToList();
        var others = otherSide.ToList();
        var cuts = 0;
        var cutAt = DateTime.MinValue;
        await Eventually.Until(async () =>
        {
            // well within the resolver's stable-after (ThrottledHocon): a link that missed the cut is cut again before anybody decides
            if (DateTime.UtcNow - cutAt >= TimeSpan.FromSeconds(1))
            {
                foreach (var a in ours)
                {
                    foreach (var b in others)
                    {
                        await Throttle(a, b, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance);
                        await Throttle(b, a, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance);
                    }
                }
                cuts++;
                cutAt = DateTime.UtcNow;
            }
            return Reaching(ours, others).Concat(Reaching(others, ours)).ToList();
        }, reaching => reaching.Count == 0, TimeSpan.FromSeconds(60), "every node of each side to see the other side unreachable",
            reaching => $"{string.Join(", ", reaching)} (cut {cuts} times)", every: TimeSpan.FromMilliseconds(100));

        // what a live node of one side still sees as a reachable member of the other
        static IEnumerable<string> Reaching(List<TestNode> from, List<TestNode> to) => from.Where(n => !n.System.WhenTerminated.IsCompleted).SelectMany(n =>
        {
            var state = Akka.Cluster.Cluster.Get(n.System).State;
            return to.Where(t => !state.Unreachable.Any(u => u.Address.Equals(AddressOf(t))) && state.Members.Any(m => m.Address.Equals(AddressOf(t))))
                .Select(t => $"{n.Name} still reaches {t.Name}");
        });
    }

    /// <summary>Restores every link between the two groups, in both directions.</summary>
    public static async Task HealAsync(IEnumerable<TestNode> side, IEnumerable<TestNode> otherSide)
    {
        foreach (var a in side.Where(n => !n.System.WhenTerminated.IsCompleted))
        {
            foreach (var b in otherSide.Where(n => !n.System.WhenTerminated.IsCompleted))
            {
                await Throttle(a, b, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance);
                await Throttle(b, a, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance);
            }
        }
    }

    private static Address AddressOf(TestNode node) => Akka.Cluster.Cluster.Get(node.System).SelfAddress;

    /// <summary>Drops everything one node sends to the others (it hears them, they do not hear it), until released.</summary>
    public static async Task SilenceAsync(TestNode node, IEnumerable<TestNode> others, bool silenced)
    {
        foreach (var other in others)
        {
            // a node downed meanwhile has no remoting left to release
            if (node.System.WhenTerminated.IsCompleted || other.System.WhenTerminated.IsCompleted) continue;
            await Throttle(node, other, ThrottleTransportAdapter.Direction.Send, silenced ? Blackhole.Instance : Unthrottled.Instance);
        }
    }

    private static Task Throttle(TestNode from, TestNode to, ThrottleTransportAdapter.Direction direction, ThrottleMode mode) =>
        ((IRemoteActorRefProvider)((ExtendedActorSystem)from.System).Provider).Transport.ManagementCommand(
            new SetThrottle(Akka.Cluster.Cluster.Get(to.System).SelfAddress, direction, mode));

    /// <summary>Waits until every node sees every node Up: partitions cut a settled cluster, not one still gossiping its joins.</summary>
    public Task WaitForConvergenceAsync(TimeSpan limit) =>
        Eventually.Until(() => _nodes.Select(n => Akka.Cluster.Cluster.Get(n.System).State)
                .Select(s => (Up: s.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up), Unreachable: s.Unreachable.Count)).ToList(),
            views => views.All(v => v.Up == _nodes.Count && v.Unreachable == 0), limit, $"every node to see all {_nodes.Count} members Up and none unreachable",
            views => string.Join("; ", _nodes.Zip(views, (n, v) => $"{n.Name} sees {v.Up} Up, {v.Unreachable} unreachable")), every: TimeSpan.FromMilliseconds(50));

    /// <summary>The node that hosts the leader singleton, as the given node sees the cluster.</summary>
    public TestNode LeaderHost(TestNode observer)
    {
        var oldest = OldestMember(observer);
        return _nodes.Single(n => !n.System.WhenTerminated.IsCompleted && Akka.Cluster.Cluster.Get(n.System).SelfAddress == oldest);
    }

    /// <summary>The member that hosts the leader singleton: the oldest Up member.</summary>
    public static Akka.Actor.Address OldestMember(TestNode observer) =>
        Akka.Cluster.Cluster.Get(observer.System).State.Members
            .Where(m => m.Status == Akka.Cluster.MemberStatus.Up)
            .OrderBy(m => m, Akka.Cluster.Member.AgeOrdering)
            .First().Address;

    /// <summary>Asks a node's cowboy for his replica of the game, as a new leader would.</summary>
    public static Task<Hello> ReplicaOf(TestNode node) =>
        node.System.ActorSelection("/user/cowboy").Ask<Hello>(WhoAreYou.Instance, TimeSpan.FromSeconds(3));

    /// <summary>Polls the node's replica until it has committed at least that beat.</summary>
    public static Task<Hello> WaitForBeatAsync(TestNode node, int beat, TimeSpan limit) =>
        Eventually.Until(() => ReplicaOf(node), hello => hello.Last.Beat >= beat, limit, $"{node.Name}'s replica to commit beat {beat}",
            hello => $"beat {hello.Last.Beat}", every: TimeSpan.FromMilliseconds(20));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                await node.Host.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception)
            {
                // a crashed node's host may already be gone
            }
            node.Host.Dispose();
        }
        try
        {
            Directory.Delete(_workDir, true);
        }
        catch (IOException)
        {
            // a node that is still stopping may hold a file open
        }
    }
}

/// <summary>One member of a test cluster; Log holds every line it logged, for specs that check what a node said.</summary>
public sealed record TestNode(string Name, int Index, IHost Host, ActorSystem System, ResultObserver Observer, System.Collections.Concurrent.ConcurrentQueue<string> Log);

/// <summary>Completes when this node's cowboy learns how the game ended.</summary>
public sealed class ResultObserver : IGameObserver
{
    private readonly TaskCompletionSource<GameResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<GameResult> Result => _result.Task;

    public void Finished(GameResult result) => _result.TrySetResult(result);

    public void Aborted(string reason) => _result.TrySetException(new InvalidOperationException($"game aborted: {reason}"));

    private volatile GameView? _committed;

    /// <summary>The last committed beat this node's replica learned of.</summary>
    public GameView? LastCommitted => _committed;

    public void Committed(GameView view) => _committed = view;
}
