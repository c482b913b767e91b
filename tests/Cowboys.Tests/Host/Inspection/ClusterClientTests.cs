using System.Collections.Concurrent;
using System.Net;
using Cowboys.Host.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Cowboys.Tests.Host.Inspection;

/// <summary>
/// The client's own logic against an endpoint whose answers are fixed: in a real cluster the
/// Split Brain Resolver downs an unreachable member by itself about a second later, so which of
/// the two downs it is a race (the end-to-end test accepts either).
/// </summary>
public sealed class ClusterClientTests
{
    private const string A = "akka.tcp://cowboys@127.0.0.1:4053";
    private const string B = "akka.tcp://cowboys@127.0.0.1:4054";
    private const string C = "akka.tcp://cowboys@127.0.0.1:4055";

    [Fact]
    public async Task Down_unreachable_puts_down_for_each_unreachable_member_and_nothing_else()
    {
        var puts = new ConcurrentQueue<(string Address, string? Operation)>();
        var (app, endpoint) = await StartEndpointAsync("Up", async (http, address) =>
        {
            puts.Enqueue((address, (await http.Request.ReadFormAsync())["operation"].FirstOrDefault()));
            return Answer($"Downing {address}");
        });
        await using var _ = app;
        using var http = new HttpClient();

        var answers = await new ClusterClient(http, endpoint).DownUnreachableAsync(CancellationToken.None);

        Assert.Equal([(B, $"Downing {B}"), (C, $"Downing {C}")], answers);
        Assert.Equal([(B, "Down"), (C, "Down")], puts);
    }

    [Fact]
    public async Task Down_unreachable_reports_a_member_removed_before_its_put_as_gone_not_as_a_failure()
    {
        // B was downed by the Split Brain Resolver and removed between the reading and the PUT, as a cowboy answers then
        var (app, endpoint) = await StartEndpointAsync("Down", (_, address) => Task.FromResult(address == B
            ? Answer($"Member [{B}] not found", StatusCodes.Status404NotFound)
            : Answer($"Downing {address}")));
        await using var _ = app;
        using var http = new HttpClient();
        var client = new ClusterClient(http, endpoint);

        var answers = await client.DownUnreachableAsync(CancellationToken.None);

        Assert.Equal([(B, null), (C, $"Downing {C}")], answers);
        // downing one named member that is not there is still the user's mistake, said as such
        var e = await Assert.ThrowsAsync<ClusterClientException>(() => client.DownAsync(B, CancellationToken.None));
        Assert.Contains($"Member [{B}] not found", e.Message);
    }

    /// <summary>A cowboy's /cluster/members with fixed answers: A sees B (in status <paramref name="statusOfB"/>) and C unreachable; <paramref name="put"/> answers each PUT, given the member's address.</summary>
    private static async Task<(WebApplication App, Uri Endpoint)> StartEndpointAsync(string statusOfB, Func<HttpContext, string, Task<IResult>> put)
    {
        var port = TestPorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var members = new ClusterMembersJson(A,
            [new ClusterMemberJson(A, "1", "Up", ["cowboy"]), new ClusterMemberJson(B, "2", statusOfB, ["cowboy"]), new ClusterMemberJson(C, "3", "Up", ["cowboy"])],
            [new ClusterUnreachableMemberJson(B, [A]), new ClusterUnreachableMemberJson(C, [A])], A, A, System.Collections.Immutable.ImmutableDictionary<string, string>.Empty);
        app.MapGet("/cluster/members/", () => Results.Text(members.ToJson(), "application/json"));
        app.MapPut("/cluster/members/{**address}", (HttpContext http, string address) => put(http, Uri.UnescapeDataString(address)));
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{port}/"));
    }

    private static IResult Answer(string message, int status = StatusCodes.Status200OK) =>
        Results.Text(new ClusterHttpMessage(message).ToJson(), "application/json", statusCode: status);
}
