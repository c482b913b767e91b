using System.Net;
using Akka.Actor;
using Cowboys.Host.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>The cowboy's /cluster/members routes over real HTTP, for a node of a <see cref="TestCluster"/>.</summary>
public sealed class InspectionServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InspectionServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public HttpClient Http { get; } = new();

    public static async Task<InspectionServer> StartAsync(ActorSystem system, bool readOnly)
    {
        var port = TestPorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(new ClusterHttpManagement(system));
        var app = builder.Build();
        app.MapClusterHttpManagement(readOnly);
        await app.StartAsync();
        return new InspectionServer(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task<ClusterMembersJson> MembersAsync()
    {
        var body = await Http.GetStringAsync(new Uri(Endpoint, "cluster/members"));
        return ClusterMembersJson.Parse(body) ?? throw new InvalidOperationException($"not a member list: {body}");
    }

    public Uri Member(string address) => new(Endpoint, "cluster/members/" + Uri.EscapeDataString(address));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
