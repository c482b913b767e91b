using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Cowboys.Actors.Cowboy;
using Cowboys.Actors.Hosting;
using Cowboys.Actors.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cowboys.Tests.Cluster;

/// <summary>
/// Several cowboy nodes in one test process, each its own ActorSystem with real remoting over TCP
/// on 127.0.0.1, joined through a seed list: the way Akka.NET's own cluster specs run without
/// the multi-node runner.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestNode> _nodes = new();

    private readonly ITestOutputHelper _output;

    public TestCluster(GameSettings game, ITestOutputHelper output)
    {
        Game = game;
        _output = output;
        Ports = game.Roster.Cowboys.Select(_ => FreePort()).ToArray();
    }

    public GameSettings Game { get; }

    public IReadOnlyList<int> Ports { get; }

    public IReadOnlyList<TestNode> Nodes => _nodes;

    public string[] SeedNodes => [$"akka.tcp://cowboys@127.0.0.1:{Ports[0]}"];

    public async Task<TestNode> StartAsync(int index, GameSettings? settings = null)
    {
        var game = settings ?? Game;
        var name = Game.Roster.Cowboys[index].Name;
        var observer = new ResultObserver();
        var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("cowboys", builder => builder
                .ConfigureLoggers(logging =>
                {
                    logging.ClearLoggers();
                    logging.AddLoggerFactory(LoggerFactory.Create(f => f.AddProvider(new XunitLoggerProvider(_output, name))));
                })
                .WithCowboy(new CowboyNodeOptions { Name = name, RemotingPort = Ports[index], SeedNodes = SeedNodes }, game, observer)))
            .Build();
        await host.StartAsync();
        var node = new TestNode(name, index, host, host.Services.GetRequiredService<ActorSystem>(), observer);
        _nodes.Add(node);
        return node;
    }

    public async Task StartAllAsync(Func<int, GameSettings>? settings = null)
    {
        for (var i = 0; i < Game.Roster.Count; i++) await StartAsync(i, settings?.Invoke(i));
    }

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
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestNode(string Name, int Index, IHost Host, ActorSystem System, ResultObserver Observer);

/// <summary>Completes when this node's cowboy learns how the game ended.</summary>
public sealed class ResultObserver : IGameObserver
{
    private readonly TaskCompletionSource<GameResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<GameResult> Result => _result.Task;

    public void Finished(GameResult result) => _result.TrySetResult(result);

    public void Aborted(string reason) => _result.TrySetException(new InvalidOperationException($"game aborted: {reason}"));
}
