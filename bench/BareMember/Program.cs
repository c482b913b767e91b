using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A bare Akka.NET cluster member, the floor bench/bench.py measures a cowboy against (issue 19):
// Akka.Cluster.Hosting with Akka's defaults, remoting on 127.0.0.1, and nothing of the game.
//
//   BareMember lone   --port P                                   start, join itself, leave, exit
//   BareMember member --port P --seeds H:P[,H:P...] --members N  join, say when N members are Up, idle until SIGTERM
//   BareMember ping   --port P --seeds H:P --count K --warmup W  join, ping-pong W + K times with the other member, report, leave
//
// Every step is one line on stdout, "HH:mm:ss.fff message" (Akka's own log lines look different).
// Every member serves /user/pong, which answers a number with the same number. --hocon TEXT puts
// settings in front of Akka's defaults (bench.py gives the 5-member formation the cowboys' join timings).

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: BareMember lone|member|ping --port P [--seeds H:P,...] [--members N] [--count K] [--warmup W] [--timeout SECONDS] [--hocon TEXT]");
    return 2;
}
Log($"starting: {options.Mode} on 127.0.0.1:{options.Port}, seeds {string.Join(",", options.Seeds)}{(options.Hocon.Length > 0 ? $", with {options.Hocon}" : "")}");

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddAkka("bare", akka => akka
    .WithRemoting(new RemoteOptions { HostName = "127.0.0.1", Port = options.Port })
    .WithClustering(new ClusterOptions { SeedNodes = options.Seeds.Select(s => $"akka.tcp://bare@{s}").ToArray() })
    .WithActors((system, _) => system.ActorOf(Props.Create(() => new Pong()), "pong"))
    .AddHocon(options.Hocon, HoconAddMode.Prepend));
using var host = builder.Build();
await host.StartAsync();
var system = host.Services.GetRequiredService<ActorSystem>();
var cluster = Cluster.Get(system);
var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping; // SIGTERM
Log($"actor system started: {cluster.SelfAddress}");

try
{
    await MembersUp(system, options.Members).WaitAsync(options.Timeout, stopping);
    Log($"all {options.Members} members are up");
    switch (options.Mode)
    {
        case "lone":
            await cluster.LeaveAsync().WaitAsync(options.Timeout);
            Log("left the cluster");
            break;
        case "member":
            await host.WaitForShutdownAsync(); // SIGTERM: the host leaves the cluster on its way out
            Log("stopped by a signal");
            break;
        case "ping":
            var peer = cluster.State.Members.Select(m => m.Address).First(a => a != cluster.SelfAddress);
            var pong = await system.ActorSelection(new RootActorPath(peer) / "user" / "pong").ResolveOne(options.Timeout);
            var done = new TaskCompletionSource<TimeSpan[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new Pinger(pong, options.Warmup + options.Count, done)), "ping");
            var measured = (await done.Task.WaitAsync(options.Timeout))[options.Warmup..].Select(t => t.TotalMilliseconds).Order().ToArray();
            Log(string.Create(CultureInfo.InvariantCulture,
                $"round trips: {measured.Length} after {options.Warmup} warm-up, p50 {Rank(measured, 50):F4} ms, p99 {Rank(measured, 99):F4} ms " +
                $"(a hop is half: p50 {Rank(measured, 50) / 2:F4} ms, p99 {Rank(measured, 99) / 2:F4} ms); serializer {system.Serialization.FindSerializerForType(typeof(long)).GetType().Name}"));
            await cluster.LeaveAsync().WaitAsync(options.Timeout);
            Log("left the cluster");
            break;
    }
    await host.StopAsync();
    Log("exiting");
    return 0;
}
catch (TimeoutException)
{
    Log($"error: timed out after {options.Timeout.TotalSeconds:F0} s");
    return 1;
}
catch (OperationCanceledException)
{
    await host.StopAsync();
    Log("error: stopped by a signal before all members were up");
    return 1;
}

static void Log(string message) => Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {message}");

// Nearest rank of sorted values.
static double Rank(double[] sorted, int percent) => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

static Task MembersUp(ActorSystem system, int members)
{
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    system.ActorOf(Props.Create(() => new UpWatch(members, done)), "up-watch");
    return done.Task;
}

internal sealed record Options(string Mode, int Port, string[] Seeds, int Members, int Count, int Warmup, TimeSpan Timeout, string Hocon)
{
    public static Options? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("lone" or "member" or "ping") || args.Length % 2 == 0) return null;
        var named = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i += 2) named[args[i]] = args[i + 1];
        if (named.Keys.Except(["--port", "--seeds", "--members", "--count", "--warmup", "--timeout", "--hocon"]).Any()) return null;
        int Int(string name, int fallback) => named.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var port = Int("--port", 0);
        if (port <= 0 || Int("--count", 1) <= 0 || Int("--warmup", 0) < 0) return null;
        var seeds = named.TryGetValue("--seeds", out var s) ? s.Split(',', StringSplitOptions.RemoveEmptyEntries) : [$"127.0.0.1:{port}"];
        var members = args[0] switch { "lone" => 1, "ping" => 2, _ => Int("--members", 1) };
        return new Options(args[0], port, seeds, members, Int("--count", 1000), Int("--warmup", 1000), TimeSpan.FromSeconds(Int("--timeout", 120)),
            named.GetValueOrDefault("--hocon", ""));
    }
}

/// <summary>Completes when this member has seen the given number of members Up.</summary>
internal sealed class UpWatch : ReceiveActor
{
    public UpWatch(int members, TaskCompletionSource done)
    {
        var up = new HashSet<Address>();
        Receive<ClusterEvent.MemberUp>(e =>
        {
            up.Add(e.Member.Address);
            if (up.Count < members) return;
            done.TrySetResult();
            Context.Stop(Self);
        });
        Receive<ClusterEvent.MemberRemoved>(e => up.Remove(e.Member.Address));
    }

    protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
        typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}

/// <summary>Answers a number with the same number: a long goes over the wire with Akka.Remote's primitive serializer.</summary>
internal sealed class Pong : ReceiveActor
{
    public Pong() => Receive<long>(n => Sender.Tell(n));
}

/// <summary>One number at a time to the pong and back, timing each round trip.</summary>
internal sealed class Pinger : ReceiveActor
{
    private readonly IActorRef _pong;
    private readonly TimeSpan[] _roundTrips;
    private long _sentAt;

    public Pinger(IActorRef pong, int total, TaskCompletionSource<TimeSpan[]> done)
    {
        _pong = pong;
        _roundTrips = new TimeSpan[total];
        Receive<long>(n =>
        {
            _roundTrips[n] = Stopwatch.GetElapsedTime(_sentAt);
            if (n + 1 < total) Send(n + 1);
            else done.TrySetResult(_roundTrips);
        });
    }

    protected override void PreStart() => Send(0);

    private void Send(long n)
    {
        _sentAt = Stopwatch.GetTimestamp();
        _pong.Tell(n);
    }
}
